import Dispatch

/// Verification of legacy hashes (see ``LegacyHash``), kept off the request path's threads.
///
/// A legacy hash costs up to about a second of CPU and, for Argon2, 100 MiB of memory. Running
/// that on an event loop or on Swift's cooperative thread pool would stall every other request,
/// so the work runs on Dispatch's global queue, with at most `maximumConcurrentVerifications` at
/// once (by default, one per core); further verifications wait their turn. Each key pays this
/// once: after it verifies, its hash is rewritten to the fast format.
///
/// ```swift
/// let scheme = KeyScheme(legacyHashes: LegacyHashing(maximumConcurrentVerifications: 1))
/// let noLegacy = KeyScheme(legacyHashes: nil)   // legacy rows never verify
/// ```
public struct LegacyHashing: Sendable {
    /// The most work one hash may cost before it is refused unverified.
    public var limits: LegacyHashLimits
    private let workers: BlockingWorkers

    /// Legacy verification with the given limits; by default one verification per core at a time,
    /// shared by every scheme that uses the default.
    ///
    /// - Parameters:
    ///   - limits: The most work one hash may cost.
    ///   - maximumConcurrentVerifications: How many slow hashes may run at once; `nil` shares
    ///     one pool sized to the machine's cores.
    public init(limits: LegacyHashLimits = .default, maximumConcurrentVerifications: Int? = nil) {
        self.limits = limits
        self.workers = maximumConcurrentVerifications.map { BlockingWorkers(limit: $0) } ?? .shared
    }

    /// Whether `key` matches the legacy hash `stored`, or why `stored` cannot be verified.
    ///
    /// ```swift
    /// let matches = try await LegacyHashing().verify(key, against: row.hashedKey)
    /// ```
    public func verify(_ key: String, against stored: String) async throws(LegacyHashError) -> Bool {
        let legacy = try LegacyHash(parsing: stored, limits: limits)
        guard legacy.isSlow else { return legacy.verify(key) }
        return await workers.run { legacy.verify(key) }
    }
}

/// Runs blocking work on Dispatch's global queue, at most `limit` items at a time, first come
/// first served.
final class BlockingWorkers: Sendable {
    static let shared = BlockingWorkers(limit: System.activeProcessorCount)

    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let limit: Int
    private let state = Locked(State())

    init(limit: Int) {
        precondition(limit >= 1, "at least one verification must be allowed to run")
        self.limit = limit
    }

    func run<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        await acquire()
        defer { release() }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let mayRun = state.withLock { state in
                guard state.running < limit else {
                    state.waiting.append(continuation)
                    return false
                }
                state.running += 1
                return true
            }
            if mayRun { continuation.resume() }
        }
    }

    private func release() {
        // A waiter inherits the finishing item's place, so `running` only drops when nobody waits.
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
