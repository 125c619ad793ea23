import APIKeyVapor
import APIKeyVaporAdmin
import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit
import TestSupport
import Testing
import VaporTesting

/// A whole scenario with every output captured: log lines at trace level (Fluent's SQL
/// included), every response (status line, headers, body), every command's output, and then the
/// database itself. A key's secret may appear in exactly one place: where the key was created.
@Suite("Secrets never leak")
struct SecretsTests {
    @Test("no key's secret appears in logs, responses, command output or the database, but at its creation", arguments: TestDatabase.all)
    func noLeaks(_ database: TestDatabase) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: file + suffix) } }
        let logs = LogCapture()
        try await withTestApp(database) { app in
            app.logger = logs.logger()
            if database == .sqlite {
                // A file, not memory: its bytes (journal included) are searched below.
                app.databases.use(.sqlite(.file(file)), as: DatabaseID(string: "secrets-file"), isDefault: true)
                try await app.autoMigrate()
            }
            registerTestRoutes(app)
            try app.grouped("admin").register(collection: APIKeyAdmin())
            var seen: [String] = []  // everything a client, an operator or a log reader could see
            var creations: [String: String] = [:]  // secret -> where it was (rightly) shown

            // Three ways to make a key.
            let (_, managerKey) = try await app.apiKeys.manager().createKey(name: "made in code")
            creations[managerKey.reveal()] = "the manager's return value"
            let cli = await runAPIKeysCommand(app, "create", "--name", "made by the CLI")
            let cliKey = cli.output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(cliKey.range(of: "^[A-Za-z0-9]{8}\\.[A-Za-z0-9]{32}$", options: .regularExpression) != nil, "create prints the key alone")
            creations[cliKey] = "the create command's output"
            let (token, cookie) = try await AdminTests.csrf(app)
            var adminHeaders = AdminTests.formHeaders
            adminHeaders.add(name: "Cookie", value: cookie)
            var oneTimeCookie = "", location = ""
            try await app.testing().test(.POST, "admin/keys", headers: adminHeaders, body: AdminTests.form(["name": "made in the admin", "csrf": token])) { res in
                oneTimeCookie = res.headers.setCookie?.all.first { $0.value.string.contains(".") }.map { "\($0.key)=\($0.value.string)" } ?? ""
                location = res.headers.first(name: .location) ?? ""
            }
            var bannerPage = ""
            try await app.testing().test(.GET, String(location.dropFirst()), headers: ["Cookie": cookie + "; " + oneTimeCookie]) { res in bannerPage = res.body.string }
            let adminKey = try #require(try await APIKey.query(on: app.db).filter(\.$name == "made in the admin").first())
            let adminPlaintext = try #require(bannerPage.range(of: adminKey.prefix + "\\.[A-Za-z0-9]{32}", options: .regularExpression).map { String(bannerPage[$0]) })
            creations[adminPlaintext] = "the admin's one-time banner"
            let keys = [managerKey.reveal(), cliKey, adminPlaintext]

            // Use them, rightly and wrongly.
            func request(_ path: String, _ headers: HTTPHeaders = [:]) async throws {
                try await app.testing().test(.GET, path, headers: headers) { res in
                    seen.append("\(res.status) \(res.headers) \(res.body.string)")
                }
            }
            for key in keys {
                let prefix = String(key.prefix(8)), secret = String(key.dropFirst(9))
                for value in ["Api-Key \(key)", "api-key \(key)", "Api-Key  \(key)", "Api-Key \(key) trailing", "Api-Key \(key).\(key)",
                              "Bearer \(key)", "Api-Key \(secret)", "Api-Key \(prefix).\(secret.reversed())", "Api-Key \(key)\u{00e9}", key] {
                    try await request("api/protected", ["Authorization": value])
                    try await request("api/protected/object", ["Authorization": value])
                    try await request("api/either", ["Authorization": value, "X-User": "ada"])
                }
                try await request("api/protected", ["X-Api-Key": key])
            }
            // Look at them as an operator would, revoke one, and use it again.
            try await request("admin/keys")
            try await request("admin/keys/\(String(cliKey.prefix(8)))")
            try await request("admin/keys?q=\(String(cliKey.prefix(8)))")
            for arguments in [["list"], ["list", "--json"], ["revoke", String(cliKey.prefix(8))], ["list"]] {
                let run = await runAPIKeysCommand(app, arguments)
                seen.append(run.output + (run.error.map { "\($0)" } ?? ""))
            }
            try await request("api/protected", ["Authorization": "Api-Key \(cliKey)"])
            try await app.testing().test(.POST, "admin/keys/\(adminKey.prefix)/revoke", headers: adminHeaders, body: AdminTests.form(["csrf": token])) { res in
                seen.append("\(res.status) \(res.headers) \(res.body.string)")
            }
            try await request("api/protected", ["Authorization": "Api-Key \(adminPlaintext)"])
            try await request("admin/keys")  // the banner is gone

            seen += logs.all.map(\.rendered)
            #expect(logs.all.count > 50, "the scenario logged too little to prove anything")
            for key in keys {
                let secret = String(key.dropFirst(9))
                for (index, text) in seen.enumerated() where text.contains(secret) {
                    Issue.record("the secret of a key made by \(creations[key] ?? "?") appears in output #\(index): \(text.prefix(300))")
                }
            }

            // The database holds hashes, never keys.
            let stored = try await Self.storedText(app, database, file: file)
            for key in keys {
                #expect(!stored.contains(String(key.dropFirst(9))), "a secret is stored in the database")
                #expect(stored.contains(SHA512KeyHasher().hash(key)))
            }
        }
    }

    /// Every row of every table as text; for SQLite, the database file's bytes too.
    static func storedText(_ app: Application, _ database: TestDatabase, file: String) async throws -> String {
        let sql = app.db as! any SQLDatabase
        switch database {
        case .postgres:
            let tables = try await sql.raw("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").all().map { try $0.decode(column: "tablename", as: String.self) }
            var text = ""
            for table in tables {
                for row in try await sql.raw("SELECT t::text AS row FROM \(ident: table) t").all() { text += try row.decode(column: "row", as: String.self) + "\n" }
            }
            return text
        case .sqlite:
            try await app.db.shutdownAndCheckpoint()
            var bytes = Data()
            for suffix in ["", "-wal", "-journal"] { bytes += (try? Data(contentsOf: URL(fileURLWithPath: file + suffix))) ?? Data() }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}

extension Database {
    /// Lets SQLite write everything back to the main file before its bytes are read.
    fileprivate func shutdownAndCheckpoint() async throws {
        try await (self as! any SQLDatabase).raw("PRAGMA wal_checkpoint(FULL)").run()
    }
}
