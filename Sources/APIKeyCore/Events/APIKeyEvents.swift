/// The app's stream of key events: every change in a key's life that this process makes (through
/// the manager, the commands, the admin panel, verification's hash upgrades and the leak
/// endpoint), as an async sequence.
///
/// Each `for await` loop gets every event published after it starts, in order; start it while the
/// app starts. A loop that falls more than 10,000 events behind loses the oldest it has not read,
/// and the library logs it. Changes made by other processes (another instance, a command run
/// elsewhere) are theirs to publish: for one record of all of them, turn on
/// `APIKeySettings.recordsEvents`, which writes every event to the `api_key_events` table.
///
/// ```swift
/// Task {
///     for await event in app.apiKeys.events where event.kind == .leakRevoked {
///         await alerts.send("API key \(event.prefix) leaked: \(event.detail ?? "")")
///     }
/// }
/// ```
public struct APIKeyEvents: AsyncSequence, Sendable {
    /// The events.
    public typealias Element = APIKeyEvent

    let hub: APIKeyEventHub

    package init(hub: APIKeyEventHub) { self.hub = hub }

    /// A new subscription: the events published from now on.
    public func makeAsyncIterator() -> AsyncStream<APIKeyEvent>.Iterator {
        hub.subscribe().makeAsyncIterator()
    }
}
