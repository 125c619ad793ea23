import Dispatch

/// Verification of legacy hashes (see ``LegacyHash``), kept off the request path's threads and
/// bounded, so that one client cannot stall the rest.
///
/// A legacy hash costs up to about a second of CPU and, for Argon2, 100 MiB of memory. The work
/// runs on Dispatch's global queue, never on an event loop or Swift's cooperative pool, with at
/// most `maximumConcurrentVerifications` at once: by default one core fewer than the machine has
/// (at least one), so a core always stays free for everything else. Beyond that:
/// - at most `maximumQueuedVerifications` wait their turn; one more is refused at once with
///   ``LegacyHashError/busy``, which frameworks answer 503;
/// - a request that goes away while it waits is dropped, and its hash is never computed;
/// - requests that present the same key for the same row at once share one computation.
///
/// Each key pays this once: after it verifies, its hash is rewritten to the fast format.
///
/// ```swift
/// let scheme = KeyScheme(legacyHashes: LegacyHashing(maximumConcurrentVerifications: 1, maximumQueuedVerifications: 8))
/// let noLegacy = KeyScheme(legacyHashes: nil)   // legacy rows never verify
/// ```
public struct LegacyHashing: Sendable {
    /// The most work one hash may cost before it is refused unverified.
    public var limits: LegacyHashLimits
    private let workers: BlockingWorkers

    /// Legacy verification with the given limits; by default, one pool for the whole process.
    ///
    /// - Parameters:
    ///   - limits: The most work one hash may cost.
    ///   - maximumConcurrentVerifications: How many slow hashes may run at once; `nil` shares
    ///     one pool sized to the machine's cores less one.
    ///   - maximumQueuedVerifications: How many may wait: sixteen per running one, and at least 32,
    ///     by default.
    public init(limits: LegacyHashLimits = .default, maximumConcurrentVerifications: Int? = nil, maximumQueuedVerifications: Int? = nil) {
        self.limits = limits
        if maximumConcurrentVerifications == nil, maximumQueuedVerifications == nil {
            self.workers = .shared
        } else {
            let running = maximumConcurrentVerifications ?? BlockingWorkers.defaultLimit
            self.workers = BlockingWorkers(limit: running, queueLimit: maximumQueuedVerifications ?? max(32, 16 * running))
        }
    }

    /// Whether `key` matches the legacy hash `stored`, or why `stored` cannot be verified (now).
    ///
    /// ```swift
    /// let matches = try await LegacyHashing().verify(key, against: row.hashedKey)
    /// ```
    /// - Throws: ``LegacyHashError``: the stored value is unusable, or ``LegacyHashError/busy``
    ///   and ``LegacyHashError/cancelled`` when it was not computed.
    @_spi(Internals) public func verify(_ key: String, against stored: String) async throws(LegacyHashError) -> Bool {
        let legacy = try LegacyHash(parsing: stored, limits: limits)
        guard legacy.isSlow else { return legacy.verify(key) }
        // The same key presented for the same row by requests at once: one computation. The key
        // is identified by its SHA-512, never kept itself.
        return try await workers.verify(sharing: stored + "\u{0}" + SHA512KeyHasher().hash(key)) { legacy.verify(key) }
    }
}

/// Runs blocking work on Dispatch's global queue: at most `limit` items at a time, first come
/// first served, at most `queueLimit` waiting, waiters that are cancelled dropped.
final class BlockingWorkers: Sendable {
    /// One core fewer than the machine has, and at least one.
    static var defaultLimit: Int { max(1, System.activeProcessorCount - 1) }
    /// Sixteen waiting per running verification, and at least 32: a wait of a few seconds at
    /// most, and room for a burst of clients whose keys are still in a legacy format.
    static var defaultQueueLimit: Int { max(32, 16 * defaultLimit) }
    static let shared = BlockingWorkers(limit: defaultLimit, queueLimit: defaultQueueLimit)

