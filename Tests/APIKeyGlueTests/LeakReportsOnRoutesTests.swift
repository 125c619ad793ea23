import APIKeyCore
import APIKeyFluent
import APIKeyTesting
import Crypto
import FluentKit
import Foundation
import TestSupport
import Testing

/// The leak endpoint (`POST /api/leaked-keys`), on Vapor and on Hummingbird alike.
@Suite("Leaked keys reported, on both frameworks")
struct LeakReportsOnRoutesTests {
    static func report(_ tokens: [String], url: String = "https://github.com/octo/app/blob/main/.env") -> String {
        let items = tokens.map { #"{"token":"\#($0)","type":"example_api_key","url":"\#(url)","source":"content"}"# }
        return "[" + items.joined(separator: ",") + "]"
    }

    static let json = [("Content-Type", "application/json")]

    @Test(
        "a reported valid key is revoked (any model), recorded with where it was found; unknown, wrong or garbage tokens change nothing; the answer is always 200 []",
        arguments: Framework.all)
    func revokesWhatItHolds(framework: Framework, database: TestDatabase) async throws {
        var options = ServerOptions()
        options.settings.recordsEvents = true
        try await withServer(framework, database, options) { server in
            let keys = server.manager(APIKey.self)
            let (leaked, leakedKey) = try await keys.createKey(name: "leaked")
            let (kept, keptKey) = try await keys.createKey(name: "kept")
            let batman = Hero(name: "Batman")
            try await batman.create(on: server.database)
            let (hero, heroKey) = try await server.manager(HeroAPIKey.self).createKey(name: "hero's") { $0.$hero.id = batman.id! }
            #expect(try await server.get("/api/protected", key: leakedKey).status == 200, "cached before the report")

            let wrongSecret = kept.prefix + "." + String(repeating: "x", count: 32)
            var answers: [TestResponse] = []
            for tokens in [[wrongSecret], ["zzzzzzzz." + String(repeating: "y", count: 32)], ["garbage"], [leakedKey.reveal(), heroKey.reveal()]] {
                answers.append(try await server.send("POST", "/api/leaked-keys", headers: Self.json, body: Self.report(tokens)))
            }
            #expect(answers.allSatisfy { $0.status == 200 && $0.body == "[]" && $0.header("Content-Type") == "application/json" })

            #expect(try await server.get("/api/protected", key: leakedKey).status == 401, "revoked at once, the cache too")
            #expect(try await server.get("/api/protected", key: keptKey).status == 200)
            #expect(try await keys.model(prefix: leaked.prefix)?.isRevoked == true)
            #expect(try await keys.model(prefix: kept.prefix)?.isRevoked == false, "a wrong secret revokes nothing")
            #expect(try await server.manager(HeroAPIKey.self).model(prefix: hero.prefix)?.isRevoked == true)

            let event = try #require(try await keys.events(prefix: leaked.prefix).first)
            #expect(event.kind == .leakRevoked && event.source == "leak report")
            #expect(event.detail == "found at https://github.com/octo/app/blob/main/.env (content)")
            // Reported again: still 200 [], no second event.
            let again = try await server.send("POST", "/api/leaked-keys", headers: Self.json, body: Self.report([leakedKey.reveal()]))
            #expect(again.status == 200 && again.body == "[]")
            #expect(try await keys.events(prefix: leaked.prefix).filter { $0.kind == .leakRevoked }.count == 1)
        }
    }

    @Test("bodies that are not reports: 400 saying what is accepted, 413 past the size; never a 500", arguments: Framework.all)
    func badBodies(framework: Framework, database: TestDatabase) async throws {
        var options = ServerOptions()
        options.leakReporting.maximumReports = 3
        options.leakReporting.maximumBodySize = 2048
        try await withServer(framework, database, options) { server in
            for body in ["", "{}", "not json", "[]", #"[{"type":"x"}]"#, #"[{"token":""}]"#, #"[{"token":5}]"#, Self.report(["a", "b", "c", "d"]),
                         Self.report([String(repeating: "k", count: 600)])] {
                let answer = try await server.send("POST", "/api/leaked-keys", headers: Self.json, body: body)
                #expect(answer.status == 400, "\(body.prefix(40))")
                #expect(answer.body.contains("JSON array of 1 to 3 objects") || answer.body.contains("1 to 512 bytes"), "\(answer.body)")
            }
            let huge = try await server.send("POST", "/api/leaked-keys", headers: Self.json, body: Self.report(["a"], url: String(repeating: "u", count: 3000)))
            #expect(huge.status == 413 && huge.body.contains("larger than 2048 bytes"), "\(huge.status) \(huge.body)")
        }
    }

    @Test("with GitHub's keys, only reports GitHub signed are taken (401 otherwise), and revocations say github", arguments: Framework.all)
    func signatures(framework: Framework, database: TestDatabase) async throws {
        let github = P256.Signing.PrivateKey()
        let identifier = "bcb53661c06b4728e59d897fb6165d5c9cda0fd9cdf9d09ead458168deb7518c"
        var options = ServerOptions()
        options.settings.recordsEvents = true
        options.leakReporting.githubKeys = try GitHubSigningKeys([identifier: github.publicKey.pemRepresentation])
        try await withServer(framework, database, options) { server in
            let keys = server.manager(APIKey.self)
            let (leaked, leakedKey) = try await keys.createKey(name: "leaked")
            let body = Self.report([leakedKey.reveal()])
            let signature = try github.signature(for: Data(body.utf8)).derRepresentation.base64EncodedString()
            let other = try P256.Signing.PrivateKey().signature(for: Data(body.utf8)).derRepresentation.base64EncodedString()
            let tampered = Self.report([leakedKey.reveal()], url: "https://example.com")
            for headers in [
                [], [("Github-Public-Key-Identifier", identifier)], [("Github-Public-Key-Identifier", identifier), ("Github-Public-Key-Signature", other)],
                [("Github-Public-Key-Identifier", "unknown"), ("Github-Public-Key-Signature", signature)],
                [("Github-Public-Key-Identifier", identifier), ("Github-Public-Key-Signature", "not base64!")],
            ] {
                let answer = try await server.send("POST", "/api/leaked-keys", headers: Self.json + headers, body: body)
                #expect(answer.status == 401 && answer.body.contains("signed by GitHub"))
            }
            let signedHeaders = Self.json + [("Github-Public-Key-Identifier", identifier), ("Github-Public-Key-Signature", signature)]
            #expect(try await server.send("POST", "/api/leaked-keys", headers: signedHeaders, body: tampered).status == 401, "the signature covers the body")
            #expect(try await keys.model(prefix: leaked.prefix)?.isRevoked == false)
            let signed = try await server.send("POST", "/api/leaked-keys", headers: signedHeaders, body: body)
            #expect(signed.status == 200 && signed.body == "[]")
            #expect(try await keys.model(prefix: leaked.prefix)?.isRevoked == true)
            #expect(try await keys.events(prefix: leaked.prefix).first?.source == "github")
        }
    }

    @Test("reports are rate-limited per client address: 429 with Retry-After", arguments: Framework.all)
    func rateLimited(framework: Framework, database: TestDatabase) async throws {
        var options = ServerOptions()
        options.settings.clock = APIKeyTestClock().clock
        options.leakReporting.rateLimit = try RateLimit(2, per: .minute)
        try await withServer(framework, database, options) { server in
            let body = Self.report(["garbage"])
            #expect(try await server.send("POST", "/api/leaked-keys", headers: Self.json, body: body).status == 200)
            #expect(try await server.send("POST", "/api/leaked-keys", headers: Self.json, body: body).status == 200)
            let limited = try await server.send("POST", "/api/leaked-keys", headers: Self.json, body: body)
            #expect(limited.status == 429 && limited.header("Retry-After") == "30")
        }
    }

    @Test("with the database down, a report is 503 with Retry-After, so that the reporter sends it again", arguments: Framework.all)
    func databaseDown(framework: Framework, database: TestDatabase) async throws {
        guard database == .postgres else { return }
        var options = ServerOptions()
        options.databaseDown = true
        try await withServer(framework, database, options) { server in
            let answer = try await server.send("POST", "/api/leaked-keys", headers: Self.json, body: Self.report(["abcdEFGH." + String(repeating: "s", count: 32)]))
            #expect(answer.status == 503 && answer.header("Retry-After") == "30")
        }
    }
}
