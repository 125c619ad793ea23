import APIKeyCore
import APIKeyDjango
import APIKeyFluent
import APIKeyTesting
import FluentKit
import Foundation
import Logging
import SQLKit
import TestSupport
import Testing

/// Keys' last use and daily counts: gathered in memory, written in batches, read by the
/// manager's list and usage, on SQLite and PostgreSQL.
@Suite("Usage: last use and daily counts")
struct UsageTests {
    static let logger = Logger(label: "test")
    let start = Date(timeIntervalSince1970: 1_764_849_600)  // 2025-12-04T12:00:00Z

    /// A service of the built-in model that gathers usage, on a clock of the test's.
    func service(_ clock: APIKeyTestClock) -> (APIKeyServices, APIKeyService<APIKey>) {
        let services = APIKeyServices(settings: APIKeySettings(clock: clock.clock))
        services.startRecordingUsage()
        return (services, services.service(for: APIKey.self))
    }

    @Test("requests are counted once per write, by day and outcome; unknown prefixes and garbage are not counted", arguments: TestDatabase.all)
    func counts(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let clock = APIKeyTestClock(start)
            let (services, service) = service(clock)
            let keys = service.manager(on: db)
            let (record, key) = try await keys.createKey(name: "counted")
            let wrong = PlaintextAPIKey(prefix: key.prefix, secret: String(repeating: "x", count: 32))
            for _ in 0..<3 { _ = await service.authenticate(.key(key.reveal()), on: db, logger: Self.logger) }
            _ = await service.authenticate(.key(wrong.reveal()), on: db, logger: Self.logger)
            _ = await service.authenticate(.key("zzzzzzzz.\(String(repeating: "a", count: 32))"), on: db, logger: Self.logger)
            _ = await service.authenticate(.key("garbage"), on: db, logger: Self.logger)
            _ = await service.authenticate(.missing, on: db, logger: Self.logger)
            clock.advance(by: 86_400)
            _ = await service.authenticate(.key(key.reveal()), on: db, logger: Self.logger)
            await services.flushUsage(on: db, logger: Self.logger)
            await services.flushUsage(on: db, logger: Self.logger)  // nothing new: nothing added

            let usage = try await keys.usage(of: record.prefix, days: 3)
            #expect(usage.lastUsedAt == start.addingTimeInterval(86_400))
            #expect(usage.days.map(\.day) == ["2025-12-03", "2025-12-04", "2025-12-05"])
            #expect(usage.days.map(\.granted) == [0, 3, 1])
            #expect(usage.days[1].refused == ["mismatch": 1])
            let sql = db as! any SQLDatabase
            let rows = try await sql.raw("SELECT prefix FROM api_key_daily_usage").all()
            #expect(Set(try rows.map { try $0.decode(column: "prefix", as: String.self) }) == [record.prefix], "only the key's own prefix")
            await #expect(throws: APIKeyManagerError.notFound(prefix: "zzzzzzzz")) { try await keys.usage(of: "zzzzzzzz") }
        }
    }

    @Test("a key's last use only moves forward, whichever instance writes last; both instances' counts add up", arguments: TestDatabase.all)
    func forwardOnly(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let later = APIKeyTestClock(start.addingTimeInterval(60))
            let earlier = APIKeyTestClock(start)
            let (laterServices, laterService) = service(later)
            let (earlierServices, earlierService) = service(earlier)
            let (record, key) = try await laterService.manager(on: db).createKey(name: "shared")
            _ = await laterService.authenticate(.key(key.reveal()), on: db, logger: Self.logger)
            _ = await earlierService.authenticate(.key(key.reveal()), on: db, logger: Self.logger)
            await laterServices.flushUsage(on: db, logger: Self.logger)
            await earlierServices.flushUsage(on: db, logger: Self.logger)
            let usage = try await laterService.manager(on: db).usage(of: record.prefix, days: 1)
            #expect(usage.lastUsedAt == start.addingTimeInterval(60))
            #expect(usage.days.last?.granted == 2)
        }
    }

    @Test("writes racing a shutdown: every use written exactly once, with a write every few milliseconds while requests come", arguments: TestDatabase.all)
    func racingShutdown(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            var settings = APIKeySettings()
            settings.usage = try APIKeyUsagePolicy(flushInterval: .milliseconds(2))
            let services = APIKeyServices(settings: settings)
            let service = services.service(for: APIKey.self)
            let prefixes = (0..<20).map { String(format: "key%05d", $0) }
            let flushing = UsageFlushing(services: { services }, database: { db }, logger: Self.logger)
            let writer = Task { await flushing.run() }
            // The writer has started gathering once the recorder takes uses.
            while service.usageRecorder!.take().isEmpty {
                service.usageRecorder!.recordRefused(prefix: "warmup00", reason: "probe", at: start)
                try await Task.sleep(for: .milliseconds(1))
            }
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        for index in 0..<500 {
                            service.usageRecorder!.recordGranted(prefix: prefixes[(worker + index) % prefixes.count], at: self.start)
                            if index % 50 == 0 { await Task.yield() }
                        }
                    }
                }
            }
            writer.cancel()  // the shutdown: a write may be under way
            await writer.value
            let sql = db as! any SQLDatabase
            let rows = try await sql.raw("SELECT prefix, requests FROM api_key_daily_usage WHERE outcome = 'granted'").all()
            let written = try rows.reduce(0) { $0 + Int(try $1.decode(column: "requests", as: Int64.self)) }
            #expect(written == 2_000)
            #expect(rows.count == 20)
        }
    }

    @Test("a write that fails is kept and written once, with what came after, when it can", arguments: TestDatabase.all)
    func failedWrite(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateAPIKeys(), AddAPIKeyAccessFields(), AddAPIKeyRateLimit(), AddAPIKeyRotation(), AddAPIKeyRevocationTime()]) { db in
            let clock = APIKeyTestClock(start)
            let (services, service) = service(clock)
            let (record, key) = try await service.manager(on: db).createKey(name: "kept")
            _ = await service.authenticate(.key(key.reveal()), on: db, logger: Self.logger)
            let logs = LogCapture()
            await services.flushUsage(on: db, logger: logs.logger())
            #expect(logs.all.contains { $0.level == .warning && $0.message.contains("could not be written") && $0.message.contains("CreateAPIKeyUsage") })
            #expect(try await service.manager(on: db).list(APIKeyQuery()).keys.count == 1, "the list works without the usage tables")

            try await CreateAPIKeyUsage().prepare(on: db)
            clock.advance(by: 5)
            _ = await service.authenticate(.key(key.reveal()), on: db, logger: Self.logger)
            await services.flushUsage(on: db, logger: Self.logger)
            let usage = try await service.manager(on: db).usage(of: record.prefix, days: 1)
            #expect(usage.days.last?.granted == 2)
            #expect(usage.lastUsedAt == start.addingTimeInterval(5))
        }
    }

    @Test("the list shows last use, filters idle keys (never used included) and sorts by use", arguments: TestDatabase.all)
    func list(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let clock = APIKeyTestClock(start)
            let (services, service) = service(clock)
            let keys = service.manager(on: db)
            let (never, _) = try await keys.createKey(name: "never used")
            let (old, oldKey) = try await keys.createKey(name: "used long ago")
            let (recent, recentKey) = try await keys.createKey(name: "used today")
            _ = await service.authenticate(.key(oldKey.reveal()), on: db, logger: Self.logger)
            clock.advance(by: 40 * 86_400)
            _ = await service.authenticate(.key(recentKey.reveal()), on: db, logger: Self.logger)
            await services.flushUsage(on: db, logger: Self.logger)

            let all = try await keys.list(APIKeyQuery())
            #expect(all.summaries.first { $0.prefix == old.prefix }?.lastUsedAt == start)
            #expect(all.summaries.first { $0.prefix == never.prefix }?.lastUsedAt == nil)
            let idle = try await keys.list(APIKeyQuery(notUsedSince: clock.now().addingTimeInterval(-30 * 86_400), order: .longestIdle))
            #expect(idle.keys.map(\.prefix) == [never.prefix, old.prefix] && idle.total == 2)
            let recently = try await keys.list(APIKeyQuery(order: .recentlyUsed))
            #expect(recently.keys.map(\.prefix) == [recent.prefix, old.prefix, never.prefix])
            let paged = try await keys.list(APIKeyQuery(order: .longestIdle, limit: 1, offset: 1))
            #expect(paged.keys.map(\.prefix) == [old.prefix] && paged.total == 3)

            let json = String(decoding: try JSONEncoder().encode(all.summaries.first { $0.prefix == never.prefix }), as: UTF8.self)
            #expect(json.contains(#""last_used_at":null"#))
        }
    }

    @Test("Django's table keeps its usage beside it, untouched", arguments: TestDatabase.all)
    func djangoTable(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateDjangoAPIKeys(), CreateAPIKeyUsage()]) { db in
            let clock = APIKeyTestClock(start)
            let services = APIKeyServices(settings: APIKeySettings(clock: clock.clock))
            services.startRecordingUsage()
            let service = services.service(for: DjangoAPIKey.self)
            let (record, key) = try await service.manager(on: db).createKey(name: "django")
            _ = await service.authenticate(.key(key.reveal()), on: db, logger: Self.logger)
            await services.flushUsage(on: db, logger: Self.logger)
            #expect(try await service.manager(on: db).usage(of: record.prefix, days: 1).lastUsedAt == start)
        }
    }

    @Test("days are named in UTC on the proleptic Gregorian calendar")
    func dayNames() {
        #expect(UsageTables.dayName(0) == "1970-01-01")
        #expect(UsageTables.dayName(UsageBatch.day(of: start)) == "2025-12-04")
        #expect(UsageTables.dayName(11_016) == "2000-02-29")
        #expect(UsageTables.dayName(-1) == "1969-12-31")
        #expect(UsageTables.dayName(2_932_896) == "9999-12-31")
    }
}
