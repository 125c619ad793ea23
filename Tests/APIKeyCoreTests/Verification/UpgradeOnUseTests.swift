@_spi(Internals) import APIKeyCore
import Foundation
import Testing

@Suite("Legacy hashes are upgraded on use (upstream.md §2.4)")
struct UpgradeOnUseTests {
    let upgraded = "sha512$$29d7398ab5defff108cc609ca5a957122f75a81c26776a1c50ddff5ef674f5370c0a7e24f38b73a39e41fd0b3c7b65a078848bae704c68befa6a21ea6ca9ac18"

    func storeWithLegacyRow(_ hashed: String, revoked: Bool = false, expiresAt: Date? = nil) throws -> InMemoryAPIKeyStore {
        let store = InMemoryAPIKeyStore()
        try store.insert(StoredAPIKey(name: "legacy-row", prefix: "abcdEFGH", hashedKey: hashed, isRevoked: revoked, expiresAt: expiresAt))
        return store
    }

    @Test("every legacy vector: a wrong key leaves the row alone; the right key is granted and its hash becomes sha512$$",
          arguments: Vectors.upstream.legacy)
    func upgrade(vector: Vectors.Upstream.Legacy) async throws {
        let store = try storeWithLegacyRow(vector.hashed_key)
        let verifier = APIKeyVerifier(store: store)
        let wrong = String(vector.key.dropLast()) + "x"
        #expect(await verifier.verify(presentedKey: wrong).denial == .mismatch)
        #expect(await store.record(forPrefix: "abcdEFGH")?.hashedKey == vector.hashed_key)

        #expect(await verifier.verify(presentedKey: vector.key).identity != nil)
        #expect(await store.record(forPrefix: "abcdEFGH")?.hashedKey == vector.upgraded_hashed_key_after_successful_use)
        // Second use: the fast path.
        #expect(await verifier.verify(presentedKey: vector.key).identity != nil)
    }

    @Test("upstream test_api_key_hash_upgrade: a bad key leaves the legacy hash, a good one upgrades it")
    func upstreamUpgradeTest() async throws {
        let legacy = Vectors.upstream.legacy[1].hashed_key  // pbkdf2_sha256, 36,000 iterations
        let store = try storeWithLegacyRow(legacy)
        let verifier = APIKeyVerifier(store: store)
        #expect(!SHA512KeyHasher().isPreferred(legacy))
        _ = await verifier.verify(presentedKey: "zzzzzzzz.zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")
        _ = await verifier.verify(presentedKey: "abcdEFGH.zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")
        #expect(await store.record(forPrefix: "abcdEFGH")?.hashedKey == legacy)
        #expect(await verifier.verify(presentedKey: Vectors.legacyKey).identity != nil)
        #expect(SHA512KeyHasher().isPreferred(await store.record(forPrefix: "abcdEFGH")!.hashedKey))
    }

    @Test("an expired legacy key is upgraded though refused; a revoked one is neither checked nor upgraded")
    func expiredAndRevoked() async throws {
        let legacy = Vectors.upstream.legacy[1].hashed_key
        let expired = try storeWithLegacyRow(legacy, expiresAt: Date(timeIntervalSinceNow: -60))
        #expect(await APIKeyVerifier(store: expired).verify(presentedKey: Vectors.legacyKey).denial == .expired)
        #expect(await expired.record(forPrefix: "abcdEFGH")?.hashedKey == upgraded)

        let revoked = try storeWithLegacyRow(legacy, revoked: true)
        #expect(await APIKeyVerifier(store: revoked).verify(presentedKey: Vectors.legacyKey).denial == .revoked)
        #expect(await revoked.record(forPrefix: "abcdEFGH")?.hashedKey == legacy)
    }

    @Test("with legacy hashing off, legacy rows are unverifiable")
    func legacyOff() async throws {
        let store = try storeWithLegacyRow(Vectors.upstream.legacy[1].hashed_key)
        let verifier = APIKeyVerifier(store: store, scheme: KeyScheme(legacyHashes: nil))
        #expect(await verifier.verify(presentedKey: Vectors.legacyKey).denial == .unverifiableHash)
    }

    @Test("a custom hasher upgrades sha512$$ rows to its own format on use")
    func customHasherUpgradesSHA512() async throws {
        struct Reversed: KeyHasher {
            func hash(_ key: String) -> String { "rev$" + String(key.reversed()) }
            func verify(_ key: String, against storedHash: String) -> Bool { hash(key) == storedHash }
            func isPreferred(_ storedHash: String) -> Bool { storedHash.hasPrefix("rev$") }
        }
        let store = try storeWithLegacyRow(upgraded)
        let verifier = APIKeyVerifier(store: store, scheme: KeyScheme(hasher: Reversed()))
        #expect(await verifier.verify(presentedKey: Vectors.legacyKey).identity != nil)
        #expect(await store.record(forPrefix: "abcdEFGH")?.hashedKey == "rev$" + String(Vectors.legacyKey.reversed()))
    }

    @Test("slow verifications run at most `maximumConcurrentVerifications` at once, off the caller's thread")
    func boundedConcurrency() async throws {
        let legacy = LegacyHashing(maximumConcurrentVerifications: 1)
        let vector = Vectors.computed.django.first { $0.hasher.hasPrefix("pbkdf2_sha256") }!
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<6 { group.addTask { try await legacy.verify(vector.key, against: vector.hashed_key) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 6))
    }
}

