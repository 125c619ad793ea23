import APIKeyCore
import APIKeyDjango
import APIKeyFluent
import APIKeyTesting
import FluentKit
import Foundation
import Logging
import TestSupport
import Testing

enum RotationScope: String, APIKeyScope {
    case read = "reports:read"
}

/// Rotation: a new key that keeps the old one's fields, a grace period for the old one, and a
/// lineage that survives several rotations, on SQLite and PostgreSQL.
@Suite("Rotation")
struct RotationTests {
    static let logger = Logger(label: "test")
    let start = Date(timeIntervalSince1970: 1_764_849_600)

    func service(_ clock: APIKeyTestClock) -> APIKeyService<APIKey> {
        var settings = APIKeySettings(clock: clock.clock, usage: nil)
        settings.scopes = DeclaredScopes(RotationScope.self)
        return APIKeyServices(settings: settings).service(for: APIKey.self)
    }

    @Test("the new key keeps the old one's fields; the old one works for its grace period, saying so, then stops", arguments: TestDatabase.all)
    func rotateWithGrace(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let clock = APIKeyTestClock(start)
            let service = service(clock)
            let keys = service.manager(on: db)
            let (old, oldKey) = try await keys.createKey(
                name: "partner", scopes: ["reports:read"], allowedIPs: ["203.0.113.0/24"], metadata: try APIKeyMetadata(json: #"{"plan":"pro"}"#),
                rateLimit: try RateLimit(100, per: .minute))
            #expect(await service.authenticate(.key(oldKey.reveal()), facts: service.facts(clientAddress: try IPAddress("203.0.113.5")), on: db, logger: Self.logger).identity?.deprecation == nil)

            let (new, newKey) = try await keys.rotate(prefix: old.prefix, grace: .seconds(3_600))
            #expect(new.prefix != old.prefix && newKey.prefix == new.prefix)
            #expect(new.name == "partner" && new.scopes == ["reports:read"] && new.allowedIPs == ["203.0.113.0/24"])
            #expect(new.metadata == (try APIKeyMetadata(json: #"{"plan":"pro"}"#)) && new.rateLimit == "100/min" && new.expiresAt == nil)
            #expect(new.rotatedFrom == old.prefix && new.replacedBy == nil)

            let stored = try #require(try await keys.model(prefix: old.prefix))
            #expect(stored.replacedBy == new.prefix && stored.replacedAt == start)
            #expect(stored.expiresAt == start.addingTimeInterval(3_600))

            // Cached before the rotation, refused or deprecated at once after it: the manager
            // forgets the old prefix.
            let partner = service.facts(clientAddress: try IPAddress("203.0.113.5"))
            let during = await service.authenticate(.key(oldKey.reveal()), facts: partner, on: db, logger: Self.logger)
            let deprecation = try #require(during.identity?.deprecation)
            #expect(deprecation == APIKeyDeprecation(replacedAt: start, sunset: start.addingTimeInterval(3_600)))
            #expect(deprecation.headerFields.map(\.value) == ["@1764849600", "Thu, 04 Dec 2025 13:00:00 GMT"])
            let replaced = await service.authenticate(.key(newKey.reveal()), facts: partner, on: db, logger: Self.logger)
            #expect(replaced.isGranted && replaced.identity?.deprecation == nil)

            clock.advance(by: 3_601)
            #expect(await service.authenticate(.key(oldKey.reveal()), facts: service.facts(clientAddress: try IPAddress("203.0.113.5")), on: db, logger: Self.logger).denial == .expired)
            #expect(await service.authenticate(.key(newKey.reveal()), facts: service.facts(clientAddress: try IPAddress("203.0.113.5")), on: db, logger: Self.logger).isGranted)
        }
    }

