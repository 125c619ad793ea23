import APIKeyCore
import APIKeyFluent
import APIKeyTesting
import FluentKit
import SQLKit
import Foundation
import TestSupport
import Testing

/// Rate limits through real requests, on Vapor and on Hummingbird alike.
@Suite("Rate limits on routes, on both frameworks")
struct RateLimitOnRoutesTests {
    @Test("over its limit a key gets 429 with Retry-After and the RateLimit fields, never 401; under it, 200 with RateLimit", arguments: Framework.all)
    func limited(framework: Framework, database: TestDatabase) async throws {
        let clock = APIKeyTestClock(Date(timeIntervalSince1970: 1_764_849_600))
        var options = ServerOptions()
        options.settings.clock = clock.clock
        try await withServer(framework, database, options) { server in
            let keys = server.manager(APIKey.self)
            let (record, key) = try await keys.createKey(name: "metered", rateLimit: try RateLimit(3, per: .minute))
            let (_, free) = try await keys.createKey(name: "unmetered")
            var remaining: [String?] = []
            for _ in 0..<3 {
                let response = try await server.get("/api/protected", key: key)
                #expect(response.status == 200)
                #expect(response.header("RateLimit-Policy") == #""key";q=3;w=60"#)
                remaining.append(response.header("RateLimit"))
            }
            #expect(remaining == [#""key";r=2;t=20"#, #""key";r=1;t=40"#, #""key";r=0;t=60"#])
            let refused = try await server.get("/api/protected", key: key)
            #expect(refused.status == 429)
            #expect(refused.header("Retry-After") == "20")
            #expect(refused.header("RateLimit") == #""key";r=0;t=20"# && refused.header("RateLimit-Policy") == #""key";q=3;w=60"#)
            #expect(refused.header("WWW-Authenticate") == nil, "the key is fine: no challenge")
            #expect(refused.body.contains("Too many requests with this API key."))
            let unmetered = try await server.get("/api/protected", key: free)
            #expect(unmetered.status == 200 && unmetered.header("RateLimit") == nil, "a key without a limit: no fields")
            // A wrong secret with the limited key's prefix is still a 401, whatever its limit.
            #expect(try await server.get("/api/protected", key: PlaintextAPIKey(prefix: key.prefix, secret: String(repeating: "w", count: 32))).status == 401)

            clock.advance(by: 20)
            #expect(try await server.get("/api/protected", key: key).status == 200, "one more after the interval")
            #expect(try await server.get("/api/protected", key: key).status == 429)

            await server.writeUsage()
            let usage = try await keys.usage(of: record.prefix, days: 1)
            #expect(usage.days.map(\.granted) == [4] && usage.days.map(\.rateLimited) == [2])
        }
    }

    @Test("the app's default applies to keys without a limit of their own; the key's own wins", arguments: Framework.all)
    func defaults(framework: Framework, database: TestDatabase) async throws {
        var options = ServerOptions()
        // A clock of the test's: the time between two requests of a loaded machine must not
        // shorten Retry-After.
        options.settings.clock = APIKeyTestClock().clock
        options.settings.defaultRateLimit = try RateLimit(1, per: .hour)
        try await withServer(framework, database, options) { server in
            let keys = server.manager(APIKey.self)
            let (_, plain) = try await keys.createKey(name: "default")
            let (_, generous) = try await keys.createKey(name: "own", rateLimit: try RateLimit(100, per: .second))
            #expect(try await server.get("/api/protected", key: plain).status == 200)
            let refused = try await server.get("/api/protected", key: plain)
            #expect(refused.status == 429)
            #expect(refused.header("Retry-After") == "3600")
            for _ in 0..<5 { #expect(try await server.get("/api/protected", key: generous).status == 200) }
        }
    }

    @Test("counted across instances: the window's budget, then 429 until the next window; 503 when the budgets cannot be leased", arguments: Framework.all)
    func acrossInstances(framework: Framework, database: TestDatabase) async throws {
        let clock = APIKeyTestClock(Date(timeIntervalSince1970: 1_764_849_600))
        var options = ServerOptions()
        options.settings.clock = clock.clock
        options.settings.rateLimitSharing = .acrossInstances()
        try await withServer(framework, database, options) { server in
            let keys = server.manager(APIKey.self)
            let (_, key) = try await keys.createKey(name: "shared", rateLimit: try RateLimit(3, per: .minute, burst: 10))
            for _ in 0..<3 { #expect(try await server.get("/api/protected", key: key).status == 200) }
            let refused = try await server.get("/api/protected", key: key)
            #expect(refused.status == 429, "this instance's burst allows more; the window's budget does not")
            #expect(refused.header("Retry-After") == "60" && refused.header("RateLimit") == #""key";r=0;t=60"#)
            clock.advance(by: 60)
            #expect(try await server.get("/api/protected", key: key).status == 200, "a new window")

            try await (server.database as! any SQLDatabase).raw("DROP TABLE api_key_rate_budget").run()
            clock.advance(by: 60)
            let unavailable = try await server.get("/api/protected", key: key)
            #expect(unavailable.status == 503, "fail closed, as for a key store that is down")
            let (_, free) = try await keys.createKey(name: "unmetered")
            #expect(try await server.get("/api/protected", key: free).status == 200, "a key without a limit needs no budget")
        }
    }
}
