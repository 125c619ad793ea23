@_spi(Internals) import APIKeyCore
import APIKeyTesting
import Foundation
import Testing

@Suite("The verification cache")
struct VerificationCacheTests {
    static let now = APIKeyRequestFacts()
    /// Counts what reaches the store behind the cache. With a `delay`, a lookup reads the row at
    /// once and answers later, as a database under load does; with a `clock`, the lookup takes
    /// that long on the clock instead, and nothing sleeps.
    final class Backing: APIKeyStore {
        let keys = InMemoryAPIKeyStore()
        let delay: Duration
        let clock: APIKeyTestClock?
        private let counter = Locked(0)
        var lookups: Int { counter.withLock { $0 } }
        init(delay: Duration = .zero, clock: APIKeyTestClock? = nil) {
            self.delay = delay
            self.clock = clock
        }
        func record(forPrefix prefix: String) async throws -> StoredAPIKey? {
            counter.withLock { $0 += 1 }
            let row = await keys.record(forPrefix: prefix)
            if let clock {
                clock.advance(by: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
            } else if delay > .zero {
                try await Task.sleep(for: delay)
            }
            return row
        }
        func replaceHash(of record: StoredAPIKey, with newHash: String) async throws {
            await keys.replaceHash(of: record, with: newHash)
        }
    }

    /// A cache whose entries live `timeToLive` on `clock`.
    static func cache(_ timeToLive: Duration, capacity: Int = 100_000, clock: APIKeyTestClock = APIKeyTestClock()) throws -> VerificationCache<StoredAPIKey> {
        VerificationCache(try VerificationCachePolicy(timeToLive: timeToLive, capacity: capacity), clock: clock.clock)
    }

    @Test("an entry's life is counted from before the store was asked: a lookup slower than the time to live is not trusted afterwards")
    func lifeCountedFromTheRead() async throws {
        let clock = APIKeyTestClock()
        let backing = Backing(delay: .milliseconds(300), clock: clock)
        let (_, key) = try backing.keys.createKey(name: "slow")
        let verifier = APIKeyVerifier(store: CachedAPIKeyStore(backing, cache: try Self.cache(.milliseconds(200), clock: clock)))
        #expect(await verifier.verify(presentedKey: key.reveal()).identity != nil)
        try backing.keys.revoke(prefix: key.prefix)  // elsewhere, with no invalidation here
        #expect(await verifier.verify(presentedKey: key.reveal()).denial == .revoked)
        #expect(backing.lookups == 2)
    }

