import APIKeyCore
package import APIKeyFluent
package import FluentKit
import Foundation

/// What `api-keys create|list|revoke|delete` do: the messages and the output of
/// ``APIKeysCommand``'s subcommands, apart from parsing.
///
/// ```swift
/// try await APIKeyCommandActions(manager: keys, output: .terminal).create(name: "billing", expires: "2027-01-31")
/// ```
package struct APIKeyCommandActions<Model: APIKeyModel>: Sendable {
    /// The keys it works on.
    package let manager: APIKeyManager<Model>
    /// Where it writes.
    package let output: CommandOutput

    /// Actions on `manager`'s keys, writing to `output`.
    package init(manager: APIKeyManager<Model>, output: CommandOutput = .terminal) {
        self.manager = manager
        self.output = output
    }

    /// Creates a key and prints it alone on standard output, once.
    ///
    /// - Parameters:
    ///   - name: 1 to 50 characters.
    ///   - expires: `YYYY-MM-DD` (midnight UTC), `YYYY-MM-DD HH:MM` (UTC) or an ISO 8601 date-time.
    ///   - prepare: Sets a custom model's own fields (an owner) before the key is saved.
    package func create(name: String, expires: String?, prepare: (Model) async throws -> Void = { _ in }) async throws {
        let expiresAt: Date?
        do {
            expiresAt = try expires.map { text throws(DateInput.Invalid) -> Date in try DateInput.parse(text) }
        } catch {
            throw APIKeyCommandError(error.description)
        }
        try APIKeyManager<Model>.validate(newExpiry: expiresAt, now: manager.now())
        let model: Model
        let key: PlaintextAPIKey
        do {
            (model, key) = try await manager.createKey(name: name, expiresAt: expiresAt, configure: prepare)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // A column of the app's own that nothing filled (an owner): the database's message
            // names a column, not what to do.
            throw APIKeyCommandError(
                "the key could not be saved: the \(Model.schema) table needs a value that create did not give, such as an owner "
                    + "(the database refused the row). Give it with the app's own option (see api-keys create --help); "
                    + "an app adds one by implementing APIKeyCommandEnvironment.prepareNewKey")
        }
        output.standardError("Created API key \(model.prefix) (\"\(model.name)\"). Store it somewhere safe: it will not be shown again.")
        output.standardOutput(key.reveal())
    }

    /// Lists keys, newest first: a table, or JSON (`APIKeySummary`).
    package func list(json: Bool, narrowedBy narrow: (QueryBuilder<Model>) -> QueryBuilder<Model> = { $0 }) async throws {
        let page = try await manager.list(APIKeyQuery(), narrowedBy: narrow)
        let unreadable = page.unreadablePrefixes
        if !unreadable.isEmpty {
            output.standardError(
                "Warning: the row\(unreadable.count == 1 ? "" : "s") of \(unreadable.joined(separator: ", ")) cannot be read and "
                    + "\(unreadable.count == 1 ? "is" : "are") not listed: a column holds a value of the wrong kind, such as an expiry that "
                    + "is not a date. Requests with such a key are refused; repair the row, or revoke or delete the key.")
        }
        let rows = page.summaries
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            output.standardOutput(String(decoding: try encoder.encode(rows), as: UTF8.self))
            return
        }
        let header = ["PREFIX", "NAME", "CREATED", "EXPIRES", "STATUS"]
        let table = [header] + rows.map { [$0.prefix, $0.name, DateInput.display($0.createdAt), DateInput.display($0.expiresAt), $0.status] }
        let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        for row in table {
            let line = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }
            output.standardOutput(line.joined(separator: "  "))
        }
        if rows.isEmpty, unreadable.isEmpty { output.standardError("No API keys yet. Create one with: api-keys create --name NAME") }
    }

    /// Revokes the keys with these prefixes, for good; changes nothing if one is unknown. A whole
    /// key is taken as its prefix, and only the prefix is ever printed.
    package func revoke(_ inputs: [String], narrowedBy narrow: (QueryBuilder<Model>) -> QueryBuilder<Model> = { $0 }) async throws {
        let prefixes = inputs.map(SecretRedaction.prefix(ofInput:))
        guard !prefixes.isEmpty else { throw APIKeyCommandError("give the prefix of at least one key to revoke") }
        try await requireExisting(prefixes, narrowedBy: narrow)
        try await manager.revoke(prefixes: prefixes)
        for prefix in prefixes { output.standardOutput("Revoked \(prefix)") }
    }

    /// Deletes the keys with these prefixes; changes nothing if one is unknown. A whole key is
    /// taken as its prefix, and only the prefix is ever printed.
    package func delete(_ inputs: [String], narrowedBy narrow: (QueryBuilder<Model>) -> QueryBuilder<Model> = { $0 }) async throws {
        let prefixes = inputs.map(SecretRedaction.prefix(ofInput:))
        guard !prefixes.isEmpty else { throw APIKeyCommandError("give the prefix of at least one key to delete") }
        try await requireExisting(prefixes, narrowedBy: narrow)
        for prefix in prefixes {
            try await manager.delete(prefix: prefix)
            output.standardOutput("Deleted \(prefix)")
        }
    }

    /// Fails, naming every unknown prefix (or one outside `narrow`), before anything is changed.
    private func requireExisting(_ prefixes: [String], narrowedBy narrow: (QueryBuilder<Model>) -> QueryBuilder<Model>) async throws {
        var unknown: [String] = []
        for prefix in prefixes where try await !manager.hasKey(prefix: prefix, narrowedBy: narrow) { unknown.append(prefix) }
        guard unknown.isEmpty else {
            throw APIKeyCommandError("no API key has the prefix \(unknown.joined(separator: ", ")); nothing was changed")
        }
    }
}
