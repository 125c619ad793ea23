/// Hands each published event to every subscriber of an app's ``APIKeyEvents``: one per app,
/// shared by its key models' services.
package final class APIKeyEventHub: Sendable {
    /// How many unread events one subscriber may have before the oldest are dropped.
    package static let bufferPerSubscriber = 10_000

    private let subscribers = Locked<(next: Int, continuations: [Int: AsyncStream<APIKeyEvent>.Continuation])>((0, [:]))
    /// Told when a slow subscriber lost an event, so that it is logged.
    private let onDrop: @Sendable (APIKeyEvent) -> Void

    package init(onDrop: @escaping @Sendable (APIKeyEvent) -> Void = { _ in }) {
        self.onDrop = onDrop
    }

    /// The events published from now on.
    package func subscribe() -> AsyncStream<APIKeyEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: APIKeyEvent.self, bufferingPolicy: .bufferingNewest(Self.bufferPerSubscriber))
        let id = subscribers.withLock { state in
            defer { state.next += 1 }
            state.continuations[state.next] = continuation
            return state.next
        }
        continuation.onTermination = { [weak self] _ in
            self?.subscribers.withLock { _ = $0.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    /// Gives `event` to every subscriber; never waits.
    package func publish(_ event: APIKeyEvent) {
        for continuation in subscribers.withLock({ Array($0.continuations.values) }) {
            if case .dropped = continuation.yield(event) { onDrop(event) }
        }
    }

    /// Whether anyone listens: events are not made for nobody.
    package var hasSubscribers: Bool { subscribers.withLock { !$0.continuations.isEmpty } }

    /// Ends every subscriber's loop: when the app shuts down.
    package func finish() {
        for continuation in subscribers.withLock({ Array($0.continuations.values) }) { continuation.finish() }
    }
}
