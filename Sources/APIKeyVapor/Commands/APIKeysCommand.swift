public import APIKeyFluent
import Fluent
public import Vapor
import Foundation

/// `api-keys create|list|revoke|delete`: manage keys from a terminal, like upstream's admin but
/// scriptable. Register it on any Vapor app:
///
/// ```swift
/// app.asyncCommands.use(APIKeysCommand(), as: "api-keys")
/// ```
///
/// ```sh
/// $ swift run App api-keys create --name billing --expires 2027-01-31
/// C7oAzBnJ.mk01hDcC9wYLAoDkFREUeUNs7cQ1XWWm        # stdout: the key alone, once
/// $ swift run App api-keys list --json
/// $ swift run App api-keys revoke C7oAzBnJ 0t7Nnh4P
/// $ swift run App api-keys delete C7oAzBnJ
/// ```
public struct APIKeysCommand<Model: APIKeyModel>: AsyncCommandGroup {
    /// The subcommands.
    public let commands: [String: any AnyAsyncCommand]
    /// What `--help` says.
    public var help: String { "Create, list, revoke and delete API keys." }

    /// The commands for `model` keys; `configure` sets a custom model's own fields on new keys.
    public init(_ model: Model.Type, configure: @escaping @Sendable (Model) -> Void = { _ in }) {
        commands = [
            "create": CreateCommand<Model>(configure: configure),
            "list": ListCommand<Model>(),
            "revoke": RevokeCommand<Model>(),
            "delete": DeleteCommand<Model>(),
        ]
    }
}

extension APIKeysCommand where Model == APIKey {
    /// The commands for the built-in ``APIKeyFluent/APIKey`` model.
    public init() { self.init(APIKey.self) }
}

/// A command-line failure: its message is printed and the process exits non-zero.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
}

struct CreateCommand<Model: APIKeyModel>: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "name", help: "A name for the key, 1 to 50 characters.")
        var name: String?
        @Option(name: "expires", help: "When the key stops working: YYYY-MM-DD (midnight UTC) or an ISO 8601 date-time.")
        var expires: String?
        init() {}
    }

    let configure: @Sendable (Model) -> Void
    var help: String { "Create a key and print it, once. Only the key goes to standard output." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let name = signature.name else { throw CommandFailure(description: "--name is required") }
        let expiresAt = try signature.expires.map { text throws -> Date in try DateInput.parse(text) }
        let manager = context.application.apiKeys.manager(Model.self)
        let (record, key) = try await manager.createKey(name: name, expiresAt: expiresAt, configure: configure)
        standardError("Created API key \(record.prefix) (\"\(record.name)\"). Store it somewhere safe: it will not be shown again.")
        context.console.output(key.reveal().consoleText())
    }
}

struct ListCommand<Model: APIKeyModel>: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "json", help: "Print JSON instead of a table.")
        var json: Bool
        init() {}
    }

    var help: String { "List keys, newest first." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let manager = context.application.apiKeys.manager(Model.self)
        let keys = try await Model.query(on: manager.database).sort(Model.createdAtKey, .descending).all()
        let now = Date()
        let rows = keys.map { KeyListing(key: $0, now: now) }
        if signature.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            context.console.output(String(decoding: try encoder.encode(rows), as: UTF8.self).consoleText())
            return
        }
        let header = ["PREFIX", "NAME", "CREATED", "EXPIRES", "STATUS"]
        let table = [header] + rows.map { [$0.prefix, $0.name, DateInput.display($0.createdAt), DateInput.display($0.expiresAt), $0.status] }
        let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        for row in table {
            let line = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }
            context.console.output(line.joined(separator: "  ").consoleText())
        }
        if rows.isEmpty { standardError("No API keys yet. Create one with: api-keys create --name NAME") }
    }
}

struct RevokeCommand<Model: APIKeyModel>: AnyAsyncCommand {
    var help: String { "Revoke the keys with the given prefixes, for good: api-keys revoke PREFIX…" }

    func run(using context: inout CommandContext) async throws {
        let prefixes = context.input.arguments
        context.input.arguments = []
        guard !prefixes.isEmpty else { throw CommandFailure(description: "give the prefix of at least one key to revoke") }
        let manager = context.application.apiKeys.manager(Model.self)
        try await requireExisting(prefixes, manager)
        try await manager.revoke(prefixes: prefixes)
        for prefix in prefixes { context.console.output("Revoked \(prefix)".consoleText()) }
    }

    func outputHelp(using context: inout CommandContext) {
        context.console.output("Usage: api-keys revoke PREFIX…".consoleText())
        context.console.output(help.consoleText())
    }
}

struct DeleteCommand<Model: APIKeyModel>: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "prefix", help: "The prefix of the key to delete.")
        var prefix: String
        init() {}
    }

    var help: String { "Delete a key." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let manager = context.application.apiKeys.manager(Model.self)
        try await requireExisting([signature.prefix], manager)
        guard let key = try await manager.model(prefix: signature.prefix) else { return }
        try await manager.delete(key)
        context.console.output("Deleted \(signature.prefix)".consoleText())
    }
}

/// Fails, naming every unknown prefix, before anything is changed.
private func requireExisting<Model: APIKeyModel>(_ prefixes: [String], _ manager: APIKeyManager<Model>) async throws {
    var unknown: [String] = []
    for prefix in prefixes where try await manager.model(prefix: prefix) == nil { unknown.append(prefix) }
    guard unknown.isEmpty else {
        throw CommandFailure(description: "no API key has the prefix \(unknown.joined(separator: ", ")); nothing was changed")
    }
}

/// One row of `api-keys list`.
struct KeyListing: Encodable {
    let prefix: String
    let name: String
    let createdAt: Date?
    let expiresAt: Date?
    let revoked: Bool
    let expired: Bool
    let status: String

    init<Model: APIKeyModel>(key: Model, now: Date) {
        prefix = key.prefix
        name = key.name
        createdAt = key.createdAt
        expiresAt = key.expiresAt
        revoked = key.isRevoked
        expired = key.hasExpired(at: now)
        status = revoked ? "revoked" : expired ? "expired" : "active"
    }

    enum CodingKeys: String, CodingKey {
        case prefix, name, revoked, expired, status
        case createdAt = "created_at"
        case expiresAt = "expires_at"
    }
}

/// Messages for people go to standard error, so that standard output holds only what scripts
/// capture.
private func standardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
