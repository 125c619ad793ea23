import APIKeyCore
import APIKeyFluent
import APIKeyVapor
import Fluent
import Foundation
import TestSupport
import Testing
import VaporTesting

/// Upstream's tests/test_permissions.py through the real Vapor application, on SQLite and
/// PostgreSQL. Upstream answers 403 under DRF's default authentication; a missing or refused key
/// gets 401 with `WWW-Authenticate` here, as the issue asks.
@Suite("HasAPIKey over HTTP (upstream test_permissions.py)")
struct PermissionTests {
    static func authorization(_ value: String) -> HTTPHeaders { ["Authorization": value] }

    func expectUnauthorized(_ response: TestingHTTPResponse, challenge: String = "Api-Key", reason: String) {
        #expect(response.status == .unauthorized)
        #expect(response.headers.first(name: .wwwAuthenticate) == challenge)
        #expect(response.headers.contentType == .json)
        #expect((try? response.content.decode(ErrorBody.self)) == ErrorBody(error: true, reason: reason))
    }

    /// Vapor's error shape.
    struct ErrorBody: Codable, Equatable {
        let error: Bool
        let reason: String
    }

    @Test("test_if_valid_api_key_then_permission_granted; the handler gets the key", arguments: TestDatabase.all)
    func validKey(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            registerTestRoutes(app)
            let (_, key) = try await APIKeyManager(on: app.db).createKey(name: "test")
            try await app.testing().test(.GET, "api/protected", headers: Self.authorization("Api-Key \(key.reveal())")) { res in
                #expect(res.status == .ok)
                let message = try res.content.decode(Message.self)
                #expect(message == Message(message: "Hello, test!"))
            }
            try await app.testing().test(.GET, "api/protected/twice", headers: Self.authorization("Api-Key \(key.reveal())")) { res in
                let message = try res.content.decode(Message.self)
                #expect(message.message == "same")
            }
            try await app.testing().test(.GET, "api/protected", headers: Self.authorization("api-key \(key.reveal())")) { res in
                #expect(res.status == .ok)
            }
        }
    }

    @Test("test_if_valid_api_key_custom_header_then_permission_granted; Authorization is then ignored",
          arguments: TestDatabase.all)
    func customHeader(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            app.apiKeys.keySource = .header(.custom("X-Api-Key"))
            registerTestRoutes(app)
            let (_, key) = try await APIKeyManager(on: app.db).createKey(name: "test")
            try await app.testing().test(.GET, "api/protected", headers: ["X-Api-Key": key.reveal()]) { res in
                #expect(res.status == .ok)
            }
            try await app.testing().test(.GET, "api/protected", headers: ["x-api-key": key.reveal()]) { res in
                #expect(res.status == .ok)
            }
            // The challenge names X-Api-Key: `Api-Key` alone would send clients to Authorization.
            try await app.testing().test(.GET, "api/protected", headers: Self.authorization("Api-Key \(key.reveal())")) { res in
                expectUnauthorized(res, challenge: #"Api-Key header="X-Api-Key""#, reason: "Authentication credentials were not provided.")
            }
            // test_if_invalid_api_key_custom_header_then_permission_denied
            try await app.testing().test(.GET, "api/protected", headers: ["X-Api-Key": "doesnotexist"]) { res in
                expectUnauthorized(res, challenge: #"Api-Key header="X-Api-Key""#, reason: "The API key is not valid.")
            }
        }
    }

    @Test("test_if_no_api_key_then_permission_denied", arguments: TestDatabase.all)
    func noKey(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            registerTestRoutes(app)
            try await app.testing().test(.GET, "api/protected") { res in
                expectUnauthorized(res, reason: "Authentication credentials were not provided.")
            }
        }
    }

    @Test("test_if_invalid_api_key_then_permission_denied, all seven variants", arguments: TestDatabase.all)
    func invalidKeys(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            registerTestRoutes(app)
            let (_, plaintext) = try await APIKeyManager(on: app.db).createKey(name: "test")
            let key = plaintext.reveal()
            let prefix = plaintext.prefix
            let variants: [(String, String)] = [
                ("", "Authentication credentials were not provided."),  // "Api-Key " with nothing after it
                ("abcd", "The API key is not valid."),
                ("foo.bar", "The API key is not valid."),
                (" " + key, "The API key is not valid."),
                (key.uppercased(), "The API key is not valid."),
                (key.lowercased(), "The API key is not valid."),
                (String(prefix.dropLast()) + "." + key.split(separator: ".")[1], "The API key is not valid."),
            ]
            for (variant, reason) in variants {
                try await app.testing().test(.GET, "api/protected", headers: Self.authorization("Api-Key \(variant)")) { res in
                    expectUnauthorized(res, reason: reason)
                }
            }
        }
    }

    @Test("test_if_malformed_authorization_then_permission_denied: wrong scheme, not space-separated",
          arguments: TestDatabase.all)
    func malformedAuthorization(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            registerTestRoutes(app)
            let (_, key) = try await APIKeyManager(on: app.db).createKey(name: "test")
            for value in ["X-Key \(key.reveal())", "Api-Key:\(key.reveal())", "Bearer \(key.reveal())"] {
                try await app.testing().test(.GET, "api/protected", headers: Self.authorization(value)) { res in
                    expectUnauthorized(res, reason: "Authentication credentials were not provided.")
                }
            }
        }
    }

    @Test("test_if_revoked_then_permission_denied", arguments: TestDatabase.all)
    func revoked(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            registerTestRoutes(app)
            let (_, key) = try await APIKeyManager(on: app.db).createKey(name: "test", revoked: true)
            try await app.testing().test(.GET, "api/protected", headers: Self.authorization("Api-Key \(key.reveal())")) { res in
                expectUnauthorized(res, reason: "The API key is not valid.")
            }
        }
    }

    @Test("test_expiry_date: tomorrow is granted, two days ago is refused",
          arguments: TestDatabase.all.flatMap { database in [(database, 86_400.0, true), (database, -2 * 86_400.0, false)] })
    func expiry(database: TestDatabase, offset: TimeInterval, granted: Bool) async throws {
        try await withTestApp(database) { app in
            registerTestRoutes(app)
            let (_, key) = try await APIKeyManager(on: app.db).createKey(name: "test", expiresAt: Date().addingTimeInterval(offset))
            try await app.testing().test(.GET, "api/protected", headers: Self.authorization("Api-Key \(key.reveal())")) { res in
                if granted { #expect(res.status == .ok) } else { expectUnauthorized(res, reason: "The API key is not valid.") }
            }
        }
    }

    @Test("test_keyparser_keyword_override: Bearer instead of Api-Key, in the challenge too", arguments: TestDatabase.all)
    func keywordOverride(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            app.apiKeys.keySource = .header(.authorization(keyword: "Bearer"))
            registerTestRoutes(app)
            let (_, key) = try await APIKeyManager(on: app.db).createKey(name: "test")
            try await app.testing().test(.GET, "api/protected", headers: Self.authorization("Bearer \(key.reveal())")) { res in
                #expect(res.status == .ok)
            }
            try await app.testing().test(.GET, "api/protected", headers: Self.authorization("Api-Key \(key.reveal())")) { res in
                expectUnauthorized(res, challenge: "Bearer", reason: "Authentication credentials were not provided.")
            }
        }
    }

    @Test("a custom parser reads the key from wherever it says (upstream's overridable get_key)", arguments: TestDatabase.all)
    func customParser(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            app.apiKeys.keySource = .custom { req in req.cookies["api_key"].map { .key($0.string) } ?? .missing }
            registerTestRoutes(app)
            let (_, key) = try await APIKeyManager(on: app.db).createKey(name: "test")
            try await app.testing().test(.GET, "api/protected", headers: ["Cookie": "api_key=\(key.reveal())"]) { res in
                #expect(res.status == .ok)
            }
            try await app.testing().test(.GET, "api/protected", headers: Self.authorization("Api-Key \(key.reveal())")) { res in
                #expect(res.status == .unauthorized)
            }
        }
    }

    @Test("status, headers and body never tell an unknown prefix from a wrong secret, a revoked key, an expired one or garbage",
          arguments: TestDatabase.all)
    func indistinguishableRefusals(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            registerTestRoutes(app)
            let keys = APIKeyManager(on: app.db)
            let (_, valid) = try await keys.createKey(name: "valid")
            let (_, revoked) = try await keys.createKey(name: "revoked", revoked: true)
            let (_, expired) = try await keys.createKey(name: "expired", expiresAt: Date().addingTimeInterval(-60))
            let secret = String(repeating: "x", count: 32)
            var responses: [String] = []
            for presented in ["zzzzzzzz.\(secret)", "\(valid.prefix).\(secret)", revoked.reveal(), expired.reveal(), "garbage"] {
                try await app.testing().test(.GET, "api/protected", headers: Self.authorization("Api-Key \(presented)")) { res in
                    #expect(res.status == .unauthorized)
                    _ = try res.content.decode(ErrorBody.self)
                    let headers = res.headers.filter { $0.name.lowercased() != "date" }.map { "\($0.name): \($0.value)" }.sorted()
                    responses.append("\(res.status) \(headers) \(res.body.string)")
                }
            }
            #expect(Set(responses).count == 1)
        }
    }
}
