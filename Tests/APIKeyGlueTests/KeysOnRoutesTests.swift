import APIKeyCore
import APIKeyFluent
import APIKeyTesting
import FluentKit
import Foundation
import TestSupport
import Testing

/// Upstream's permission tests (test_permissions.py), on Vapor and on Hummingbird alike.
@Suite("Keys on routes, on both frameworks")
struct KeysOnRoutesTests {
    /// A refusal as each framework renders it: status, challenge, and the reason in its own error
    /// shape (Vapor's `{"error":true,"reason":…}`, Hummingbird's `{"error":{"message":…}}`).
    static func expectRefused(
        _ response: TestResponse, status: Int = 401, challenge: String? = "Api-Key", reason: String, _ label: String = "",
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == status, "\(label)", sourceLocation: sourceLocation)
        #expect(response.header("WWW-Authenticate") == challenge, "\(label)", sourceLocation: sourceLocation)
        #expect(
            response.body == #"{"error":true,"reason":"\#(reason)"}"# || response.body == #"{"error":{"message":"\#(reason)"}}"#,
            "\(label): \(response.body)", sourceLocation: sourceLocation)
        #expect(response.header("Content-Type")?.hasPrefix("application/json") == true, "\(label)", sourceLocation: sourceLocation)
    }

    @Test("test_if_valid_api_key_then_permission_granted; the handler gets the key; /api/public needs none", arguments: Framework.all)
    func validKey(framework: Framework, database: TestDatabase) async throws {
        try await withServer(framework, database) { server in
            let (_, key) = try await server.manager(APIKey.self).createKey(name: "partner")
            let response = try await server.get("/api/protected", key: key)
            #expect(response.status == 200 && response.body == "Hello, partner!")
            #expect(try await server.get("/api/protected", [("Authorization", "api-key \(key.reveal())")]).status == 200, "the keyword in any case")
            #expect(try await server.get("/api/public").status == 200)
        }
    }

    @Test("test_if_no_api_key_then_permission_denied; seven invalid variants; a wrong scheme is no key", arguments: Framework.all)
    func invalidKeys(framework: Framework, database: TestDatabase) async throws {
        try await withServer(framework, database) { server in
            let (_, plaintext) = try await server.manager(APIKey.self).createKey(name: "test")
            let key = plaintext.reveal()
            Self.expectRefused(try await server.get("/api/protected"), reason: "Authentication credentials were not provided.", "no key")
            let variants: [(String, String)] = [
                ("Api-Key ", "Authentication credentials were not provided."),
                ("Api-Key abcd", "The API key is not valid."),
                ("Api-Key foo.bar", "The API key is not valid."),
                ("Api-Key  " + key, "The API key is not valid."),
                ("Api-Key " + key.uppercased(), "The API key is not valid."),
                ("Api-Key " + key.lowercased(), "The API key is not valid."),
                ("Api-Key " + String(plaintext.prefix.dropLast()) + "." + key.split(separator: ".")[1], "The API key is not valid."),
                ("X-Key " + key, "Authentication credentials were not provided."),
                ("Api-Key:" + key, "Authentication credentials were not provided."),
                ("Bearer " + key, "Authentication credentials were not provided."),
            ]
            for (value, reason) in variants {
                Self.expectRefused(try await server.get("/api/protected", [("Authorization", value)]), reason: reason, value.prefix(12).description)
            }
        }
    }

    @Test("test_if_revoked_then_permission_denied; test_expiry_date, on a clock the test moves", arguments: Framework.all)
    func revokedAndExpired(framework: Framework, database: TestDatabase) async throws {
        // A whole second: the databases keep microseconds.
        let clock = APIKeyTestClock(Date(timeIntervalSince1970: 2_000_000_000))
        var options = ServerOptions()
        options.settings.clock = clock.clock
        try await withServer(framework, database, options) { server in
            let keys = server.manager(APIKey.self)
            let (_, revoked) = try await keys.createKey(name: "revoked", revoked: true)
            let (_, tomorrow) = try await keys.createKey(name: "tomorrow", expiresAt: clock.now().addingTimeInterval(86_400))
            Self.expectRefused(try await server.get("/api/protected", key: revoked), reason: "The API key is not valid.")
            #expect(try await server.get("/api/protected", key: tomorrow).status == 200)
            clock.advance(by: 86_400)
            #expect(try await server.get("/api/protected", key: tomorrow).status == 200, "valid at the very instant it expires")
            clock.advance(by: 1)
            Self.expectRefused(try await server.get("/api/protected", key: tomorrow), reason: "The API key is not valid.", "a day later")
        }
    }

    @Test("test_if_valid_api_key_custom_header_then_permission_granted; Authorization is then ignored, and the challenge names the header",
          arguments: Framework.all)
    func customHeader(framework: Framework, database: TestDatabase) async throws {
        var options = ServerOptions()
        options.keySource = .header(.custom("X-Api-Key"))
        try await withServer(framework, database, options) { server in
            let (_, key) = try await server.manager(APIKey.self).createKey(name: "test")
            #expect(try await server.get("/api/protected", [("X-Api-Key", key.reveal())]).status == 200)
            #expect(try await server.get("/api/protected", [("x-api-key", key.reveal())]).status == 200)
            Self.expectRefused(
                try await server.get("/api/protected", [("X-Api-Key", "doesnotexist")]), challenge: #"Api-Key header="X-Api-Key""#,
                reason: "The API key is not valid.")
            Self.expectRefused(
                try await server.get("/api/protected", key: key), challenge: #"Api-Key header="X-Api-Key""#,
                reason: "Authentication credentials were not provided.")
        }
    }

    @Test("test_keyparser_keyword_override: Bearer instead of Api-Key, in the challenge too", arguments: Framework.all)
    func keyword(framework: Framework, database: TestDatabase) async throws {
        var options = ServerOptions()
        options.keySource = .header(.authorization(keyword: "Bearer"))
        try await withServer(framework, database, options) { server in
            let (_, key) = try await server.manager(APIKey.self).createKey(name: "test")
            #expect(try await server.get("/api/protected", [("Authorization", "Bearer \(key.reveal())")]).status == 200)
            Self.expectRefused(try await server.get("/api/protected", key: key), challenge: "Bearer", reason: "Authentication credentials were not provided.")
        }
    }

    @Test("a key source of the app's own reads the key where it says (upstream's overridable get_key)", arguments: Framework.all)
    func customKeySource(framework: Framework, database: TestDatabase) async throws {
        var options = ServerOptions()
        options.keySource = .cookie
        try await withServer(framework, database, options) { server in
            let (_, key) = try await server.manager(APIKey.self).createKey(name: "test")
            #expect(try await server.get("/api/protected", [("Cookie", "api_key=\(key.reveal())")]).status == 200)
            #expect(try await server.get("/api/protected", key: key).status == 401)
        }
    }

    @Test("status, headers and body never tell an unknown prefix from a wrong secret, a revoked key, an expired one or garbage",
          arguments: Framework.all)
    func indistinguishableRefusals(framework: Framework, database: TestDatabase) async throws {
        try await withServer(framework, database) { server in
            let keys = server.manager(APIKey.self)
            let (_, valid) = try await keys.createKey(name: "valid")
            let (_, revoked) = try await keys.createKey(name: "revoked", revoked: true)
            let (_, expired) = try await keys.createKey(name: "expired", expiresAt: Date().addingTimeInterval(-60))
            let secret = String(repeating: "x", count: 32)
            var responses: Set<String> = []
            for presented in ["zzzzzzzz.\(secret)", "\(valid.prefix).\(secret)", revoked.reveal(), expired.reveal(), "garbage"] {
                let response = try await server.get("/api/protected", [("Authorization", "Api-Key \(presented)")])
                let headers = response.headers.filter { $0.key != "date" }.map { "\($0.key): \($0.value)" }.sorted()
                responses.insert("\(response.status) \(headers) \(response.body)")
            }
            #expect(responses.count == 1, "\(responses)")
        }
    }
}