    enum Admission: Sendable { case admitted, queueFull, cancelled }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Admission, Never>
    }

    private struct Computation {
        let task: Task<Bool, any Error>
        var waiters: Int
    }

    private struct State {
        var running = 0
        var waiting: [Waiter] = []
        var nextID: UInt64 = 0
        var computations: [String: Computation] = [:]
    }

    let limit: Int
    let queueLimit: Int
    private let state = Locked(State())

    init(limit: Int, queueLimit: Int) {
        precondition(limit >= 1, "at least one verification must be allowed to run")
        precondition(queueLimit >= 0, "a queue cannot hold fewer than no verifications")
        self.limit = limit
        self.queueLimit = queueLimit
    }

    /// Runs `work` once admitted.
    ///
    /// - Throws: ``LegacyHashError/busy`` when the queue is full, ``LegacyHashError/cancelled``
    ///   when the task was cancelled before the work started.
    func run<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async throws(LegacyHashError) -> Result {
        switch await admit() {
        case .admitted: break
        case .queueFull: throw .busy
        case .cancelled: throw .cancelled
        }
        defer { release() }
        // Its turn came after its request left: not worth a core.
        guard !Task.isCancelled else { throw .cancelled }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }

    /// Runs `work` once for everyone who asks with the same `key` while it is under way. It is
    /// cancelled (dropped if it has not started) only when every one of them has gone away.
    func verify(sharing key: String, _ work: @escaping @Sendable () -> Bool) async throws(LegacyHashError) -> Bool {
        let task = state.withLock { state -> Task<Bool, any Error> in
            if var computation = state.computations[key] {
                computation.waiters += 1
                state.computations[key] = computation
                return computation.task
            }
            let task = Task { try await self.run(work) }
            state.computations[key] = Computation(task: task, waiters: 1)
            return task
        }
        let left = Locked(false)
        let leave: @Sendable () -> Void = {
            guard left.withLock({ left in defer { left = true }; return !left }) else { return }
            self.leave(key, task)
        }
        let result = await withTaskCancellationHandler { await task.result } onCancel: { leave() }
        leave()
        switch result {
        case .success(let matches): return matches
        case .failure(let error): throw (error as? LegacyHashError) ?? .cancelled
        }
    }

    /// How many wait for their turn, and how many wait for the computation of `key`: for tests.
    var waitingCount: Int { state.withLock { $0.waiting.count } }
    func waiters(sharing key: String) -> Int { state.withLock { $0.computations[key]?.waiters ?? 0 } }

    private func leave(_ key: String, _ task: Task<Bool, any Error>) {
        let abandoned = state.withLock { state -> Bool in
            guard var computation = state.computations[key], computation.task == task else { return false }
            computation.waiters -= 1
            guard computation.waiters == 0 else {
                state.computations[key] = computation
                return false
            }
            state.computations[key] = nil
            return true
        }
        // When everyone left before it finished; a finished task ignores this.
        if abandoned { task.cancel() }
    }

    private func admit() async -> Admission {
        let id = state.withLock { state -> UInt64 in
            state.nextID &+= 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Admission, Never>) in
                let decided = state.withLock { state -> Admission? in
                    // Checked under the lock, so that a cancellation cannot slip between this and
                    // the handler below.
                    if Task.isCancelled { return .cancelled }
                    if state.running < limit {
                        state.running += 1
                        return .admitted
                    }
                    guard state.waiting.count < queueLimit else { return .queueFull }
                    state.waiting.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let decided { continuation.resume(returning: decided) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiting.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiting.remove(at: index)
            }
            waiter?.continuation.resume(returning: .cancelled)
        }
    }

    private func release() {
        // A waiter inherits the finishing item's place, so `running` only drops when nobody waits.
        let next = state.withLock { state -> Waiter? in
            guard !state.waiting.isEmpty else {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.continuation.resume(returning: .admitted)
    }
}
