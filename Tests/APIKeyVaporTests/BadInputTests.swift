import APIKeyVapor
import Foundation
import TestSupport
import Testing
import VaporTesting

/// The bad-request corpus (Corpus/bad-requests.json, made by scripts/hardening/generate_corpus.py),
/// sent byte for byte over a real socket to a running server: nothing in it may be granted (but
/// the few controls upstream's rules accept), answered with a 5xx, or left hanging.
@Suite("Bad input: the request corpus against a running server")
struct BadInputTests {
    struct Case: Decodable {
        let mode: String
        let name: String
        let expect: String
        let lines: [String]
    }

    static let corpus: [Case] = {
        struct File: Decodable { let cases: [Case] }
        let url = Bundle.module.url(forResource: "bad-requests", withExtension: "json", subdirectory: "Corpus")!
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }()

    @Test("the corpus holds at least 600 requests, in every mode")
    func size() {
        #expect(Self.corpus.count >= 600)
        #expect(Set(Self.corpus.map(\.mode)) == ["authorization", "custom", "scope", "forwarded"])
    }

    @Test(
        "every request of the corpus is refused with a 4xx (or closed by the HTTP parser), never 5xx, never 200 but for upstream's own grants; the server stays up",
        arguments: TestDatabase.all, ["authorization", "custom", "scope", "forwarded"])
    func corpus(_ database: TestDatabase, mode: String) async throws {
        try await withTestApp(database) { app in
            app.logger.logLevel = .warning  // 566 refusals at info would drown the test output
            if mode == "custom" { app.apiKeys.keySource = .header(.custom("X-Api-Key")) }
            app.apiKeys.scopes = DeclaredScopes(TestScope.self)
            // The test connects from 127.0.0.1: in "forwarded" mode, that is the trusted proxy.
            if mode == "forwarded" { app.apiKeys.trustedProxies = try TrustedProxies(["127.0.0.1"]) }
            if mode == "scope" {
                app.grouped(HasAPIKey(requiring: TestScope.write)).get("protected") { req in try req.requireAPIKey().name }
            } else {
                app.grouped(HasAPIKey()).get("protected") { req in try req.requireAPIKey().name }
            }
            let values = try await Self.placeholders(app, mode: mode)
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            var answers: [String: Int] = [:]
            for request in Self.corpus where request.mode == mode {
                let lines = request.lines.map { Self.expand(Array(Data(base64Encoded: $0)!), values) }
                let answer = await RawHTTP.get("/protected", port: port, headerLines: lines)
                answers[answer.description, default: 0] += 1
                switch (request.expect, answer) {
                case ("granted", .status(200)):
                    break
                case ("refused", .status(let code)) where (400..<500).contains(code) && code != 404:
                    break
                case ("refused", .closedWithoutResponse):
                    break  // Vapor's HTTP parser closes on bytes HTTP forbids (NUL, CR, control bytes)
                default:
                    Issue.record("\(request.name): expected \(request.expect), got \(answer)")
                }
            }
            // Still up, and still granting what it should.
            let header = mode == "custom" ? "X-Api-Key: " : "Authorization: Api-Key "
            let control: [String] = switch mode {
            case "scope": [header + values["SCOPED"]!]
            case "forwarded": [header + values["KEY"]!, "X-Forwarded-For: 203.0.113.9"]
            default: [header + values["KEY"]!]
            }
            #expect(await RawHTTP.get("/protected", port: port, headerLines: control.map { Array($0.utf8) }) == .status(200))
            print("corpus (\(mode), \(database)): \(answers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))")
            await app.server.shutdown()
        }
    }

    /// Real keys for the corpus's placeholders. In "scope" mode, {KEY} holds `reports:read` only
    /// and {SCOPED} `reports:write` too; in "forwarded" mode, {KEY} may be used from
    /// 203.0.113.0/24 only.
    static func placeholders(_ app: Application, mode: String) async throws -> [String: String] {
        let keys = app.apiKeys.manager()
        let valid = try await keys.createKey(
            name: "corpus", scopes: mode == "scope" ? [TestScope.read] : [], allowedIPs: mode == "forwarded" ? ["203.0.113.0/24"] : []
        ).key.reveal()
        let scoped = try await keys.createKey(name: "corpus scoped", scopes: [TestScope.read, .write]).key.reveal()
        let revoked = try await keys.createKey(name: "corpus revoked", scopes: ["reports:read", "reports:write"], revoked: true).key.reveal()
        let expired = try await keys.createKey(name: "corpus expired", expiresAt: Date(timeIntervalSince1970: 0)).key.reveal()
        let prefix = String(valid.prefix(8)), secret = String(valid.dropFirst(9))
        return [
            "KEY": valid, "PREFIX": prefix, "SECRET": secret, "PREFIX7": String(prefix.prefix(7)), "SECRET31": String(secret.prefix(31)),
            "KEY_UPPER": valid.uppercased(), "KEY_LOWER": valid.lowercased(),
            "KEY_PERCENT": valid.utf8.map { "%" + String($0, radix: 16, uppercase: true) }.joined(),
            "KEY_BASE64": Data(valid.utf8).base64EncodedString(),
            "UNKNOWN": "zzzzzzzz." + String(repeating: "a", count: 32), "WRONG": prefix + "." + String(repeating: "b", count: 32),
            "REVOKED": revoked, "EXPIRED": expired, "HASH_LIKE": String(repeating: "0", count: 128),
            "SCOPED": scoped, "SCOPED_PREFIX": String(scoped.prefix(8)),
        ]
    }

    /// Fills `{NAME}` from `values` and `{c*N}` with c repeated N times; anything else is literal.
    static func expand(_ line: [UInt8], _ values: [String: String]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < line.count {
            if line[index] == UInt8(ascii: "{"), let close = line[index...].firstIndex(of: UInt8(ascii: "}")) {
                let token = line[(index + 1)..<close]
                if let value = values[String(decoding: token, as: UTF8.self)] {
                    out += Array(value.utf8)
                    index = close + 1
                    continue
                }
                if token.count >= 3, token[token.startIndex + 1] == UInt8(ascii: "*"),
                    let times = Int(String(decoding: token.dropFirst(2), as: UTF8.self))
                {
                    out += Array(repeating: token[token.startIndex], count: times)
                    index = close + 1
                    continue
                }
            }
            out.append(line[index])
            index += 1
        }
        return out
    }
}
