import APIKeyCore
import APIKeyFluent
import APIKeyTesting
import FluentKit
import Foundation
import TestSupport
import Testing

/// A rotated key through real requests, on Vapor and on Hummingbird alike.
@Suite("Rotation on routes, on both frameworks")
struct RotationOnRoutesTests {
    @Test("a rotated key in its grace period gets 200 with Deprecation and Sunset; its replacement gets neither; after the grace, 401", arguments: Framework.all)
    func gracePeriod(framework: Framework, database: TestDatabase) async throws {
        let clock = APIKeyTestClock(Date(timeIntervalSince1970: 1_764_849_600))
        var options = ServerOptions()
        options.settings.clock = clock.clock
        try await withServer(framework, database, options) { server in
            let keys = server.manager(APIKey.self)
            let (old, oldKey) = try await keys.createKey(name: "rotated")
            #expect(try await server.get("/api/protected", key: oldKey).header("Deprecation") == nil)
            let (_, newKey) = try await keys.rotate(prefix: old.prefix, grace: .seconds(86_400))

            let during = try await server.get("/api/protected", key: oldKey)
            #expect(during.status == 200)
            #expect(during.header("Deprecation") == "@1764849600")
            #expect(during.header("Sunset") == "Fri, 05 Dec 2025 12:00:00 GMT")
            let replacement = try await server.get("/api/protected", key: newKey)
            #expect(replacement.status == 200 && replacement.header("Deprecation") == nil && replacement.header("Sunset") == nil)

            clock.advance(by: 86_401)
            #expect(try await server.get("/api/protected", key: oldKey).status == 401)
            #expect(try await server.get("/api/protected", key: newKey).status == 200)
        }
    }
}
