import APIKeyExampleShared
import APIKeyVapor
import Fluent
import SQLKit
import Vapor

/// `bench-seed --count N --keys-file PATH`: fills the key table with N keys in bulk, for the
/// benchmarks (scripts/bench-http.sh), and writes three keys to PATH, one per line as
/// `label key`: `valid` (a real key), `unknown_prefix` (well formed, no such prefix) and
/// `wrong_secret` (a real prefix with another secret), the same file the Django anchor writes.
struct SeedCommand<Key: APIKeyModel>: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "count", help: "How many keys to add.")
        var count: Int?
        @Option(name: "keys-file", help: "Where to write the valid, unknown_prefix and wrong_secret keys.")
        var keysFile: String?
        init() {}
    }

    var help: String { "Add N keys in bulk, for benchmarks." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let count = signature.count, count > 0, let keysFile = signature.keysFile else {
            throw ConfigurationError("bench-seed needs --count N and --keys-file PATH")
        }
        let app = context.application
        guard let sql = app.db as? any SQLDatabase else { throw ConfigurationError("bench-seed needs an SQL database") }
        let scheme = app.apiKeys.scheme
        let started = ContinuousClock.now
        var taken = Set(try await Key.query(on: app.db).all().map(\.prefix))
        var valid: PlaintextAPIKey?
        var remaining = count
        // 5,000 rows of 7 values stay under PostgreSQL's 65,535 binds per statement.
        while remaining > 0 {
            let batch = min(remaining, 5_000)
            var rows: [[any SQLExpression]] = []
            rows.reserveCapacity(batch)
            while rows.count < batch {
                let newKey = scheme.makeKey()
                guard taken.insert(newKey.prefix).inserted else { continue }
                let model = Key()
                model.name = "bench"
                model.isRevoked = false
                model.assignKey(newKey)
                rows.append(try Self.row(model, newKey))
                valid = newKey.plaintext
            }
            let insert = sql.insert(into: Key.schema).columns(Self.columns)
            for row in rows { insert.values(row) }
            try await insert.run()
            remaining -= batch
        }
        guard let valid else { return }
        var unknown = scheme.makeKey().plaintext
        while taken.contains(unknown.prefix) { unknown = scheme.makeKey().plaintext }
        let wrongSecret = valid.prefix + "." + String(repeating: "x", count: valid.reveal().count - valid.prefix.count - 1)
        try "valid \(valid.reveal())\nunknown_prefix \(unknown.reveal())\nwrong_secret \(wrongSecret)\n"
            .write(toFile: keysFile, atomically: true, encoding: .utf8)
        let elapsed = ContinuousClock.now - started
        FileHandle.standardError.write(Data("Added \(count) keys in \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))).\n".utf8))
    }

    /// The model's own column names, so that any key model can be seeded.
    static var columns: [String] {
        ["id", Key.prefixKey, Key.hashedKeyKey, Key.createdAtKey, Key.nameKey,
         Key.revokedKey, Key.expiresAtKey].map(\.description)
    }

    static func row(_ model: Key, _ newKey: NewAPIKey) throws -> [any SQLExpression] {
        // A model that derives its id from the key (upstream's table) has one after assignKey.
        let id: any Encodable & Sendable = model.id.map { $0 as any Encodable & Sendable } ?? UUID()
        let created: any Encodable & Sendable = Key.databaseValue(for: Date())
        return [SQLBind(id), SQLBind(newKey.prefix), SQLBind(newKey.hashedKey), SQLBind(created), SQLBind("bench"), SQLBind(false), SQLLiteral.null]
    }
}
