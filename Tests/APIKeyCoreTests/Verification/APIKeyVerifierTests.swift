@_spi(Internals) import APIKeyCore
import Foundation
import Testing

@Suite("Verifying presented keys: upstream's grant scheme, typed")
struct APIKeyVerifierTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let store = InMemoryAPIKeyStore()
    var verifier: APIKeyVerifier<InMemoryAPIKeyStore> { APIKeyVerifier(store: store) }

    /// The verifier's answer for `key`, checked at ``now``.
    func verify(_ key: String) async -> APIKeyOutcome<StoredAPIKey> {
        await verifier.verify(presentedKey: key, facts: APIKeyRequestFacts(now: now))
    }

    @Test("a fresh key is valid and returns its record (upstream test_key_generation, get_from_key)")
    func validKey() async throws {
        let (record, key) = try store.createKey(name: "test")
        let outcome = await verify(key.reveal())
        #expect(outcome.identity == record)
        #expect(record.name == "test")
        #expect(!record.prefix.isEmpty && !record.hashedKey.isEmpty)
    }

    @Test("the stored hash is not a key (upstream test_key_generation: is_valid(hashed_key) is False)")
    func hashIsNotAKey() async throws {
        let (record, _) = try store.createKey(name: "test")
        #expect(await verify(record.hashedKey).denial == .malformed)
    }

    @Test("what upstream's manager is_valid refuses, we refuse, each for its reason (upstream.md §4.2 table)")
    func observedRefusals() async throws {
        let (_, plaintext) = try store.createKey(name: "test")
        let key = plaintext.reveal()
        let prefix = plaintext.prefix
        let cases: [(String, APIKeyDenial)] = [
            ("", .malformed), ("nodot", .malformed), (prefix, .malformed), (prefix + ".", .malformed),
            (key + " ", .malformed), (" " + key, .malformed), (key + ".extra", .malformed),
            (prefix + ".foobar", .malformed), ("foobar", .malformed),
        ]
        for (presented, reason) in cases {
            #expect(await verify(presented).denial == reason, "\(presented.debugDescription)")
        }
        // Changing the case keeps the shape: it is refused by lookup or by hash.
        for presented in [key.lowercased(), key.uppercased()] where presented != key {
            let denial = await verify(presented).denial
            #expect(denial == .unknownPrefix || denial == .mismatch)
        }
    }

    @Test("right prefix, wrong secret is a mismatch (upstream get_from_key_invalid_key)")
    func wrongSecret() async throws {
        let (_, key) = try store.createKey(name: "test")
        let wrong = key.prefix + "." + String(repeating: "x", count: 32)
        #expect(await verify(wrong).denial == .mismatch)
    }

    @Test("an unknown prefix is refused without a hash being computed (upstream get_from_key_missing_key)")
    func unknownPrefix() async throws {
        #expect(await verify("zzzzzzzz.0123456789abcdefghijABCDEFGHIJkl").denial == .unknownPrefix)
    }

    @Test("a revoked key is refused (upstream test_if_revoked_then_permission_denied)")
    func revoked() async throws {
        let (_, key) = try store.createKey(name: "test", revoked: true)
        #expect(await verify(key.reveal()).denial == .revoked)
        let (_, other) = try store.createKey(name: "later")
        try store.revoke(prefix: other.prefix)
        #expect(await verify(other.reveal()).denial == .revoked)
    }

    @Test(
        "expiry: no date or a future one is valid, a past one is expired, the very instant is still valid (upstream test_has_expired, test_expiry_date)",
        arguments: [(nil, true), (-86_400, false), (86_400, true), (-0.001, false), (0, true), (0.001, true)] as [(TimeInterval?, Bool)])
    func expiry(offset: TimeInterval?, isValid: Bool) async throws {
        let (_, key) = try store.createKey(name: "test", expiresAt: offset.map { now.addingTimeInterval($0) })
        let outcome = await verify(key.reveal())
        #expect((outcome.identity != nil) == isValid)
        if !isValid { #expect(outcome.denial == .expired) }
    }

    @Test("a missing or malformed header never reaches the store")
    func extractionOutcomes() async throws {
        let counting = CountingStore(inner: store)
        let verifier = APIKeyVerifier(store: counting)
        #expect(await verifier.verify(KeyExtraction.missing).denial == .missing)
        #expect(await verifier.verify(KeyExtraction.malformed).denial == .malformed)
        #expect(await verifier.verify(KeyExtraction.key("nodot")).denial == .malformed)
        #expect(counting.lookups == 0)
        _ = await verifier.verify(KeyExtraction.key("zzzzzzzz.0123456789abcdefghijABCDEFGHIJkl"))
        #expect(counting.lookups == 1)
    }

    @Test("a store that cannot answer fails closed with a typed error, never a grant")
    func storeDown() async throws {
        let (_, key) = try store.createKey(name: "test")
        let verifier = APIKeyVerifier(store: BrokenStore(inner: store))
        let outcome = await verifier.verify(presentedKey: key.reveal())
        #expect(outcome.isUnavailable && outcome.identity == nil && outcome.denial == nil)
    }

    @Test("a store's own usability rule refuses keys (upstream test_retired_hero_denied)")
    func customUsableKeys() async throws {
        let heroes = HeroKeyStore()
        let (active, activeKey) = try heroes.keys.createKey(name: "active hero")
        let (_, retiredKey) = try heroes.keys.createKey(name: "retired hero")
        heroes.retire(retiredKey.prefix)
        let verifier = APIKeyVerifier(store: heroes)
        #expect(await verifier.verify(presentedKey: activeKey.reveal()).identity == active)
        #expect(await verifier.verify(presentedKey: retiredKey.reveal()).denial == .unknownPrefix)
    }

    @Test("a key of another store is unknown there (upstream test_non_hero_api_key_denied)")
    func otherStore() async throws {
        let (_, key) = try store.createKey(name: "plain")
        let verifier = APIKeyVerifier(store: InMemoryAPIKeyStore())
        #expect(await verifier.verify(presentedKey: key.reveal()).denial == .unknownPrefix)
    }

    @Test("a stored hash in no readable format is refused as unverifiable")
    func unverifiable() async throws {
        try store.insert(StoredAPIKey(name: "md5", prefix: "abcdEFGH", hashedKey: "md5$$0cc175b9c0f1b6a831c399e269772661"))
        #expect(await verify(Vectors.legacyKey).denial == .unverifiableHash)
    }

    @Test("a custom generator's shape is the one checked")
    func customGenerator() async throws {
        let scheme = KeyScheme(generator: AlphanumericKeyGenerator(prefixLength: 12, secretLength: 40))
        let store = InMemoryAPIKeyStore(scheme: scheme)
        let (_, key) = try store.createKey(name: "long")
        let verifier = APIKeyVerifier(store: store, scheme: scheme)
        #expect(await verifier.verify(presentedKey: key.reveal()).identity != nil)
        #expect(await APIKeyVerifier(store: store).verify(presentedKey: key.reveal()).denial == .malformed)
    }
}

