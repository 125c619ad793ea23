import APIKeyCore
import APIKeyFluent
import APIKeyPostgres
import APIKeySQLite
import FluentKit
import Foundation
import Logging
import NIOPosix
import SQLKit
import TestSupport
import Testing

/// Changes made by another process reach this one's cache through its change watcher, long
/// before the entry expires. "Another process" is a second connection pool on the same
/// database (a file for SQLite), with a manager that has no cache of its own.
@Suite("Other processes' changes reach the cache at once")
struct ChangeWatcherTests {
    static let logger = Logger(label: "test")

    @Test("revoking, editing, deleting and creating a key elsewhere is seen without waiting for the time to live", arguments: TestDatabase.all)
    func changesElsewhere(database: TestDatabase) async throws {
        try await withTwoProcesses(database) { here, elsewhere, service in
            let other = APIKeyManager(APIKey.self, on: elsewhere)
            let (record, key) = try await other.createKey(name: "watched")
            try await cached(key, by: service, on: here)

            try await other.revoke(record)
            try await forgotten(key, by: service)
            #expect(await service.authenticate(.key(key.reveal()), on: here, logger: Self.logger).denial == .revoked)

            // An edit: the expiry moved into the past.
            let (edited, editedKey) = try await other.createKey(name: "edited")
            try await cached(editedKey, by: service, on: here)
            edited.expiresAt = Date(timeIntervalSinceNow: -60)
            try await other.update(edited)
            try await forgotten(editedKey, by: service)
            #expect(await service.authenticate(.key(editedKey.reveal()), on: here, logger: Self.logger).denial == .expired)

            // Suspended, then resumed: each seen as a revocation is.
            let (paused, pausedKey) = try await other.createKey(name: "paused")
            try await cached(pausedKey, by: service, on: here)
            try await other.suspend(prefixes: [paused.prefix])
            try await forgotten(pausedKey, by: service)
            #expect(await service.authenticate(.key(pausedKey.reveal()), on: here, logger: Self.logger).denial == .suspended)
            try await cached(suspendedKey: pausedKey, by: service, on: here)
            try await other.resume(prefixes: [paused.prefix])
            try await forgotten(pausedKey, by: service)
            #expect(await service.authenticate(.key(pausedKey.reveal()), on: here, logger: Self.logger).identity != nil)

            let (deleted, deletedKey) = try await other.createKey(name: "deleted")
            try await cached(deletedKey, by: service, on: here)
            try await other.delete(deleted)
            try await forgotten(deletedKey, by: service)
            #expect(await service.authenticate(.key(deletedKey.reveal()), on: here, logger: Self.logger).denial == .unknownPrefix)
        }
    }

    @Test("a prefix remembered as unknown works as soon as another process creates it", arguments: TestDatabase.all)
    func createdElsewhere(database: TestDatabase) async throws {
        try await withTwoProcesses(database) { here, elsewhere, service in
            let scheme = KeyScheme(generator: RepeatingFirstPrefix(prefix: "laterKey"))
            let key = PlaintextAPIKey(prefix: "laterKey", secret: String(repeating: "s", count: 32))
            #expect(await service.authenticate(.key(key.reveal()), on: here, logger: Self.logger).denial == .unknownPrefix)
            #expect(service.authenticateWithoutWaiting(.key(key.reveal()), logger: Self.logger)?.denial == .unknownPrefix, "remembered")
            let (_, created) = try await APIKeyManager(APIKey.self, on: elsewhere, scheme: scheme).createKey(name: "created elsewhere")
            #expect(created.prefix == key.prefix)
            try await forgotten(key, by: service)
            #expect(await service.authenticate(.key(created.reveal()), on: here, logger: Self.logger).identity != nil)
        }
    }

    @Test("usage writes, from this process or another, leave the cache as it is; a key change still reaches it", arguments: TestDatabase.all)
    func usageWritesKeepTheCache(database: TestDatabase) async throws {
        try await withTwoProcesses(database) { here, elsewhere, service in
            try await CreateAPIKeyUsage().prepare(on: here)
            let other = APIKeyManager(APIKey.self, on: elsewhere)
            let (record, key) = try await other.createKey(name: "busy")
            // Cached once the watcher has seen the creation (a key change: it forgets then); on
            // a loaded machine its 25 ms reads can lag, so the entry must stay for a second.
            for _ in 0..<10 {
                try await cached(key, by: service, on: here)
                try await Task.sleep(for: .seconds(1))
                if service.authenticateWithoutWaiting(.key(key.reveal()), logger: Self.logger)?.identity != nil { break }
            }
            var batch = UsageBatch()
            batch.lastUsed[record.prefix] = Date()
            batch.counts[.init(prefix: record.prefix, day: UsageBatch.day(of: Date()), outcome: "granted")] = 1
            for round in 0..<3 {
                try await UsageTables.write(batch, table: APIKey.schema, on: round % 2 == 0 ? elsewhere : here)
                // Some other table of the app's, written too (sessions, orders).
                try await (elsewhere as! any SQLDatabase).raw("UPDATE api_key_daily_usage SET requests = requests").run()
            }
            // The SQLite watcher reads the file's counter every 25 ms; PostgreSQL would notify at
            // once. Long enough for either to have acted, had it been told to.
            try await Task.sleep(for: .milliseconds(300))
            #expect(service.authenticateWithoutWaiting(.key(key.reveal()), logger: Self.logger)?.identity != nil, "still cached")

            try await other.revoke(record)
            try await forgotten(key, by: service)
        }
    }

