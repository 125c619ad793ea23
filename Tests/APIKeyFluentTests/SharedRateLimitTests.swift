import APIKeyCore
import APIKeyFluent
import APIKeyTesting
import FluentKit
import Foundation
import Logging
import SQLKit
import TestSupport
import Testing

/// Rate limits counted across instances: two apps' services (two instances) on one database,
/// leasing slices of each key's budget per window.
@Suite("Rate limits across instances")
struct SharedRateLimitTests {
    static let logger = Logger(label: "test")
    /// The start of a minute, so that a window's whole minute lies ahead.
    let start = Date(timeIntervalSince1970: 1_764_849_600)

    /// An instance: its own services (cache, limiter, shares), on the test's clock.
    func instance(_ clock: APIKeyTestClock, _ sharing: RateLimitSharing = .acrossInstances()) -> (APIKeyServices, APIKeyService<APIKey>) {
        var settings = APIKeySettings(clock: clock.clock, usage: nil)
        settings.rateLimitSharing = sharing
        let services = APIKeyServices(settings: settings)
        return (services, services.service(for: APIKey.self))
    }

    @Test("two instances under load admit a window's budget and no more, then the next window's", arguments: TestDatabase.all)
    func budgetHoldsAcrossInstances(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let clock = APIKeyTestClock(start)
            let (_, first) = instance(clock)
            let (_, second) = instance(clock)
            let (_, key) = try await first.manager(on: db).createKey(name: "busy", rateLimit: try RateLimit(100, per: .minute))
            let presented = key.reveal()

            func load(_ count: Int) async -> [APIKeyOutcome<APIKeyIdentity<APIKey>>] {
                await withTaskGroup(of: APIKeyOutcome<APIKeyIdentity<APIKey>>.self) { group in
                    for index in 0..<count {
                        let service = index.isMultiple(of: 2) ? first : second
                        group.addTask { await service.authenticate(.key(presented), on: db, logger: Self.logger) }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
            }
            let outcomes = await load(300)
            #expect(outcomes.filter(\.isGranted).count == 100)
            let refused = outcomes.filter { $0.denial == .rateLimited }
            #expect(refused.count == 200)
            #expect(refused.allSatisfy { ($0.rateLimit?.retryAfter ?? 0) >= 1 && ($0.rateLimit?.retryAfter ?? 0) <= 60 })
            // A spent budget is remembered for a second: a flood over the limit costs no query
            // per request.
            for service in [first, second] {
                #expect(service.authenticateWithoutWaiting(.key(presented), logger: Self.logger)?.denial == .rateLimited)
            }
            clock.advance(by: 1.5)
            #expect(first.authenticateWithoutWaiting(.key(presented), logger: Self.logger).map { _ in true } == nil, "then the database is asked again")
            #expect(await first.authenticate(.key(presented), on: db, logger: Self.logger).denial == .rateLimited)

            clock.advance(by: 58.5)
            #expect(await load(300).filter(\.isGranted).count == 100, "a new window, a new budget")
        }
    }

    @Test("a client under the limit is never refused; a quiet instance gives back what it did not spend", arguments: TestDatabase.all)
    func quietInstanceGivesBack(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let clock = APIKeyTestClock(start)
            let (firstServices, first) = instance(clock)
            let (_, second) = instance(clock)
            let (record, key) = try await first.manager(on: db).createKey(name: "paced", rateLimit: try RateLimit(160, per: .minute))
            let presented = key.reveal()

            // The first instance's share grows while the key is busy (1, 2, 4, 8, then 10: a
            // sixteenth of 160), so most requests are decided without waiting.
            var withoutWaiting = 0
            for _ in 0..<100 {
                if let known = first.authenticateWithoutWaiting(.key(presented), logger: Self.logger) {
                    #expect(known.isGranted)
                    withoutWaiting += 1
                } else {
                    #expect(await first.authenticate(.key(presented), on: db, logger: Self.logger).isGranted)
                }
            }
            #expect(withoutWaiting >= 80, "a busy key leases in slices: \(withoutWaiting) of 100 without waiting")
            let window = SharedRateBudget.Window(prefix: record.prefix, start: Int64(start.timeIntervalSince1970))
            let unspent = first.sharedBudget!.unspent(window)
            #expect((0...10).contains(unspent))

            // The second instance gets the exact remainder: what the first holds is all it misses.
            var granted = 0
            while await second.authenticate(.key(presented), on: db, logger: Self.logger).isGranted { granted += 1 }
            #expect(granted == 60 - unspent)

            // The first goes quiet; what it held goes back, and the second may spend it.
            clock.advance(by: 3)
            await firstServices.giveBackUnspentBudgets(on: db, logger: Self.logger)
            #expect(first.sharedBudget!.unspent(window) == 0)
            var more = 0
            while await second.authenticate(.key(presented), on: db, logger: Self.logger).isGranted { more += 1 }
            #expect(more == unspent)
            #expect(try await RateBudgetTable.leased(window, table: "api_keys", on: db) == 160, "the window's whole budget, no more")
        }
    }

