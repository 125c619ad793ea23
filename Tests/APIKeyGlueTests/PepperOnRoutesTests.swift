import APIKeyCore
import APIKeyFluent
import APIKeyTesting
import FluentKit
import Foundation
import TestSupport
import Testing

/// A pepper through real requests, on Vapor and on Hummingbird alike.
@Suite("A pepper on routes, on both frameworks")
struct PepperOnRoutesTests {
    static let april = try! KeyPepper(id: "2026a", secret: Array("0123456789abcdef0123456789abcdef".utf8))

    @Test(
        "with a pepper, new keys are stored as HMAC; a key hashed before (SHA-512) works and is rewritten on use, once; a wrong secret is 401",
        arguments: Framework.all)
    func pepper(framework: Framework, database: TestDatabase) async throws {
        var options = ServerOptions()
        options.settings.scheme = KeyScheme(hasher: PepperedKeyHasher(current: Self.april))
        try await withServer(framework, database, options) { server in
            // Made before the app had a pepper.
            let (old, oldKey) = try await APIKeyManager(APIKey.self, on: server.database).createKey(name: "before the pepper")
            #expect(old.hashedKey.hasPrefix("sha512$$"))
            let (new, newKey) = try await server.manager(APIKey.self).createKey(name: "peppered")
            #expect(new.hashedKey.hasPrefix("hmac-sha256$2026a$") && new.hashedKey.count == 12 + 6 + 64)

            #expect(try await server.get("/api/protected", key: newKey).status == 200)
            #expect(try await server.get("/api/protected", key: oldKey).status == 200)
            let rewritten = try #require(try await APIKey.query(on: server.database).filter(\.$prefix == old.prefix).first())
            #expect(rewritten.hashedKey == PepperedKeyHasher(current: Self.april).hash(oldKey.reveal()))
            server.forgetCache()
            #expect(try await server.get("/api/protected", key: oldKey).status == 200)
            let wrong = PlaintextAPIKey(prefix: new.prefix, secret: String(repeating: "w", count: 32))
            #expect(try await server.get("/api/protected", key: wrong).status == 401)
        }
    }

    @Test("a pepper rotated: hashes under the previous one work and move to the current one on use", arguments: Framework.all)
    func rotation(framework: Framework, database: TestDatabase) async throws {
        let may = try KeyPepper(id: "2026b", secret: Array(repeating: 9, count: 40))
        var options = ServerOptions()
        options.settings.scheme = KeyScheme(hasher: PepperedKeyHasher(current: may, previous: [Self.april]))
        try await withServer(framework, database, options) { server in
            let before = APIKeyManager(APIKey.self, on: server.database, scheme: KeyScheme(hasher: PepperedKeyHasher(current: Self.april)))
            let (record, key) = try await before.createKey(name: "under april")
            #expect(record.hashedKey.hasPrefix("hmac-sha256$2026a$"))
            #expect(try await server.get("/api/protected", key: key).status == 200)
            let moved = try #require(try await APIKey.query(on: server.database).filter(\.$prefix == record.prefix).first())
            #expect(moved.hashedKey.hasPrefix("hmac-sha256$2026b$"))
        }
    }
}