    @Test("when PostgreSQL drops the listener's connection, it reconnects, forgets everything, and hears changes again")
    func listenerReconnects() async throws {
        guard TestDatabase.all.contains(.postgres) else { return }
        try await withTwoProcesses(.postgres) { here, elsewhere, service in
            let other = APIKeyManager(APIKey.self, on: elsewhere)
            let (record, key) = try await other.createKey(name: "through a reconnection")
            try await cached(key, by: service, on: here)
            // The server ends the listening backend, as a restart or a failover would.
            for pid in try await listenerProcesses(on: elsewhere) {
                try await (elsewhere as! any SQLDatabase).raw("SELECT pg_terminate_backend(\(bind: pid))").run()
            }
            // Reconnecting forgets everything: changes made meanwhile went unheard.
            try await forgotten(key, by: service)
            try await cached(key, by: service, on: here)
            try await other.revoke(record)
            try await forgotten(key, by: service)
            #expect(await service.authenticate(.key(key.reveal()), on: here, logger: Self.logger).denial == .revoked)
        }
    }

    @Test("when the listener's connection stops answering (its backend stopped, as behind a NAT that dropped the flow), it notices within its health check, reconnects, forgets everything, and hears changes again")
    func listenerNoticesASilentConnection() async throws {
        guard TestDatabase.all.contains(.postgres) else { return }
        // A timeout long enough that a loaded machine (ThreadSanitizer, parallel suites) does not
        // reconnect on its own: a reconnection under way when the backend is stopped would stop
        // the wrong backend, one that is already leaving.
        try await withTwoProcesses(.postgres, healthCheck: (.milliseconds(200), .seconds(2))) { here, elsewhere, service in
            let other = APIKeyManager(APIKey.self, on: elsewhere)
            let (record, key) = try await other.createKey(name: "through a silent connection")
            try await cached(key, by: service, on: here)
            // The listening backend stops answering: the connection stays open, nothing arrives.
            let listener = try await settledListenerProcess(on: elsewhere)
            kill(listener, SIGSTOP)
            defer { kill(listener, SIGCONT) }
            let explain = { try await Self.connections(on: elsewhere) }
            // The listener notices, reconnects, and forgets everything (the entry would otherwise live an hour).
            try await forgotten(key, by: service, explaining: explain)
            try await cached(key, by: service, on: here)
            try await other.revoke(record)
            try await forgotten(key, by: service, explaining: explain)
            #expect(await service.authenticate(.key(key.reveal()), on: here, logger: Self.logger).denial == .revoked)
        }
    }

    /// The listener's server process once it has been the only one, idle, for two health checks:
    /// not one that a reconnection is leaving behind.
    private func settledListenerProcess(on database: any Database) async throws -> Int32 {
        let deadline = ContinuousClock.now + .seconds(10)
        var last: [Int32] = []
        while true {
            let now = try await listenerProcesses(on: database, idleOnly: true)
            if now.count == 1, now == last { return now[0] }
            guard ContinuousClock.now < deadline else {
                throw ListenerDidNotSettle(connections: try await Self.connections(on: database))
            }
            last = now
            try await Task.sleep(for: .milliseconds(400))
        }
    }

    /// The database's connections as the server sees them, to say why a test failed.
    private static func connections(on database: any Database) async throws -> String {
        // One line per connection, made by the server: no decoding of nullable columns here.
        let rows = try await (database as! any SQLDatabase).raw("""
            SELECT concat_ws(' ', 'pid=' || pid, 'application=' || application_name, 'state=' || state,
                'waiting=' || wait_event, 'started=' || backend_start, 'query=' || left(query, 60)) AS line
            FROM pg_stat_activity WHERE datname = current_database()
            """).all()
        return try rows.map { try $0.decode(column: "line", as: String.self) }.joined(separator: "; ")
    }

    /// The listener never was the only idle connection for two reads in a row.
    private struct ListenerDidNotSettle: Error, CustomStringConvertible {
        let connections: String
        var description: String { "the listener did not settle on one idle connection within 10 s: \(connections)" }
    }