    @Test("a hit skips the store but still hashes, compares and checks revocation")
    func hits() async throws {
        let backing = Backing()
        let cache = try Self.cache(.seconds(60))
        let verifier = APIKeyVerifier(store: CachedAPIKeyStore(backing, cache: cache))
        let (_, key) = try backing.keys.createKey(name: "cached")
        for _ in 0..<10 { #expect(await verifier.verify(presentedKey: key.reveal()).identity != nil) }
        #expect(backing.lookups == 1)
        let wrong = key.prefix + "." + String(repeating: "x", count: 32)
        #expect(await verifier.verify(presentedKey: wrong).denial == .mismatch)
        #expect(backing.lookups == 1)
    }

    @Test("unknown prefixes are remembered too, and garbage never reaches the store")
    func negatives() async throws {
        let backing = Backing()
        let verifier = APIKeyVerifier(store: CachedAPIKeyStore(backing, cache: try Self.cache(.seconds(60))))
        for _ in 0..<5 { _ = await verifier.verify(presentedKey: "zzzzzzzz." + String(repeating: "x", count: 32)) }
        for _ in 0..<5 { _ = await verifier.verify(presentedKey: "garbage") }
        #expect(backing.lookups == 1)
    }

    @Test("invalidating a prefix makes the next request ask the store (a revocation here is seen at once)")
    func invalidation() async throws {
        let backing = Backing()
        let cache = try Self.cache(.seconds(60))
        let verifier = APIKeyVerifier(store: CachedAPIKeyStore(backing, cache: cache))
        let (_, key) = try backing.keys.createKey(name: "to revoke")
        #expect(await verifier.verify(presentedKey: key.reveal()).identity != nil)
        try backing.keys.revoke(prefix: key.prefix)
        #expect(await verifier.verify(presentedKey: key.reveal()).identity != nil)  // stale until told
        cache.invalidate(prefix: key.prefix)
        #expect(await verifier.verify(presentedKey: key.reveal()).denial == .revoked)
    }

    @Test("an entry is trusted for its time to live only: a change elsewhere shows after it")
    func timeToLive() async throws {
        let clock = APIKeyTestClock()
        let backing = Backing()
        let verifier = APIKeyVerifier(store: CachedAPIKeyStore(backing, cache: try Self.cache(.milliseconds(100), clock: clock)))
        let (_, key) = try backing.keys.createKey(name: "elsewhere")
        #expect(await verifier.verify(presentedKey: key.reveal()).identity != nil)
        try backing.keys.revoke(prefix: key.prefix)  // as another instance would
        clock.advance(by: 0.099)
        #expect(await verifier.verify(presentedKey: key.reveal()).identity != nil, "still trusted")
        clock.advance(by: 0.002)
        #expect(await verifier.verify(presentedKey: key.reveal()).denial == .revoked)
        #expect(backing.lookups == 2)
    }

    @Test("a key expires at its second, cache or not")
    func expiryInsideTheCacheWindow() async throws {
        let backing = Backing()
        let clock = APIKeyTestClock(Date(timeIntervalSince1970: 2_000_000_000))
        let verifier = APIKeyVerifier(store: CachedAPIKeyStore(backing, cache: try Self.cache(.seconds(3600), clock: clock)))
        let (_, key) = try backing.keys.createKey(name: "short-lived", expiresAt: Date(timeIntervalSince1970: 2_000_000_010))
        #expect(await verifier.verify(presentedKey: key.reveal(), facts: APIKeyRequestFacts(now: clock.now())).identity != nil)
        clock.set(Date(timeIntervalSince1970: 2_000_000_010))
        // The very instant is valid.
        #expect(await verifier.verify(presentedKey: key.reveal(), facts: APIKeyRequestFacts(now: clock.now())).identity != nil)
        clock.set(Date(timeIntervalSince1970: 2_000_000_010.001))
        #expect(await verifier.verify(presentedKey: key.reveal(), facts: APIKeyRequestFacts(now: clock.now())).denial == .expired)
        #expect(backing.lookups == 1)
    }

    @Test("a flood of random prefixes cannot grow the cache past its capacity")
    func bounded() async throws {
        let backing = Backing()
        let cache = try Self.cache(.seconds(60), capacity: 1_000)
        let verifier = APIKeyVerifier(store: CachedAPIKeyStore(backing, cache: cache))
        let (_, key) = try backing.keys.createKey(name: "regular")
        for _ in 0..<20_000 {
            _ = await verifier.verify(presentedKey: AlphanumericKeyGenerator().generate().reveal())
            #expect(cache.count <= 1_000)
        }
        #expect(backing.lookups == 20_000)
        #expect(await verifier.verify(presentedKey: key.reveal()).identity != nil)
    }

    @Test("a hash upgrade through the cache rewrites the store and forgets the old row")
    func upgradeForgets() async throws {
        let backing = Backing()
        let cache = try Self.cache(.seconds(60))
        try backing.keys.insert(StoredAPIKey(name: "legacy", prefix: "abcdEFGH", hashedKey: Vectors.upstream.legacy[1].hashed_key))
        let verifier = APIKeyVerifier(store: CachedAPIKeyStore(backing, cache: cache))
        #expect(await verifier.verify(presentedKey: Vectors.legacyKey).identity != nil)
        #expect(await verifier.verify(presentedKey: Vectors.legacyKey).identity?.hashedKey == SHA512KeyHasher().hash(Vectors.legacyKey))
        #expect(backing.lookups == 2)
    }

    @Test("without waiting: answered for no key, garbage and cache hits, the same as an awaited check; deferred otherwise")
    func withoutWaiting() async throws {
        let backing = Backing()
        let cache = try Self.cache(.seconds(60))
        let verifier = APIKeyVerifier(store: CachedAPIKeyStore(backing, cache: cache))
        let (_, key) = try backing.keys.createKey(name: "fast")
        let (_, revoked) = try backing.keys.createKey(name: "revoked", revoked: true)
        let wrong = KeyExtraction.key(key.prefix + "." + String(repeating: "x", count: 32))
        let unknown = KeyExtraction.key("zzzzzzzz." + String(repeating: "x", count: 32))

        #expect(verifier.verifyWithoutWaiting(.missing, facts: Self.now)?.denial == .missing)
        #expect(verifier.verifyWithoutWaiting(.malformed, facts: Self.now)?.denial == .malformed)
        #expect(verifier.verifyWithoutWaiting(.key("garbage"), facts: Self.now)?.denial == .malformed)
        for extraction in [KeyExtraction.key(key.reveal()), unknown, .key(revoked.reveal())] {
            #expect(verifier.verifyWithoutWaiting(extraction, facts: Self.now) == nil)  // not cached yet: the store must be asked
            let awaited = await verifier.verify(extraction)
            #expect(verifier.verifyWithoutWaiting(extraction, facts: Self.now)?.denial == awaited.denial)
            #expect(verifier.verifyWithoutWaiting(extraction, facts: Self.now)?.identity?.prefix == awaited.identity?.prefix)
        }
        #expect(verifier.verifyWithoutWaiting(.key(key.reveal()), facts: Self.now)?.identity != nil)
        #expect(verifier.verifyWithoutWaiting(wrong, facts: Self.now)?.denial == .mismatch)  // same prefix as `key`: cached
        #expect(verifier.verifyWithoutWaiting(unknown, facts: Self.now)?.denial == .unknownPrefix)
        #expect(verifier.verifyWithoutWaiting(.key(revoked.reveal()), facts: Self.now)?.denial == .revoked)
        #expect(backing.lookups == 3)

        // A cached legacy hash still needs the slow, upgrading path.
        try backing.keys.insert(StoredAPIKey(name: "legacy", prefix: "abcdEFGH", hashedKey: Vectors.upstream.legacy[1].hashed_key))
        #expect(await verifier.verify(presentedKey: "abcdEFGH." + String(repeating: "x", count: 32)).denial == .mismatch)  // now cached
        #expect(verifier.verifyWithoutWaiting(.key(Vectors.legacyKey), facts: Self.now) == nil)
    }

    /// A store whose lookup is overtaken by a revocation: the revocation commits and invalidates
    /// the cache while the read (which saw the key unrevoked) is still on its way back.
    struct OvertakenStore: APIKeyStore {
        let keys: InMemoryAPIKeyStore
        let revokeDuringLookup: @Sendable () -> Void
        func record(forPrefix prefix: String) async throws -> StoredAPIKey? {
            let stale = await keys.record(forPrefix: prefix)
            revokeDuringLookup()
            return stale
        }
        func replaceHash(of record: StoredAPIKey, with newHash: String) async throws {}
    }

    @Test("a lookup overtaken by a revocation is not remembered: the next request sees the revocation")
    func raceWithRevocation() async throws {
        let keys = InMemoryAPIKeyStore()
        let (_, key) = try keys.createKey(name: "raced")
        let cache = try Self.cache(.seconds(60))
        let store = OvertakenStore(keys: keys) {
            try? keys.revoke(prefix: key.prefix)
            cache.invalidate(prefix: key.prefix)
        }
        let verifier = APIKeyVerifier(store: CachedAPIKeyStore(store, cache: cache))
        // In flight when the revocation committed: either answer is fair for this one.
        _ = await verifier.verify(presentedKey: key.reveal())
        #expect(cache.count == 0)
        #expect(verifier.verifyWithoutWaiting(.key(key.reveal()), facts: Self.now) == nil)
    }

    @Test("requests that miss the same prefix at once share one lookup")
    func stampede() async throws {
        let backing = Backing(delay: .milliseconds(200))
        let verifier = APIKeyVerifier(store: CachedAPIKeyStore(backing, cache: try Self.cache(.seconds(60))))
        let (_, key) = try backing.keys.createKey(name: "hot")
        let presented = key.reveal()
        let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<50 { group.addTask { await verifier.verify(presentedKey: presented).identity != nil } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(granted == 50)
        #expect(backing.lookups == 1)
    }

    @Test("a request that starts after an invalidation does not wait for the lookup that preceded it")
    func noJoiningAcrossInvalidation() async throws {
        let backing = Backing(delay: .milliseconds(200))
        let cache = try Self.cache(.seconds(60))
        let verifier = APIKeyVerifier(store: CachedAPIKeyStore(backing, cache: cache))
        let (_, key) = try backing.keys.createKey(name: "revoked meanwhile")
        let presented = key.reveal()
        let early = Task { await verifier.verify(presentedKey: presented) }
        try await Task.sleep(for: .milliseconds(50))  // the early lookup has read the row, unrevoked
        try backing.keys.revoke(prefix: key.prefix)
        cache.invalidate(prefix: key.prefix)
        #expect(await verifier.verify(presentedKey: presented).denial == .revoked)
        _ = await early.value  // started before the revocation: either answer is fair
        #expect(backing.lookups == 2)
        #expect(await verifier.verify(presentedKey: presented).denial == .revoked)  // nothing stale was kept
    }
}
