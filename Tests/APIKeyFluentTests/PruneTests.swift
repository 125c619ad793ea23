import APIKeyCore
import APIKeyDjango
@testable import APIKeyFluent
import APIKeyTesting
import FluentKit
import Foundation
import SQLKit
import TestSupport
import Testing

@Suite("Pruning: keys revoked or expired long ago are deleted, and only those")
struct PruneTests {
    static let day: TimeInterval = 86_400

    @Test("revoked or expired before the cutoffs: deleted, oldest first, each an event; recent, active, undated ones kept; a dry run deletes nothing", arguments: TestDatabase.all)
    func prune(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let clock = APIKeyTestClock(Date(timeIntervalSince1970: 1_764_849_600))
            var settings = APIKeySettings(clock: clock.clock)
            settings.recordsEvents = true
            let keys = APIKeyServices(settings: settings).service(for: APIKey.self).manager(on: db)
            let (oldRevoked, _) = try await keys.createKey(name: "revoked long ago")
            try await keys.revoke(oldRevoked)
            let (oldExpired, _) = try await keys.createKey(name: "expired long ago", expiresAt: clock.now().addingTimeInterval(Self.day))
            let (undated, _) = try await keys.createKey(name: "revoked before revoked_at")
            try await keys.revoke(undated)
            try await (db as! any SQLDatabase).update("api_keys").set("revoked_at", to: SQLLiteral.null).where("prefix", .equal, undated.prefix).run()
            clock.advance(by: 100 * Self.day)
            let (recent, _) = try await keys.createKey(name: "revoked yesterday")
            try await keys.revoke(recent)
            let (active, activeKey) = try await keys.createKey(name: "active", expiresAt: clock.now().addingTimeInterval(Self.day))
            clock.advance(by: Self.day)
            #expect(try await keys.model(prefix: oldRevoked.prefix)?.revokedAt == Date(timeIntervalSince1970: 1_764_849_600))

            let cutoff = clock.now().addingTimeInterval(-90 * Self.day)
            let dry = try await keys.prune(revokedBefore: cutoff, expiredBefore: cutoff, dryRun: true)
            #expect(dry.deleted.map(\.prefix) == [oldRevoked.prefix, oldExpired.prefix])
            #expect(dry.deleted[0].reason == "revoked 2025-12-04 12:00 UTC" && dry.deleted[1].reason == "expired 2025-12-05 12:00 UTC")
            #expect(dry.undatedRevocations == 1)
            #expect(try await APIKey.query(on: db).count() == 5, "a dry run deletes nothing")

            let pruned = try await keys.prune(revokedBefore: cutoff, expiredBefore: cutoff)
            #expect(pruned.deleted == dry.deleted && pruned.stillReferenced.isEmpty)
            let left = Set(try await APIKey.query(on: db).all().map(\.prefix))
            #expect(left == [undated.prefix, recent.prefix, active.prefix])
            #expect(try await keys.isValid(activeKey.reveal()))
            #expect(try await keys.events(prefix: oldRevoked.prefix).map(\.kind) == [.deleted, .revoked, .created])
            // Only expired ones: the revoked keys stay.
            #expect(try await keys.prune(revokedBefore: nil, expiredBefore: clock.now().addingTimeInterval(1)).deleted.map(\.prefix) == [active.prefix])
        }
    }

    @Test("on djangorestframework-api-key's table, expired keys are pruned and revoked ones kept, counted as undated", arguments: TestDatabase.all)
    func djangoTable(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateDjangoAPIKeys()]) { db in
            let clock = APIKeyTestClock(Date(timeIntervalSince1970: 1_764_849_600))
            let keys = APIKeyManager(DjangoAPIKey.self, on: db, clock: clock.clock)
            let (revoked, _) = try await keys.createKey(name: "revoked")
            try await keys.revoke(revoked)
            let (expired, _) = try await keys.createKey(name: "expired", expiresAt: clock.now().addingTimeInterval(Self.day))
            clock.advance(by: 100 * Self.day)
            let pruned = try await keys.prune(revokedBefore: clock.now(), expiredBefore: clock.now())
            #expect(pruned.deleted.map(\.prefix) == [expired.prefix] && pruned.undatedRevocations == 1)
            #expect(try await keys.model(prefix: revoked.prefix) != nil)
        }
    }
}