    /// The server processes of the change watcher's connections, by the name it gives them. On a
    /// loaded machine the listener may be between two connections when asked: ask until it
    /// shows.
    private func listenerProcesses(on database: any Database, idleOnly: Bool = false) async throws -> [Int32] {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let rows = try await (database as! any SQLDatabase).raw("""
                SELECT pid FROM pg_stat_activity
                WHERE datname = current_database() AND application_name = \(bind: PostgresKeyChangeWatcher.applicationName)
                AND (state = 'idle' OR NOT \(bind: idleOnly))
                """).all()
            let pids = try rows.map { try $0.decode(column: "pid", as: Int32.self) }
            if !pids.isEmpty || ContinuousClock.now >= deadline { return pids }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Authenticates `key` until the cache answers for it. On SQLite the watcher makes the cache
    /// forget everything when it notices the key's creation, which may come after the first
    /// lookup.
    private func cached(_ key: PlaintextAPIKey, by service: APIKeyService<APIKey>, on database: any Database) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while service.authenticateWithoutWaiting(.key(key.reveal()), logger: Self.logger)?.identity == nil {
            guard ContinuousClock.now < deadline else {
                Issue.record("\(key.prefix) was not cached within 10 s")
                return
            }
            #expect(await service.authenticate(.key(key.reveal()), on: database, logger: Self.logger).identity != nil)
            try await Task.sleep(for: .milliseconds(30))
        }
    }

    /// Authenticates a suspended key until the cache answers for it (as refused), so that
    /// forgetting it can be seen. The watcher may notice the suspension after a lookup, and
    /// forget it again: the loop asks the database each time.
    private func cached(suspendedKey key: PlaintextAPIKey, by service: APIKeyService<APIKey>, on database: any Database) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while service.authenticateWithoutWaiting(.key(key.reveal()), logger: Self.logger)?.denial != .suspended {
            guard ContinuousClock.now < deadline else {
                Issue.record("\(key.prefix) was not cached as suspended within 10 s")
                return
            }
            #expect(await service.authenticate(.key(key.reveal()), on: database, logger: Self.logger).denial == .suspended)
            try await Task.sleep(for: .milliseconds(30))
        }
    }

    /// Waits until the service's cache no longer answers for `key`: with an hour's time to live,
    /// only the watcher can make it forget.
    private func forgotten(
        _ key: PlaintextAPIKey, by service: APIKeyService<APIKey>, explaining explain: (() async throws -> String)? = nil
    ) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while service.authenticateWithoutWaiting(.key(key.reveal()), logger: Self.logger) != nil {
            guard ContinuousClock.now < deadline else {
                let circumstances = if let explain { try await explain() } else { "" }
                Issue.record("the cache still answers for \(key.prefix) 10 s after another process changed it. \(circumstances)")
                return
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Runs `test` with this process's database, another process's database (same data, its own
    /// connections) and this process's service, whose cache entries live an hour and which
    /// hears changes through the database's watcher.
    private func withTwoProcesses(
        _ kind: TestDatabase, healthCheck: (interval: Duration, timeout: Duration) = (.seconds(10), .seconds(5)),
        _ test: (_ here: any Database, _ elsewhere: any Database, _ service: APIKeyService<APIKey>) async throws -> Void
    ) async throws {
        let fresh = try await kind.make(shared: true)
        let here = Databases(threadPool: .singleton, on: MultiThreadedEventLoopGroup.singleton)
        let elsewhere = Databases(threadPool: .singleton, on: MultiThreadedEventLoopGroup.singleton)
        here.use(fresh.configuration, as: fresh.id)
        elsewhere.use(fresh.configuration, as: fresh.id)
        let watching = Locked<Task<Void, Never>?>(nil)
        do {
            let db = here.database(logger: Self.logger, on: MultiThreadedEventLoopGroup.singleton.any())!
            try await CreateAPIKeys().prepare(on: db)
            try await AddAPIKeyAccessFields().prepare(on: db)
            try await AddAPIKeyRateLimit().prepare(on: db)
            try await AddAPIKeyRotation().prepare(on: db)
            try await AddAPIKeyRevocationTime().prepare(on: db)
            try await NotifyAPIKeyChanges(table: APIKey.schema).prepare(on: db)

            let services = APIKeyServices(settings: APIKeySettings(cache: try VerificationCachePolicy(timeToLive: .seconds(3600))))
            let service = services.service(for: APIKey.self)
            let watcher: any APIKeyChangeWatcher = kind == .sqlite
                ? SQLiteKeyChangeWatcher(path: fresh.location, logger: Self.logger)
                : try PostgresKeyChangeWatcher(
                    url: fresh.location, healthCheckInterval: healthCheck.interval, healthCheckTimeout: healthCheck.timeout, logger: Self.logger)
            // The watcher reports `.anything` once it watches: start the test only then.
            let (started, ready) = AsyncStream.makeStream(of: Void.self)
            watching.withLock { task in
                task = Task {
                    await watcher.watch { change in
                        services.forget(change)
                        if change == .anything { ready.yield() }
                    }
                }
            }
            var iterator = started.makeAsyncIterator()
            _ = await iterator.next()

            try await test(db, elsewhere.database(logger: Self.logger, on: MultiThreadedEventLoopGroup.singleton.any())!, service)
        } catch {
            await stop(watching, here, elsewhere, fresh)
            throw error
        }
        await stop(watching, here, elsewhere, fresh)
    }

    private func stop(_ watching: Locked<Task<Void, Never>?>, _ here: Databases, _ elsewhere: Databases, _ fresh: FreshDatabase) async {
        if let task = watching.withLock({ $0 }) {
            task.cancel()
            await task.value
        }
        await here.shutdownAsync()
        await elsewhere.shutdownAsync()
        await fresh.drop()
    }
}