    @Test("a grace of zero stops the old key at once; an earlier expiry of its own is kept", arguments: TestDatabase.all)
    func graceBounds(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let clock = APIKeyTestClock(start)
            let service = service(clock)
            let keys = service.manager(on: db)
            let (old, oldKey) = try await keys.createKey(name: "now")
            _ = await service.authenticate(.key(oldKey.reveal()), on: db, logger: Self.logger)  // cached
            _ = try await keys.rotate(prefix: old.prefix, grace: .zero)
            clock.advance(by: 0.001)
            #expect(await service.authenticate(.key(oldKey.reveal()), on: db, logger: Self.logger).denial == .expired)

            let (soon, _) = try await keys.createKey(name: "soon", expiresAt: start.addingTimeInterval(600))
            _ = try await keys.rotate(prefix: soon.prefix, grace: .seconds(86_400))
            #expect(try await keys.model(prefix: soon.prefix)?.expiresAt == start.addingTimeInterval(600))
        }
    }

    @Test("a lineage survives several rotations", arguments: TestDatabase.all)
    func lineage(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let keys = service(APIKeyTestClock(start)).manager(on: db)
            let (first, _) = try await keys.createKey(name: "chain")
            let (second, _) = try await keys.rotate(prefix: first.prefix, grace: .seconds(60))
            let (third, _) = try await keys.rotate(prefix: second.prefix, grace: .seconds(60))
            #expect(try await keys.lineage(of: third.prefix) == [second.prefix, first.prefix])
            #expect(try await keys.lineage(of: first.prefix) == [])
            let summary = APIKeySummary(try #require(try await keys.model(prefix: second.prefix)))
            #expect(summary.rotatedFrom == first.prefix && summary.replacedBy == third.prefix)
            let json = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
            #expect(json.contains(#""rotated_from":"\#(first.prefix)""#) && json.contains(#""replaced_by":"\#(third.prefix)""#))
        }
    }

    @Test("revoked, suspended, expired or already rotated keys, and bad grace periods, are refused with a clear message, changing nothing", arguments: TestDatabase.all)
    func refusals(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let clock = APIKeyTestClock(start)
            let keys = service(clock).manager(on: db)
            let (revoked, _) = try await keys.createKey(name: "revoked", revoked: true)
            let (suspended, _) = try await keys.createKey(name: "suspended")
            try await keys.suspend(prefixes: [suspended.prefix])
            let (expired, _) = try await keys.createKey(name: "expired", expiresAt: start.addingTimeInterval(10))
            clock.advance(by: 20)
            let (rotated, _) = try await keys.createKey(name: "rotated")
            let (replacement, _) = try await keys.rotate(prefix: rotated.prefix, grace: .seconds(60))
            let count = try await APIKey.query(on: db).count()

            let cases: [(String, Duration, APIKeyManagerError.Code, String)] = [
                (revoked.prefix, .seconds(60), .revocationIsFinal, "revoked"),
                (suspended.prefix, .seconds(60), .notRotatable, "suspended"),
                (expired.prefix, .seconds(60), .notRotatable, "expired"),
                (rotated.prefix, .seconds(60), .notRotatable, "rotate that key instead"),
                ("zzzzzzzz", .seconds(60), .notFound, "zzzzzzzz"),
                (replacement.prefix, .seconds(-1), .invalidGrace, "366 days"),
                (replacement.prefix, .seconds(367 * 86_400), .invalidGrace, "366 days"),
            ]
            for (prefix, grace, code, message) in cases {
                do {
                    _ = try await keys.rotate(prefix: prefix, grace: grace)
                    Issue.record("\(prefix) was rotated")
                } catch let error as APIKeyManagerError {
                    #expect(error.code == code && error.description.contains(message), "\(error.description)")
                }
            }
            #expect(try await APIKey.query(on: db).count() == count, "no key was made")
            do {
                _ = try await keys.rotate(prefix: replacement.prefix, grace: .seconds(60), expiresAt: start)
                Issue.record("an expiry in the past was accepted")
            } catch let error as APIKeyManagerError {
                #expect(error.code == .invalidExpiry)
            }
        }
    }

    @Test("two rotations of one key at once make one new key", arguments: TestDatabase.all)
    func concurrentRotations(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let keys = service(APIKeyTestClock(start)).manager(on: db)
            let (old, _) = try await keys.createKey(name: "contested")
            let results = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<4 { group.addTask { (try? await keys.rotate(prefix: old.prefix, grace: .seconds(60))) != nil } }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 1)
            #expect(try await APIKey.query(on: db).count() == 2)
            let stored = try #require(try await keys.model(prefix: old.prefix))
            #expect(try await APIKey.query(on: db).filter(\.$rotatedFrom == old.prefix).first()?.prefix == stored.replacedBy)
        }
    }

    @Test("djangorestframework-api-key's table keeps no lineage: rotation is refused, saying what to do", arguments: TestDatabase.all)
    func djangoTable(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateDjangoAPIKeys()]) { db in
            let keys = APIKeyManager(DjangoAPIKey.self, on: db)
            let (old, _) = try await keys.createKey(name: "django")
            do {
                _ = try await keys.rotate(prefix: old.prefix, grace: .seconds(60))
                Issue.record("rotated on Django's table")
            } catch let error as APIKeyManagerError {
                #expect(error.code == .notSupported && error.description.contains("Create a new key and revoke the old one"))
            }
        }
    }

    @Test("HTTP dates are IMF-fixdates in GMT")
    func httpDates() {
        let deprecation = APIKeyDeprecation(replacedAt: Date(timeIntervalSince1970: 784_111_777), sunset: Date(timeIntervalSince1970: 951_782_400))
        #expect(deprecation.headerFields.map(\.value) == ["@784111777", "Tue, 29 Feb 2000 00:00:00 GMT"])
        #expect(APIKeyDeprecation(replacedAt: Date(timeIntervalSince1970: 0), sunset: Date(timeIntervalSince1970: 784_111_777)).headerFields[1].value
            == "Sun, 06 Nov 1994 08:49:37 GMT")
    }
}
