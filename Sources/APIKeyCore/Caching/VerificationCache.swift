/// What verification learned from the store about prefixes, kept in memory for a short time so
/// that most requests need no database round trip.
///
/// An entry lives for at most ``timeToLive``, counted from before the store was asked: that is the
/// longest another instance's revocation can go unnoticed here. Changes made through this process (``invalidate(prefix:)``, which the
/// manager and the admin call) take effect at once. Unknown prefixes are remembered too, so that
/// a client retrying a bad key costs one lookup per interval, not one per request. Both kinds of
/// entry are bounded by ``capacity``: a flood of random prefixes evicts old entries and costs
/// memory for at most `capacity` of them.
///
/// The cache holds only what the store returned (prefix, hash, revocation, expiry, and the
/// record itself), never a presented key. A hit still hashes the presented key, compares it in
/// constant time and checks expiry at that instant.
///
/// ```swift
/// let cache = VerificationCache<StoredAPIKey>()
/// let verifier = APIKeyVerifier(store: CachedAPIKeyStore(store, cache: cache))
/// cache.invalidate(prefix: "C7oAzBnJ")   // after revoking it
/// ```
@_spi(Internals) public final class VerificationCache<Record: APIKeyRecord>: Sendable {
    /// How long entries are trusted and how many are kept.
    public let policy: VerificationCachePolicy
    /// The longest an entry is trusted.
    public var timeToLive: Duration { policy.timeToLive }
    /// The most prefixes remembered, found and unknown together.
    public var capacity: Int { policy.capacity }

    @usableFromInline let clock: APIKeyClock
    @usableFromInline let state: Locked<State>

    @usableFromInline struct Entry: Sendable {
        /// `nil`: the store had no usable key with this prefix.
        @usableFromInline let record: Record?
        /// When it stops being trusted, on the clock's ``APIKeyClock/elapsed``.
        @usableFromInline let expires: Duration
    }

    /// Two generations: lookups promote entries from the old one, and when the young one is full
    /// the old one is dropped whole. Bounded, O(1), close to least-recently-used.
    @usableFromInline struct State: Sendable {
        @usableFromInline var young: [String: Entry] = [:]
        @usableFromInline var old: [String: Entry] = [:]
        /// Counts invalidations, so that a lookup that raced one is not remembered.
        var invalidations: UInt64 = 0
        /// Store lookups under way, shared by every request that misses the same prefix meanwhile.
        var inFlight: [String: Task<Record?, any Error>] = [:]
    }

    /// A cache with `policy` (one second, 100,000 prefixes by default), whose entries age on
    /// `clock`.
    ///
    /// ```swift
    /// let cache = VerificationCache<StoredAPIKey>(try VerificationCachePolicy(timeToLive: .milliseconds(250)))
    /// ```
    public init(_ policy: VerificationCachePolicy = .standard, clock: APIKeyClock = .system) {
        self.policy = policy
        self.clock = clock
        self.state = Locked(State())
    }

    /// What the cache knows about `prefix`: `.some(record)`, `.some(nil)` for a known-unknown
    /// prefix, or `nil` when the store must be asked.
    ///
    /// Inlinable, with the state it reads: the service specializes a cache hit for the built-in
    /// model, and across modules only inlinable code is specialized. Unspecialized, this lookup
    /// went through the runtime's generic metadata and an unspecialized dictionary.
    @inlinable
    func lookup(_ prefix: String) -> Record?? {
        let now = clock.elapsed()
        return state.withLock { state -> Record?? in
            if let entry = state.young[prefix] {
                guard entry.expires > now else {
                    state.young[prefix] = nil
                    return nil
                }
                return .some(entry.record)
            }
            guard let entry = state.old.removeValue(forKey: prefix), entry.expires > now else { return nil }
            Self.insert(entry, for: prefix, into: &state, capacity: capacity)
            return .some(entry.record)
        }
    }

    /// What the store says about `prefix`, asked once however many requests miss it at the same
    /// time: when an entry expires under load, one lookup refreshes it, not one per request. The
    /// answer is remembered unless something was invalidated meanwhile, since it may predate a
    /// revocation that has already returned. An invalidation also detaches the lookup under
    /// way, so that requests starting after it ask the store anew.
    func sharedLookup(_ prefix: String, _ lookup: @escaping @Sendable () async throws -> Record?) async throws -> Record? {
        // The entry's life is counted from before the store read the row, not from when the answer
        // arrived: a slow answer must not stretch how long a revocation can go unnoticed.
        let asked = clock.elapsed()
        let (task, invalidations) = state.withLock { state -> (Task<Record?, any Error>, UInt64?) in
            if let running = state.inFlight[prefix] { return (running, nil) }
            let task = Task { try await lookup() }
            state.inFlight[prefix] = task
            return (task, state.invalidations)
        }
        // Only the request that started the lookup settles it; the others just wait for it.
        guard let invalidations else { return try await task.value }
        let result = await task.result
        let entry = Entry(record: try? result.get(), expires: asked + timeToLive)
        state.withLock { state in
            if state.inFlight[prefix] == task { state.inFlight[prefix] = nil }
            // Failures are not remembered.
            guard case .success = result, state.invalidations == invalidations else { return }
            Self.insert(entry, for: prefix, into: &state, capacity: capacity)
        }
        return try result.get()
    }

    /// Forgets `prefix`, so the next request asks the store: call it after revoking, deleting or
    /// editing a key, or rewriting its hash.
    public func invalidate(prefix: String) {
        state.withLock { state in
            state.young[prefix] = nil
            state.old[prefix] = nil
            state.inFlight[prefix] = nil
            state.invalidations &+= 1
        }
    }

    /// Forgets everything.
    public func removeAll() {
        state.withLock { state in state = State(invalidations: state.invalidations &+ 1) }
    }

    /// How many prefixes are remembered now (expired ones included until they are evicted).
    public var count: Int { state.withLock { $0.young.count + $0.old.count } }

    @usableFromInline static func insert(_ entry: Entry, for prefix: String, into state: inout State, capacity: Int) {
        if state.young[prefix] == nil, state.young.count >= capacity / 2 {
            state.old = state.young
            state.young = [:]
            state.young.reserveCapacity(capacity / 2)
        }
        state.old[prefix] = nil
        state.young[prefix] = entry
    }
}
