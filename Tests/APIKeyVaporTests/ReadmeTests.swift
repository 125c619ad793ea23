import APIKeyVapor
import Fluent
import Foundation
import TestSupport
import Testing
import VaporTesting

@Suite("README")
struct ReadmeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The files whose code the README and the articles may quote: all compiled. Samples/ is a
    /// package of its own, built against the public API only (scripts/samples/test-samples.sh).
    static let compiled = [
        "Tests/APIKeyVaporTests/Guide/GuideExamples.swift", "Tests/APIKeyVaporTests/Guide/ManagementGuideExamples.swift", "Sources/APIKeyExampleShared/ExampleManagement.swift", "Tests/APIKeyVaporTests/ReadmeExampleTests.swift",
        "Sources/APIKeyExampleShared/Organization.swift", "Sources/APIKeyExampleShared/ExampleAccess.swift", "Sources/APIKeyExampleShared/OrganizationAdmin.swift", "Sources/APIKeyExample/routes.swift", "Sources/APIKeyExample/configure.swift",
        "Sources/APIKeyHummingbirdExample/Routes.swift",
        "Tests/APIKeyHummingbirdTests/QuickStart.swift", "Tests/APIKeyHummingbirdTests/HummingbirdAuthenticationTests.swift",
    ] + samples()

    /// Every Swift file of Samples/.
    static func samples() -> [String] {
        let folder = root.appendingPathComponent("Samples/Sources")
        let files = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
        return files.filter { $0.hasSuffix(".swift") }.sorted().map { "Samples/Sources/" + $0 }
    }

    /// The README and every DocC article.
    static func documents() -> [String] {
        let sources = root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        return ["README.md"] + files.filter { $0.contains(".docc/") && $0.hasSuffix(".md") }.sorted().map { "Sources/" + $0 }
    }

    /// The lines of `text`, trimmed, without `package` modifiers: the README shows the examples'
    /// shared code as an app writes it, where the examples' shared target must say `package`.
    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "package ", with: "") }
            .filter { !$0.isEmpty }
    }

    /// The Swift blocks of a Markdown document.
    static func swiftBlocks(_ text: String) -> [String] {
        text.components(separatedBy: "```swift\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
    }

    @Test("every Swift block of the README and the articles is compiled code, line for line")
    func everySwiftBlockCompiles() throws {
        let sources = try Self.compiled.map { try Self.lines(String(contentsOf: Self.root.appendingPathComponent($0), encoding: .utf8)) }
        #expect(Self.samples().count >= 8)
        var total = 0
        for document in Self.documents() {
            let text = try String(contentsOf: Self.root.appendingPathComponent(document), encoding: .utf8)
            // Manifest fragments are checked against the manifest below.
            for block in Self.swiftBlocks(text) where !block.hasPrefix("// swift-tools-version") {
                total += 1
                let wanted = Self.lines(block)
                let found = sources.contains { source in
                    source.indices.contains { start in
                        start + wanted.count <= source.count && Array(source[start..<(start + wanted.count)]) == wanted
                    }
                }
                #expect(found, "\(document): not compiled anywhere:\n\(block)")
            }
        }
        #expect(total >= 30)
    }

    @Test("the manifest lines of the README and the articles name real products and the versions the package builds with")
    func manifestFragments() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
            + String(contentsOf: Self.root.appendingPathComponent("Samples/Package.swift"), encoding: .utf8)
        let products = Set(manifest.matches(of: /\.library\(name: "([A-Za-z]+)"/).map { String($0.1) })
        #expect(products.contains("APIKeyVapor") && products.contains("APIKeyCommands"))
        var fragments = 0
        for document in Self.documents() {
            let text = try String(contentsOf: Self.root.appendingPathComponent(document), encoding: .utf8)
            for block in Self.swiftBlocks(text) where block.hasPrefix("// swift-tools-version") {
                fragments += 1
                #expect(block.hasPrefix("// swift-tools-version:6.2"), "\(document): the tools version the package needs")
                for match in block.matches(of: /\.product\(name: "([A-Za-z]+)", package: "swift-api-key"\)/) {
                    #expect(products.contains(String(match.1)), "\(document): no product \(match.1)")
                }
                for match in block.matches(of: /\.package\(url: "(https:\/\/github\.com\/[^"]+)", from: "([0-9.]+)"\)/) {
                    #expect(manifest.contains("\"\(match.1)\", from: \"\(match.2)\""), "\(document): \(match.1) at \(match.2) is not what the package builds with")
                }
            }
        }
        #expect(fragments >= 3)
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

    @Test("the access article's code: scopes on routes, a limited key, its metadata", arguments: TestDatabase.all)
    func accessGuide(database: TestDatabase) async throws {
        try await withTestApp(database, migrations: APIKeyMigrations.all) { app in
            try Guide.declareScopes(app)
            Guide.scopedRoutes(app)
            Guide.readMetadata(app)
            let key = try await Guide.issueLimitedKey(app)
            let auth: HTTPHeaders = ["Authorization": "Api-Key \(key.reveal())"]
            try await app.testing().test(.GET, "reports/latest", headers: auth) { res in #expect(res.body.string == "read only") }
            try await app.testing().test(.POST, "reports/latest", headers: auth) { res in
                #expect(res.status == .forbidden)
                #expect(res.headers.first(name: .wwwAuthenticate) == #"Api-Key error="insufficient_scope", scope="reports:write""#)
            }
            try await app.testing().test(.DELETE, "reports/latest", headers: ["X-User": "ada"]) { res in #expect(res.body.string == "deleted") }
            try await app.testing().test(.DELETE, "reports/latest", headers: auth) { res in #expect(res.status == .forbidden) }
            try await app.testing().test(.GET, "billing", headers: auth) { res in #expect(res.body.string == "cus_123") }
        }
    }

    @Test("the lifecycle guide's rotation runs: the old key works with Deprecation and Sunset, the new one without", arguments: TestDatabase.all)
    func lifecycleGuide(database: TestDatabase) async throws {
        try await withTestApp(database, migrations: APIKeyMigrations.all) { app in
            let (old, oldKey) = try await app.apiKeys.manager().createKey(name: "partner")
            try Guide.lifetimePolicy(app)
            let newKey = try await Guide.rotate(app, prefix: old.prefix)
            #expect(try await app.apiKeys.manager().model(prefix: newKey.prefix)?.expiresAt != nil, "the default lifetime")
            Guide.warnRotatedKeys(app)
            try await app.testing().test(.GET, "reports", headers: ["Authorization": "Api-Key \(oldKey.reveal())"]) { res in
                #expect(res.status == .ok && res.headers.first(name: "Deprecation")?.hasPrefix("@") == true && res.headers.first(name: "Sunset") != nil)
            }
            try await app.testing().test(.GET, "reports", headers: ["Authorization": "Api-Key \(newKey.reveal())"]) { res in
                #expect(res.status == .ok && res.headers.first(name: "Deprecation") == nil)
            }
        }
    }

    @Test("the lifecycle article's tagged keys: new keys have the tag and verify, keys made before still do, a typo is refused", arguments: TestDatabase.all)
    func taggedKeysGuide(database: TestDatabase) async throws {
        try await withTestApp(database, migrations: APIKeyMigrations.all) { app in
            let (_, before) = try await app.apiKeys.manager().createKey(name: "before")
            try Guide.taggedKeys(app)
            let (_, tagged) = try await app.apiKeys.manager().createKey(name: "tagged")
            #expect(tagged.reveal().hasPrefix("acme_live_\(tagged.prefix)_"))
            app.grouped(HasAPIKey()).get("tagged") { _ in "ok" }
            for (key, status) in [(tagged.reveal(), HTTPStatus.ok), (before.reveal(), .ok), (String(tagged.reveal().dropLast()) + "!", .unauthorized)] {
                try await app.testing().test(.GET, "tagged", headers: ["Authorization": "Api-Key \(key)"]) { res in #expect(res.status == status) }
            }
        }
    }

    @Test("the lifecycle article's pepper: new keys are HMAC under it, and keys made before verify and move to it", arguments: TestDatabase.all)
    func pepperGuide(database: TestDatabase) async throws {
        try await withTestApp(database, migrations: APIKeyMigrations.all) { app in
            let (before, beforeKey) = try await app.apiKeys.manager().createKey(name: "before")
            try Guide.pepper(app, secret: Array(repeating: 42, count: 32))
            let (after, afterKey) = try await app.apiKeys.manager().createKey(name: "after")
            #expect(after.hashedKey.hasPrefix("hmac-sha256$2026a$"))
            #expect(try await app.apiKeys.manager().isValid(afterKey.reveal()))
            #expect(try await app.apiKeys.manager().isValid(beforeKey.reveal()))
            #expect(try await app.apiKeys.manager().model(prefix: before.prefix)?.hashedKey.hasPrefix("hmac-sha256$2026a$") == true)
        }
    }

    @Test("the lifecycle article's leak endpoint and events: a reported key is revoked, and the event reaches a loop", arguments: TestDatabase.all)
    func leaksAndEventsGuide(database: TestDatabase) async throws {
        try await withTestApp(database, migrations: APIKeyMigrations.all) { app in
            try Guide.leakReports(app)
            var events = app.apiKeys.events.makeAsyncIterator()
            Guide.watchEvents(app)
            let (record, key) = try await app.apiKeys.manager().createKey(name: "leaky")
            let body = #"[{"token":"\#(key.reveal())","type":"example","url":"https://github.com/o/r/blob/main/.env","source":"content"}]"#
            try await app.testing().test(.POST, "api/leaked-keys", headers: ["Content-Type": "application/json"], body: ByteBuffer(string: body)) { res in
                #expect(res.status == .ok && res.body.string == "[]")
            }
            #expect(try await app.apiKeys.manager().model(prefix: record.prefix)?.isRevoked == true)
            #expect(await events.next()?.kind == .created)
            let leaked = await events.next()
            #expect(leaked?.kind == .leakRevoked && leaked?.detail == "found at https://github.com/o/r/blob/main/.env (content)")
        }
    }

    @Test("the usage and rate-limit article's code: a key with its own limit, the app's default, idle keys", arguments: TestDatabase.all)
    func usageGuide(database: TestDatabase) async throws {
        try await withTestApp(database, migrations: APIKeyMigrations.all) { app in
            try Guide.usagePolicy(app)
            let key = try await Guide.rateLimits(app)
            app.grouped(HasAPIKey()).get("metered") { _ in "ok" }
            try await app.testing().test(.GET, "metered", headers: ["Authorization": "Api-Key \(key.reveal())"]) { res in
                #expect(res.status == .ok && res.headers.first(name: "RateLimit-Policy") == #""key";q=1000;w=3600"#)
            }
            #expect(app.apiKeys.settings.defaultRateLimit?.description == "100/min")
            Guide.sharedLimits(app)
            #expect(app.apiKeys.settings.rateLimitSharing == .acrossInstances(whenUnreachable: .countLocally))
            try await app.testing().test(.GET, "metered", headers: ["Authorization": "Api-Key \(key.reveal())"]) { res in
                #expect(res.status == .ok, "a lease of the window's budget")
            }
            #expect(try await Guide.idleKeys(app).map(\.prefix) == [key.prefix], "not written yet: idle as far as the database knows")
        }
    }

    @Test("the admin panel behind the article's StaffOnly: a visitor is sent to sign in, staff get the panel")
    func adminBehindSignIn() async throws {
        try await withTestApp(.sqlite) { app in
            try Guide.admin(app)
            app.grouped(app.sessions.middleware).get("sign-in-as-staff") { req in
                req.session.data["role"] = "staff"
                return "signed in"
            }
            try await app.testing().test(.GET, "admin/keys") { res in
                #expect(res.status == .seeOther && res.headers.first(name: .location) == "/login")
            }
            var cookie = ""
            try await app.testing().test(.GET, "sign-in-as-staff") { res in cookie = res.headers.first(name: .setCookie) ?? "" }
            try await app.testing().test(.GET, "admin/keys", headers: ["Cookie": String(cookie.split(separator: ";")[0])]) { res in
                #expect(res.status == .ok && res.body.string.contains("API keys"))
            }
        }
    }

    @Test("the guide's test kit example works as written")
    func testKit() async throws {
        try await withTestApp(.sqlite, migrations: APIKeyMigrations.all + [CreateHeroes()]) { app in
            app.grouped(HasAPIKey()).get("hello") { _ in "hello" }
            try await Guide.testing(app)
            let hero = Hero(name: "Batman")
            try await hero.create(on: app.db)
            try await Guide.conformance(app.db, heroID: hero.requireID())
        }
    }
}
