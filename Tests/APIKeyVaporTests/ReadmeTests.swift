import APIKeyVapor
import Fluent
import Foundation
import TestSupport
import Testing
import VaporTesting

@Suite("README")
struct ReadmeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The files whose code the README may quote: all compiled.
    static let compiled = [
        "Tests/APIKeyVaporTests/Guide/GuideExamples.swift", "Tests/APIKeyVaporTests/ReadmeExampleTests.swift",
        "Sources/APIKeyExampleShared/Organization.swift", "Sources/APIKeyExampleShared/OrganizationAdmin.swift", "Sources/APIKeyExample/routes.swift", "Sources/APIKeyExample/configure.swift",
        "Tests/APIKeyHummingbirdTests/QuickStart.swift", "Tests/APIKeyHummingbirdTests/HummingbirdAuthenticationTests.swift",
    ]

    /// The lines of `text`, trimmed, without `package` modifiers: the README shows the examples'
    /// shared code as an app writes it, where the examples' shared target must say `package`.
    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "package ", with: "") }
            .filter { !$0.isEmpty }
    }

    @Test("every Swift block of the README is compiled code, line for line")
    func everySwiftBlockCompiles() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let sources = try Self.compiled.map { try Self.lines(String(contentsOf: Self.root.appendingPathComponent($0), encoding: .utf8)) }
        let blocks = readme.components(separatedBy: "```swift\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(blocks.count >= 10)
        for block in blocks {
            let wanted = Self.lines(block)
            let found = sources.contains { source in
                source.indices.contains { start in
                    start + wanted.count <= source.count && Array(source[start..<(start + wanted.count)]) == wanted
                }
            }
            #expect(found, "not compiled anywhere:\n\(block)")
        }
    }

    @Test("the guide's permissions and object permissions behave as the README says", arguments: TestDatabase.all)
    func guideBehaviour(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            Guide.permissions(app)
            Guide.objectPermissions(app)
            Guide.keyInHandler(app)
            Guide.authenticators(app)
            Guide.loadModel(app)
            let key = try await Guide.issueKey(app)
            let auth: HTTPHeaders = ["Authorization": "Api-Key \(key.reveal())"]
            try await app.testing().test(.GET, "reports", headers: auth) { res in #expect(res.status == .ok) }
            try await app.testing().test(.GET, "either", headers: ["X-User": "ada"]) { res in #expect(res.status == .ok) }
            try await app.testing().test(.GET, "both", headers: auth) { res in #expect(res.status == .forbidden) }
            try await app.testing().test(.GET, "documents/partner", headers: auth) { res in #expect(res.status == .ok) }
            try await app.testing().test(.GET, "documents/someone-else", headers: auth) { res in #expect(res.status == .forbidden) }
            try await app.testing().test(.GET, "whoami", headers: auth) { res in #expect(res.body.string == "partner (\(key.prefix))") }
            try await app.testing().test(.GET, "keys-only", headers: auth) { res in #expect(res.body.string == "partner") }
            try await app.testing().test(.GET, "keys-only", headers: ["X-User": "ada"]) { res in #expect(res.status == .unauthorized) }
            try await app.testing().test(.GET, "key-or-user", headers: ["X-User": "ada"]) { res in #expect(res.body.string == "ada") }
            try await app.testing().test(.GET, "rename", headers: auth) { res in #expect(res.body.string == "renamed \(key.prefix)") }
            try await app.testing().test(.GET, "whoami", headers: auth) { res in #expect(res.body.string == "renamed (\(key.prefix))") }
            #expect(try await Guide.verifyWithoutAFramework(authorizationValues: []) == "missing")
            try await Guide.core()
            try Guide.cache(app)
            Guide.refusalResponse(app)
            try await app.testing().test(.GET, "whoami") { res in #expect(res.body.string == "Authentication credentials were not provided.") }
        }
    }

    @Test("the guide's test kit example works as written")
    func testKit() async throws {
        try await withTestApp(.sqlite, migrations: [CreateAPIKeys(), CreateHeroes()]) { app in
            app.grouped(HasAPIKey()).get("hello") { _ in "hello" }
            try await Guide.testing(app)
            let hero = Hero(name: "Batman")
            try await hero.create(on: app.db)
            try await Guide.conformance(app.db, heroID: hero.requireID())
        }
    }
}
