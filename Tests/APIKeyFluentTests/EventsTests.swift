@_spi(Internals) import APIKeyCore
import APIKeyDjango
@testable import APIKeyFluent
import FluentKit
import Foundation
import SQLKit
import TestSupport
import Testing

@Suite("Key events: one stream per app, and the api_key_events table")
struct EventsTests {
    static func event(_ kind: APIKeyEventKind, _ prefix: String) -> APIKeyEvent {
        APIKeyEvent(kind: kind, keyTable: "api_keys", prefix: prefix, at: Date(timeIntervalSince1970: 0))
    }

    @Test("every subscriber gets every event published after it subscribed; finish ends their loops and forgets them")
    func hub() async throws {
        let hub = APIKeyEventHub()
        hub.publish(Self.event(.created, "before"))
        var first = APIKeyEvents(hub: hub).makeAsyncIterator()
        var second = APIKeyEvents(hub: hub).makeAsyncIterator()
        #expect(hub.hasSubscribers)
        hub.publish(Self.event(.created, "aaaaaaaa"))
        hub.publish(Self.event(.revoked, "aaaaaaaa"))
        #expect(await first.next()?.kind == .created)
        #expect(await second.next()?.kind == .created)
        #expect(await first.next()?.kind == .revoked)
        hub.finish()
        #expect(await first.next() == nil)
        #expect(await second.next()?.kind == .revoked)
        #expect(await second.next() == nil)
        #expect(!hub.hasSubscribers)
    }

    @Test("a subscriber that falls behind loses the oldest events, and the app is told of each")
    func slowSubscriber() async throws {
        let dropped = Locked(0)
        let hub = APIKeyEventHub { _ in dropped.withLock { $0 += 1 } }
        var slow = APIKeyEvents(hub: hub).makeAsyncIterator()
        for index in 0..<(APIKeyEventHub.bufferPerSubscriber + 5) { hub.publish(Self.event(.updated, String(index))) }
        #expect(dropped.withLock { $0 } == 5)
        #expect(await slow.next()?.prefix == "5")
    }

    @Test("a legacy hash rewritten on use is an event (Django's table), attributed to nobody, recorded with the table's name", arguments: TestDatabase.all)
    func hashUpgrade(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateDjangoAPIKeys(), CreateAPIKeyEvents()]) { db in
            let sql = db as! any SQLDatabase
            let created = database == .sqlite ? "'2021-01-01 00:00:00'" : "'2021-01-01 00:00:00+00'"
            try await sql.raw("""
                INSERT INTO rest_framework_api_key_apikey (id, prefix, hashed_key, created, name, revoked)
                VALUES (\(bind: "abcdEFGH." + DjangoTableTests.legacyHash), 'abcdEFGH', \(bind: DjangoTableTests.legacyHash), \(unsafeRaw: created), 'legacy-row', \(unsafeRaw: database == .sqlite ? "0" : "false"))
                """).run()
            var settings = APIKeySettings()
            settings.recordsEvents = true
            let services = APIKeyServices(settings: settings)
            var events = APIKeyEvents(hub: services.events).makeAsyncIterator()
            let keys = services.service(for: DjangoAPIKey.self).manager(on: db)
            #expect(try await keys.isValid(DjangoTableTests.legacyKey))
            #expect(try await keys.isValid(DjangoTableTests.legacyKey))
            let event = try #require(await events.next())
            #expect(event.kind == .hashUpgraded && event.prefix == "abcdEFGH" && event.source == nil)
            #expect(event.keyTable == "rest_framework_api_key_apikey")
            #expect(try await keys.events().map(\.kind) == [.hashUpgraded], "once: the second check found the new hash")
        }
    }

    @Test("with recordsEvents off nothing is written, and the stream still has every event", arguments: TestDatabase.all)
    func notRecorded(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let services = APIKeyServices()
            var events = APIKeyEvents(hub: services.events).makeAsyncIterator()
            let keys = services.service(for: APIKey.self).manager(on: db)
            let (record, _) = try await keys.createKey(name: "unrecorded")
            #expect(await events.next()?.prefix == record.prefix)
            #expect(try await keys.events().isEmpty)
        }
    }

    @Test("an event that cannot be written (no table) is logged; the change itself stands", arguments: TestDatabase.all)
    func tableMissing(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateAPIKeys(), AddAPIKeyAccessFields(), AddAPIKeyRateLimit(), AddAPIKeyRotation(), AddAPIKeyRevocationTime()]) { db in
            var settings = APIKeySettings()
            settings.recordsEvents = true
            let keys = APIKeyServices(settings: settings).service(for: APIKey.self).manager(on: db)
            let (record, key) = try await keys.createKey(name: "still made")
            #expect(try await keys.isValid(key.reveal()))
            try await keys.revoke(record)
            #expect(try await keys.model(prefix: record.prefix)?.isRevoked == true)
            await #expect(throws: (any Error).self) { try await keys.events() }
        }
    }
}