    @Test("at shutdown an instance gives back everything it holds", arguments: TestDatabase.all)
    func shutdownGivesBack(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let clock = APIKeyTestClock(start)
            let (services, service) = instance(clock)
            let (record, key) = try await service.manager(on: db).createKey(name: "held", rateLimit: try RateLimit(1600, per: .hour))
            for _ in 0..<20 { #expect(await service.authenticate(.key(key.reveal()), on: db, logger: Self.logger).isGranted) }
            let window = SharedRateBudget.Window(prefix: record.prefix, start: Int64(start.timeIntervalSince1970) / 3600 * 3600)
            #expect(try await RateBudgetTable.leased(window, table: "api_keys", on: db)! > 20)
            await services.giveBackUnspentBudgets(on: db, everything: true, logger: Self.logger)
            #expect(try await RateBudgetTable.leased(window, table: "api_keys", on: db) == 20)
        }
    }

    @Test("when the budgets cannot be leased: 503 by default, this instance's count when the app chose so", arguments: TestDatabase.all)
    func unreachableBudgets(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let clock = APIKeyTestClock(start)
            let (_, refusing) = instance(clock)
            let (_, counting) = instance(clock, .acrossInstances(whenUnreachable: .countLocally))
            let (_, key) = try await refusing.manager(on: db).createKey(name: "stranded", rateLimit: try RateLimit(2, per: .minute))
            let (_, unlimited) = try await refusing.manager(on: db).createKey(name: "free")
            try await (db as! any SQLDatabase).raw("DROP TABLE api_key_rate_budget").run()
            let logs = LogCapture()

            #expect(await refusing.authenticate(.key(key.reveal()), on: db, logger: logs.logger()).isUnavailable)
            #expect(logs.all.contains { $0.message.contains("the budgets' database did not answer") })
            #expect(refusing.authenticateWithoutWaiting(.key(key.reveal()), logger: Self.logger)?.isUnavailable == true, "for a second, not asked again")
            #expect(await refusing.authenticate(.key(unlimited.reveal()), on: db, logger: Self.logger).isGranted, "a key without a limit needs no budget")

            // Counted here alone: the key's own limit (2 a minute) still holds in this instance.
            let outcomes = [
                await counting.authenticate(.key(key.reveal()), on: db, logger: Self.logger),
                await counting.authenticate(.key(key.reveal()), on: db, logger: Self.logger),
                await counting.authenticate(.key(key.reveal()), on: db, logger: Self.logger),
            ]
            #expect(outcomes.map(\.isGranted) == [true, true, false])
            #expect(outcomes[2].denial == .rateLimited)
        }
    }

    @Test("windows are aligned to the clock, so every instance names the same one")
    func windows() {
        let limit = try! RateLimit(10, per: .hour)
        let window = APIKeyService<APIKey>.window(of: "abc", limit, at: Date(timeIntervalSince1970: 7_199))
        #expect(window == SharedRateBudget.Window(prefix: "abc", start: 3_600))
        #expect(APIKeyService<APIKey>.window(of: "abc", limit, at: Date(timeIntervalSince1970: -1)).start == -3_600)
    }
}
