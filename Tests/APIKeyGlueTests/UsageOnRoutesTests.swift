import APIKeyCore
import APIKeyFluent
import APIKeyTesting
import FluentKit
import Foundation
import TestSupport
import Testing

/// Keys' usage through real requests, on Vapor and on Hummingbird alike.
@Suite("Usage through requests, on both frameworks")
struct UsageOnRoutesTests {
    @Test("every request with a key's prefix counts once, cache hit or miss; its last use and the list show it once written", arguments: Framework.all)
    func counted(framework: Framework, database: TestDatabase) async throws {
        let clock = APIKeyTestClock(Date(timeIntervalSince1970: 1_764_849_600))
        var options = ServerOptions()
        options.settings.clock = clock.clock
        try await withServer(framework, database, options) { server in
            let keys = server.manager(APIKey.self)
            let (record, key) = try await keys.createKey(name: "busy")
            let (idle, _) = try await keys.createKey(name: "idle")
            for _ in 0..<3 { #expect(try await server.get("/api/protected", key: key).status == 200) }
            let wrong = PlaintextAPIKey(prefix: key.prefix, secret: String(repeating: "w", count: 32))
            #expect(try await server.get("/api/protected", key: wrong).status == 401)
            #expect(try await server.get("/api/protected", [("Authorization", "Api-Key nothere1.\(String(repeating: "a", count: 32))")]).status == 401)
            #expect(try await keys.usage(of: record.prefix).lastUsedAt == nil, "nothing written yet: no write on the request path")

            await server.writeUsage()
            let usage = try await keys.usage(of: record.prefix, days: 1)
            #expect(usage.lastUsedAt == clock.now())
            #expect(usage.days.map(\.granted) == [3])
            #expect(usage.days.map(\.refused) == [["mismatch": 1]])
            let listed = try await keys.list(APIKeyQuery(order: .recentlyUsed))
            #expect(listed.summaries.map(\.prefix) == [record.prefix, idle.prefix])
            #expect(listed.summaries.map(\.lastUsedAt) == [clock.now(), nil])
        }
    }
}
