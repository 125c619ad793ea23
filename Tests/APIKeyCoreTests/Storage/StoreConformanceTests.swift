@_spi(Internals) import APIKeyCore
import APIKeyTesting
import Testing

@Suite("The store conformance suite, on the stores in memory")
struct InMemoryStoreConformanceTests {
    @Test("InMemoryAPIKeyStore keeps every rule")
    func inMemory() async throws {
        try await APIKeyStoreConformance(InMemoryStoreFixture()).run()
    }

    @Test("CachedAPIKeyStore in front of it keeps every rule too")
    func cached() async throws {
        try await APIKeyStoreConformance(CachedStoreFixture(InMemoryStoreFixture())).run()
    }

    @Test("a store that breaks a rule is caught, and the rule named: the suite is not vacuous")
    func catchesABrokenStore() async throws {
        let violations = try await APIKeyStoreConformance(CaseInsensitiveFixture()).violations()
        #expect(violations == [#""EXACT9PQ" found the key of "exAct9Pq""#, #""exact9pq" found the key of "exAct9Pq""#])
    }
}

/// A store that finds keys whatever the case of the prefix, as a careless SQL collation would.
struct CaseInsensitiveFixture: APIKeyStoreFixture {
    struct Store: APIKeyStore {
        let base = InMemoryAPIKeyStore()
        func record(forPrefix prefix: String) async throws -> StoredAPIKey? {
            base.allKeys.first { $0.prefix.lowercased() == prefix.lowercased() }
        }
        func replaceHash(of record: StoredAPIKey, with newHash: String) async throws {
            await base.replaceHash(of: record, with: newHash)
        }
    }
    let store = Store()
    func insert(_ key: APIKeyStoreFixtureKey) async throws { try await InMemoryStoreFixture(store.base).insert(key) }
    func revoke(prefix: String) async throws { try store.base.revoke(prefix: prefix) }
    func delete(prefix: String) async throws { try store.base.delete(prefix: prefix) }
    func storedHash(prefix: String) async throws -> String? { await store.base.record(forPrefix: prefix)?.hashedKey }
}
