import APIKeyCore
import APIKeyFluent
import APIKeyTesting
import FluentKit
import Foundation
import TestSupport
import Testing

/// A default and a maximum lifetime per key model, on SQLite and PostgreSQL.
@Suite("Lifetime policy")
struct LifetimeTests {
    let start = Date(timeIntervalSince1970: 1_764_849_600)
    static let day: Duration = .seconds(86_400)

    func manager(_ policy: APIKeyLifetimePolicy, on db: any Database) -> APIKeyManager<APIKey> {
        var settings = APIKeySettings(clock: APIKeyTestClock(start).clock, usage: nil)
        settings.lifetime = policy
        return APIKeyServices(settings: settings).service(for: APIKey.self).manager(on: db)
    }

    @Test("a key made without an expiry gets the default; one past the maximum is refused, saying the latest date", arguments: TestDatabase.all)
    func defaultAndMaximum(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let keys = manager(try APIKeyLifetimePolicy(default: Self.day * 30, maximum: Self.day * 90), on: db)
            let (plain, _) = try await keys.createKey(name: "default")
            #expect(plain.expiresAt == start.addingTimeInterval(30 * 86_400))
            let (asked, _) = try await keys.createKey(name: "asked", expiresAt: start.addingTimeInterval(60 * 86_400))
            #expect(asked.expiresAt == start.addingTimeInterval(60 * 86_400))
            do {
                _ = try await keys.createKey(name: "too long", expiresAt: start.addingTimeInterval(91 * 86_400))
                Issue.record("a key past the maximum was made")
            } catch let error as APIKeyManagerError {
                #expect(error.code == .invalidExpiry)
                #expect(error.description == "Keys live at most 90 days here: give an expiry no later than 2026-03-04 12:00:00 UTC.")
            }
            #expect(try await APIKey.query(on: db).count() == 2)

            // Edits: later than the maximum is refused; no expiry for a key that had one too.
            asked.expiresAt = start.addingTimeInterval(100 * 86_400)
            await #expect(throws: APIKeyManagerError.self) { try await keys.update(asked) }
            asked.expiresAt = nil
            await #expect(throws: APIKeyManagerError.self) { try await keys.update(asked) }
            // The replacement of a rotation is a new key: it gets the default.
            let (replacement, _) = try await keys.rotate(prefix: plain.prefix, grace: .zero)
            #expect(replacement.expiresAt == start.addingTimeInterval(30 * 86_400))
        }
    }

    @Test("a maximum alone is the default too; a key older than the policy, with no expiry, can still be renamed", arguments: TestDatabase.all)
    func maximumAlone(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let (legacy, _) = try await manager(.unlimited, on: db).createKey(name: "legacy")
            let keys = manager(try APIKeyLifetimePolicy(maximum: Self.day * 7), on: db)
            let (plain, _) = try await keys.createKey(name: "bounded")
            #expect(plain.expiresAt == start.addingTimeInterval(7 * 86_400))
            legacy.name = "legacy, renamed"
            try await keys.update(legacy)
            #expect(try await keys.model(prefix: legacy.prefix)?.expiresAt == nil)
        }
    }

    @Test("a policy that cannot hold is refused when made")
    func badPolicies() {
        #expect(throws: APIKeyFieldError.self) { try APIKeyLifetimePolicy(default: Self.day * 10, maximum: Self.day) }
        #expect(throws: APIKeyFieldError.self) { try APIKeyLifetimePolicy(default: .zero) }
        #expect(throws: APIKeyFieldError.self) { try APIKeyLifetimePolicy(maximum: .seconds(-1)) }
        #expect(throws: APIKeyFieldError.self) { try APIKeyLifetimePolicy(maximum: Self.day * 40_000) }
        #expect(APIKeyLifetimePolicy.unlimited.defaultLifetime == nil && APIKeyLifetimePolicy.unlimited.maximum == nil)
    }
}
