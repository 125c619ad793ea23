import APIKeyVapor
import Fluent
import Foundation
import TestSupport
import Testing
import VaporTesting

/// The `api-keys` commands with arguments users get wrong: a clear error, and nothing written.
@Suite("Commands: bad arguments")
struct CommandTests {
    @Test("bad names, bad dates, unknown or odd prefixes: an error that says what is wrong, and no row changed", arguments: TestDatabase.all)
    func badArguments(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let good = try #require(await runAPIKeysCommand(app, "create", "--name", "kept").output.split(separator: "\n").first)
            let prefix = String(good.prefix(8))
            let before = try await APIKey.query(on: app.db).all().map { "\($0.prefix) \($0.name) \($0.isRevoked) \(String(describing: $0.expiresAt))" }

            let failures: [([String], String)] = [
                (["create"], "--name"),
                (["create", "--name", ""], "name"),
                (["create", "--name", String(repeating: "n", count: 51)], "50"),
                (["create", "--name", String(repeating: "🔑", count: 10_000)], "50"),
                (["create", "--name", "dated", "--expires", "2027-02-30"], "2027-02-30"),
                (["create", "--name", "dated", "--expires", "tomorrow"], "tomorrow"),
                (["create", "--name", "dated", "--expires", ""], "not a date"),
                (["create", "--name", "dated", "--expires", "2027-01-01T25:00:00Z"], "2027-01-01T25:00:00Z"),
                (["create", "--name", "dated", "--expires", "99999-01-01"], "99999-01-01"),
                (["create", "--name", "dated", "--expires", String(repeating: "9", count: 5_000)], "not a date"),
                (["create", "--name", "born expired", "--expires", "2001-01-01"], "has already passed"),
                (["revoke"], "prefix"),
                (["revoke", "zzzzzzzz"], "zzzzzzzz"),
                (["revoke", prefix, "zzzzzzzz"], "nothing was changed"),
                (["revoke", "'; DROP TABLE api_keys; --"], "nothing was changed"),
                (["revoke", "%"], "nothing was changed"),
                (["delete", "zzzzzzzz"], "zzzzzzzz"),
                (["delete", "%"], "nothing was changed"),
                (["delete"], "prefix"),
                (["rotate", prefix], "--grace"),
                (["rotate", "zzzzzzzz", "--grace", "1h"], "zzzzzzzz"),
                (["rotate", prefix, "--grace", "soon"], "--grace"),
                (["rotate", prefix, "--grace", "400d"], "366 days"),
                (["rotate", prefix, "--grace", "1h", "--expires", "2001-01-01"], "has already passed"),
                (["frobnicate"], "frobnicate"),
                (["list", "--format", "xml"], "format"),
            ]
            for (arguments, expected) in failures {
                let run = await runAPIKeysCommand(app, arguments)
                let error = try #require(run.error, "\(arguments.joined(separator: " ").prefix(80)) succeeded")
                let message = String(describing: error)
                #expect(message.localizedCaseInsensitiveContains(expected), "\(arguments.prefix(3)): \(message.prefix(200))")
                #expect(message.count < 400, "an error message that repeats the input at length")
                #expect(!(run.output + message).contains(String(good.dropFirst(9))))
            }
            let after = try await APIKey.query(on: app.db).all().map { "\($0.prefix) \($0.name) \($0.isRevoked) \(String(describing: $0.expiresAt))" }
            #expect(after == before)
        }
    }

    @Test("rotate prints the new key alone on standard output; the old one works for its grace period", arguments: TestDatabase.all)
    func rotate(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let old = try #require(await runAPIKeysCommand(app, "create", "--name", "rotated", "--metadata", #"{"plan":"pro"}"#).output.split(separator: "\n").first)
            let run = await runAPIKeysCommand(app, "rotate", String(old.prefix(8)), "--grace", "24h")
            #expect(run.error == nil)
            let lines = run.output.split(separator: "\n")
            #expect(lines.count == 1, "the key alone: \(run.output.count) characters")
            let new = String(try #require(lines.first))
            let record = try #require(try await app.apiKeys.manager().model(prefix: String(new.prefix(8))))
            #expect(record.name == "rotated" && record.rotatedFrom == String(old.prefix(8)) && record.metadata?.isEmpty == false)
            #expect(try await app.apiKeys.manager().isValid(new))
            #expect(try await app.apiKeys.manager().isValid(String(old)), "in its grace period")
            let listed = await runAPIKeysCommand(app, "list", "--json").output
            #expect(listed.contains("\"replaced_by\":\"\(new.prefix(8))\"") || listed.contains("\"replaced_by\" : \"\(new.prefix(8))\""))
        }
    }

    @Test("with tagged keys, create prints a tagged key, a whole tagged key given as a prefix is its prefix (never echoed), scanner-rules prints gitleaks' TOML and the regular expression; without a tag it explains", arguments: TestDatabase.all)
    func taggedKeys(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let untagged = await runAPIKeysCommand(app, "scanner-rules")
            #expect(untagged.error?.contains("these keys have no tag") == true, "\(untagged.error ?? "no error")")
            app.apiKeys.scheme = KeyScheme(generator: try TaggedKeyGenerator(tag: "acme_live"))
            let key = String(try #require(await runAPIKeysCommand(app, "create", "--name", "tagged").output.split(separator: "\n").first))
            #expect(key.hasPrefix("acme_live_") && key.count == 57)
            let prefix = String(key.dropFirst(10).prefix(8))
            #expect(try await app.apiKeys.manager().isValid(key))
            // A whole key where a prefix belongs: used as its prefix, and its secret never shown.
            let suspended = await runAPIKeysCommand(app, "suspend", key)
            #expect(suspended.error == nil && suspended.output.contains(prefix) && !suspended.output.contains(String(key.suffix(38))))
            let unknown = await runAPIKeysCommand(app, "revoke", "acme_live_zzzzzzzz_" + String(key.suffix(38)))
            #expect(unknown.error?.contains("zzzzzzzz") == true && unknown.error?.contains(String(key.suffix(38))) == false)

            let rules = await runAPIKeysCommand(app, "scanner-rules").output
            #expect(rules.contains("[[rules]]") && rules.contains(#"id = "acme-live-api-key""#) && rules.contains(#"keywords = ["acme_live_"]"#))
            #expect(rules.contains(#"regex = '''\b(acme_live_[0-9A-Za-z]{8}_[0-9A-Za-z]{38})\b'''"#))
            #expect(rules.contains(#"#   \bacme_live_[0-9A-Za-z]{8}_[0-9A-Za-z]{38}\b"#))
            let regex = await runAPIKeysCommand(app, "scanner-rules", "--regex").output
            #expect(regex == #"\bacme_live_[0-9A-Za-z]{8}_[0-9A-Za-z]{38}\b"# + "\n")
            #expect(key.firstMatch(of: try Regex(String(regex.dropLast()))) != nil)
        }
    }

    @Test("under a lifetime policy, create says when the key expires; an expiry past the maximum is one clear error", arguments: TestDatabase.all)
    func lifetime(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            app.apiKeys.settings.lifetime = try APIKeyLifetimePolicy(default: .seconds(86_400), maximum: .seconds(7 * 86_400))
            let created = await runAPIKeysCommand(app, "create", "--name", "bounded")
            #expect(created.error == nil && created.output.split(separator: "\n").count == 1)
            let prefix = String(created.output.prefix(8))
            #expect(try await app.apiKeys.manager().model(prefix: prefix)?.expiresAt != nil)
            let far = await runAPIKeysCommand(app, "create", "--name", "far", "--expires", "2099-01-01")
            #expect(far.error?.contains("Keys live at most 7 days here") == true, "\(far.error ?? "no error")")
        }
    }

    @Test("keys with an owner: create --hero sets it through the app's async hook; list, revoke and delete see that hero's keys only", arguments: TestDatabase.all)
    func ownedKeys(_ database: TestDatabase) async throws {
        try await withTestApp(database, migrations: APIKeyMigrations.all + [CreateHeroes()]) { app in
            try await Hero(name: "Ada").create(on: app.db)
            try await Hero(name: "Bob").create(on: app.db)
            let key = try #require(await runAPIKeysCommand(app, HeroKeys.self, ["create", "--name", "ci", "--hero", "Ada"]).output.split(separator: "\n").first)
            let prefix = String(key.prefix(8))
            let row = try #require(try await HeroAPIKey.query(on: app.db).with(\.$hero).first())
            #expect(row.prefix == prefix && row.hero.name == "Ada")

            let nobody = await runAPIKeysCommand(app, HeroKeys.self, ["create", "--name", "ci", "--hero", "Nobody"])
            #expect(nobody.error?.contains("no hero is named Nobody") == true)
            let missing = await runAPIKeysCommand(app, HeroKeys.self, ["create", "--name", "ci"])
            #expect(missing.error?.contains("--hero") == true)

            #expect(await runAPIKeysCommand(app, HeroKeys.self, ["list", "--hero", "Ada"]).output.contains(prefix))
            #expect(!(await runAPIKeysCommand(app, HeroKeys.self, ["list", "--hero", "Bob"]).output.contains(prefix)))
            let elsewhere = await runAPIKeysCommand(app, HeroKeys.self, ["revoke", prefix, "--hero", "Bob"])
            #expect(elsewhere.error?.contains("nothing was changed") == true)
            #expect(try await HeroAPIKey.query(on: app.db).first()?.isRevoked == false)
            #expect(await runAPIKeysCommand(app, HeroKeys.self, ["revoke", prefix, "--hero", "Ada"]).error == nil)
            #expect(try await HeroAPIKey.query(on: app.db).first()?.isRevoked == true)
            #expect(await runAPIKeysCommand(app, HeroKeys.self, ["delete", prefix, "--hero", "Ada"]).error == nil)
            #expect(try await HeroAPIKey.query(on: app.db).count() == 0)
        }
    }

    @Test("a model that needs an owner, and an app that gives none: one clear error, no row", arguments: TestDatabase.all)
    func ownerNotGiven(_ database: TestDatabase) async throws {
        try await withTestApp(database, migrations: APIKeyMigrations.all + [CreateHeroes()]) { app in
            let run = await runAPIKeysCommand(app, HeroAPIKey.self, ["create", "--name", "ci"])
            let error = try #require(run.error)
            #expect(error.contains("hero_api_keys table needs a value that create did not give"))
            #expect(error.contains("prepareNewKey"))
            #expect(!error.contains("NOT NULL") && !error.contains("constraint"))
            #expect(run.output.isEmpty)
            #expect(try await HeroAPIKey.query(on: app.db).count() == 0)
        }
    }

    @Test("a whole key where a prefix is expected is used as its prefix, and no message shows its secret", arguments: TestDatabase.all)
    func wholeKeys(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            var keys: [String] = []
            for _ in 1...2 {
                keys.append(try #require(await runAPIKeysCommand(app, "create", "--name", "whole").output.split(separator: "\n").first.map(String.init)))
            }
            let unknown = "zzzzzzzz." + keys[0].split(separator: ".")[1]
            for arguments in [["revoke", unknown], ["delete", unknown], ["create", "--name", "n", "--expires", unknown]] {
                let run = await runAPIKeysCommand(app, arguments)
                let message = String(describing: try #require(run.error))
                #expect(!(run.output + message).contains(unknown.dropFirst(9)), "\(arguments[0]): \(message)")
            }
            let revoked = await runAPIKeysCommand(app, "revoke", keys[0])
            #expect(revoked.error == nil && revoked.output == "Revoked \(keys[0].prefix(8))\n")
            #expect(try await APIKey.query(on: app.db).filter(\.$prefix == String(keys[0].prefix(8))).first()?.isRevoked == true)
            let deleted = await runAPIKeysCommand(app, "delete", keys[1])
            #expect(deleted.error == nil && deleted.output == "Deleted \(keys[1].prefix(8))\n")
            #expect(try await APIKey.query(on: app.db).filter(\.$prefix == String(keys[1].prefix(8))).count() == 0)
        }
    }

    @Test("the date forms the help names are accepted, at the instant they say")
    func goodDates() async throws {
        try await withTestApp(.sqlite) { app in
            let forms: [(String, TimeInterval)] = [
                ("2037-01-31", 2_116_972_800), ("2037-01-31 10:30", 2_117_010_600), ("2037-01-31T23:59:59Z", 2_117_059_199),
                ("2037-01-31T23:59:59.5Z", 2_117_059_199.5), ("2037-01-31T10:00:00+02:00", 2_117_001_600),
            ]
            for (index, (text, expected)) in forms.enumerated() {
                let run = await runAPIKeysCommand(app, "create", "--name", "dated \(index)", "--expires", text)
                #expect(run.error == nil, "\(text)")
                let stored = try await APIKey.query(on: app.db).filter(\.$name == "dated \(index)").first()?.expiresAt
                #expect(stored.map { abs($0.timeIntervalSince1970 - expected) < 0.001 } == true, "\(text): \(String(describing: stored))")
            }
        }
    }
}
