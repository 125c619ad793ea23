import APIKeyCore
import APIKeyFluent
import APIKeyTesting
import FluentKit
import Foundation
import TestSupport
import Testing

/// Keys in the tagged format (``TaggedKeyGenerator``) through real requests, on Vapor and on
/// Hummingbird alike.
@Suite("Tagged keys on routes, on both frameworks")
struct TaggedKeysOnRoutesTests {
    @Test(
        "a tagged key is granted; a typo is 401 logged as checksum, without a prefix; keys made before the tag still work",
        arguments: Framework.all)
    func taggedKeys(framework: Framework, database: TestDatabase) async throws {
        let capture = LogCapture()
        var options = ServerOptions.logging(to: capture)
        options.settings.scheme = KeyScheme(generator: try TaggedKeyGenerator(tag: "acme_live", alsoAccepting: AlphanumericKeyGenerator()))
        try await withServer(framework, database, options) { server in
            // A key in djangorestframework-api-key's format, as the app made before it had a tag.
            let before = try await APIKeyManager(APIKey.self, on: server.database).createKey(name: "made before the tag").1
            #expect(before.reveal().contains("."))
            let keys = server.manager(APIKey.self)
            let (record, key) = try await keys.createKey(name: "tagged")
            let text = key.reveal()
            #expect(text.hasPrefix("acme_live_\(record.prefix)_"))
            #expect(try await server.get("/api/protected", key: key).status == 200)
            #expect(try await server.get("/api/protected", key: before).status == 200)

            let typo = String(text.dropLast()) + (text.last == "0" ? "1" : "0")
            let refused = try await server.get("/api/protected", [("Authorization", "Api-Key \(typo)")])
            #expect(refused.status == 401)
            #expect(!refused.body.contains(record.prefix))
            let refusal = try #require(capture.all.last { $0.message == "API key refused" })
            #expect(refusal.metadata["api_key_denial"] == "checksum")
            #expect(refusal.metadata["api_key_prefix"] == "-")
            let everything = capture.all.map(\.rendered).joined(separator: "\n")
            #expect(!everything.contains(String(text.dropFirst(19))) && !everything.contains(String(typo.dropFirst(19))))
        }
    }
}
