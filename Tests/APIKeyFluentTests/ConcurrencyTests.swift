import APIKeyCore
import APIKeyFluent
import FluentKit
import Foundation
import TestSupport
import Testing

/// Many tasks creating, verifying and revoking keys at once, against the real databases.
@Suite("Concurrency")
struct ConcurrencyTests {
    @Test("200 keys created at once from a 2-character prefix space: no error, no lost write, every key works", arguments: TestDatabase.all)
    func concurrentCreation(_ database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            // 3,844 prefixes: collisions are certain among 200 keys, and must be retried, not surfaced.
            let scheme = KeyScheme(generator: AlphanumericKeyGenerator(prefixLength: 2, secretLength: 32))
            let keys = APIKeyService(APIKey.self, settings: APIKeySettings(scheme: scheme)).manager(on: db)
            let made = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<200 {
                    group.addTask { try await keys.createKey(name: "concurrent \(index)").key.reveal() }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(made.count == 200)
            #expect(Set(made.map { $0.prefix(2) }).count == 200)
            #expect(try await APIKey.query(on: db).count() == 200)
            #expect(Set(try await APIKey.query(on: db).all().map(\.name)).count == 200)
            for key in made { #expect(await keys.verify(key).identity != nil) }
        }
    }

    @Test("verifying while revoking: once a revocation has returned, no verification that starts later accepts the key", arguments: TestDatabase.all)
    func verifyDuringRevocation(_ database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let keys = APIKeyService(APIKey.self).manager(on: db)  // with the cache, as an app has it
            var made: [String] = []
            for index in 0..<20 { made.append(try await keys.createKey(name: "revoked under load \(index)").key.reveal()) }
            let clock = ContinuousClock()
            /// When the revocation of one key returned.
            final class Revocation: Sendable {
                let returned = Locked<ContinuousClock.Instant?>(nil)
            }
            /// Keys accepted by a verification that started after their revocation returned.
            final class Violations: Sendable {
                let prefixes = Locked<[String]>([])
            }
            let violations = Violations()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for key in made {
                    let prefix = String(key.prefix(8))
                    let revocation = Revocation()
                    // Four verifiers per key, from before the revocation until well after it.
                    for _ in 0..<4 {
                        group.addTask {
                            let end = clock.now.advanced(by: .milliseconds(400))
                            while clock.now < end {
                                let started = clock.now
                                let outcome = await keys.verify(key)
                                if let revoked = revocation.returned.withLock({ $0 }), started > revoked, outcome.identity != nil {
                                    violations.prefixes.withLock { $0.append(prefix) }
                                }
                            }
                        }
                    }
                    group.addTask {
                        try await Task.sleep(for: .milliseconds(Int.random(in: 20...200)))
                        try await keys.revoke(prefixes: [prefix])
                        revocation.returned.withLock { $0 = clock.now }
                    }
                }
                try await group.waitForAll()
            }
            #expect(violations.prefixes.withLock { $0 }.isEmpty)
            for key in made { #expect(await keys.verify(key).denial == .revoked) }
        }
    }

    @Test("creating, verifying, revoking and deleting different keys at once: each operation's effect is there at the end", arguments: TestDatabase.all)
    func mixedOperations(_ database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let keys = APIKeyService(APIKey.self).manager(on: db)
            var existing: [String] = []
            for index in 0..<60 { existing.append(try await keys.createKey(name: "mixed \(index)").key.reveal()) }
            let created = try await withThrowingTaskGroup(of: String?.self) { group in
                for (index, key) in existing.enumerated() {
                    group.addTask {
                        let prefix = String(key.prefix(8))
                        switch index % 3 {
                        case 0: try await keys.revoke(prefixes: [prefix])
                        case 1: try await keys.delete(try #require(try await keys.model(prefix: prefix)))
                        default: _ = await keys.verify(key)
                        }
                        return nil
                    }
                    group.addTask { try await keys.createKey(name: "new \(index)").key.reveal() }
                }
                return try await group.reduce(into: [String]()) { if let key = $1 { $0.append(key) } }
            }
            for (index, key) in existing.enumerated() {
                let expected: APIKeyDenial? = [.revoked, .unknownPrefix, nil][index % 3]
                #expect(await keys.verify(key).denial == expected)
            }
            for key in created { #expect(await keys.verify(key).identity != nil) }
            #expect(try await APIKey.query(on: db).count() == 60 - 20 + 60)
        }
    }
}