/// Counts lookups, to show what never reaches the database.
final class CountingStore: APIKeyStore {
    let inner: InMemoryAPIKeyStore
    private let count = Locked(0)
    var lookups: Int { count.withLock { $0 } }
    init(inner: InMemoryAPIKeyStore) { self.inner = inner }
    func record(forPrefix prefix: String) async throws -> StoredAPIKey? {
        count.withLock { $0 += 1 }
        return await inner.record(forPrefix: prefix)
    }
    func replaceHash(of record: StoredAPIKey, with newHash: String) async throws {
        await inner.replaceHash(of: record, with: newHash)
    }
}

/// A store whose database is down.
struct BrokenStore: APIKeyStore {
    struct ConnectionRefused: Error {}
    let inner: InMemoryAPIKeyStore
    func record(forPrefix prefix: String) async throws -> StoredAPIKey? { throw ConnectionRefused() }
    func replaceHash(of record: StoredAPIKey, with newHash: String) async throws { throw ConnectionRefused() }
}

/// Upstream's heroes test app: keys of retired heroes are not usable.
final class HeroKeyStore: APIKeyStore {
    let keys = InMemoryAPIKeyStore()
    private let retired = Locked(Set<String>())
    func retire(_ prefix: String) { _ = retired.withLock { $0.insert(prefix) } }
    func record(forPrefix prefix: String) async throws -> StoredAPIKey? {
        guard !retired.withLock({ $0.contains(prefix) }) else { return nil }
        return await keys.record(forPrefix: prefix)
    }
    func replaceHash(of record: StoredAPIKey, with newHash: String) async throws {
        await keys.replaceHash(of: record, with: newHash)
    }
}
