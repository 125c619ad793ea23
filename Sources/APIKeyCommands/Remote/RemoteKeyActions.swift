package import APIKeyCore
import APIKeyFluent
import APIKeyManagementClient
import Foundation
import OpenAPIRuntime
import OpenAPIURLSession

/// What `api-keys --server URL …` does: the same subcommands as on the database, through a
/// running service's management API (OpenAPI/api-keys.yaml) with the generated client, so that
/// an operator needs no database access. The management key comes from `API_KEY_MANAGEMENT_KEY`,
/// never from an argument (arguments show in `ps` and in shell history).
package struct RemoteKeyActions: Sendable {
    /// The environment variable that holds the management key.
    package static let keyVariable = "API_KEY_MANAGEMENT_KEY"

    private let client: Client
    private let server: String
    private let output: CommandOutput

    /// Actions on the keys the management key manages at `server` (its API's base URL, such as
    /// `https://keys.example.com/api/v1`).
    package init(
        server: String, header: KeyHeader = .authorization(), output: CommandOutput = .terminal,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        guard let url = URL(string: server), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw APIKeyCommandError("--server must be the management API's URL, such as https://keys.example.com/api/v1; got \(server)")
        }
        guard let key = environment[Self.keyVariable]?.trimmingCharacters(in: .whitespacesAndNewlines), !key.isEmpty else {
            throw APIKeyCommandError(
                "set \(Self.keyVariable) to a key that holds keys:manage: --server reads the management key from the environment, never from an argument")
        }
        self.server = server
        self.output = output
        self.client = Client(serverURL: url, transport: URLSessionTransport(), middlewares: [ManagementKeyMiddleware(key: key, header: header.name, keyword: header.keyword), ProblemReader()])
    }

    /// Runs one call, turning what the server refused into its own message.
    private func call<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as ClientError {
            if let refused = error.underlyingError as? APIKeyCommandError { throw refused }
            throw APIKeyCommandError(
                "could not reach the management API at \(server): is the service running, and is this its API's URL (such as https://host/api/v1)?")
        }
    }

    /// An answer the contract does not list.
    private var unexpected: APIKeyCommandError {
        APIKeyCommandError("the server's answer is not one its management API documents; check --server")
    }

    // MARK: The subcommands

    package func create(name: String, expires: String?, access: AccessOptions) async throws {
        let body = Components.Schemas.NewKey(
            name: name, expiresAt: try CommandPrinting.expiry(expires), scopes: access.scopes.isEmpty ? nil : access.scopes,
            allowedIps: access.allowedIPs.isEmpty ? nil : access.allowedIPs, rateLimit: Self.rateLimit(access),
            metadata: try access.metadata.map { .init(additionalProperties: try Self.object($0)) })
        let answer = try await call { try await client.createKey(headers: .init(idempotencyKey: UUID().uuidString), body: .json(body)) }
        guard case .created(let created) = answer else { throw unexpected }
        let made = try created.body.json
        guard let secret = made.secret else { throw unexpected }
        let expiry = made.key.expiresAt.map { " It expires \(DateInput.display($0))." } ?? ""
        output.standardError("Created API key \(made.key.prefix) (\"\(made.key.name)\").\(expiry) Store it somewhere safe: it will not be shown again.")
        output.standardOutput(secret)
    }

    package func list(json: Bool, scope: String?, idle: String?) async throws {
        var idleDays: Int?
        if let idle {
            do {
                idleDays = max(1, Int(try DurationInput.parse(idle).components.seconds / 86_400))
            } catch {
                throw APIKeyCommandError("--idle: \(error.description)")
            }
        }
        var keys: [Components.Schemas.Key] = []
        var cursor: String?
        repeat {
            let answer = try await call { try await client.listKeys(query: .init(cursor: cursor, limit: 100, scope: scope, idleDays: idleDays)) }
            guard case .ok(let ok) = answer else { throw unexpected }
            let page = try ok.body.json
            keys += page.items
            cursor = page.nextCursor
        } while cursor != nil
        try CommandPrinting.keys(try keys.map { try Self.converted($0, to: APIKeySummary.self) }, json: json, to: output)
        if json { return }
        if keys.isEmpty { output.standardError("No API keys that this management key manages.") }
    }

    package func usage(_ input: String, days: Int, json: Bool) async throws {
        guard (1...366).contains(days) else { throw APIKeyCommandError("--days must be 1 to 366, got \(days)") }
        let prefix = SecretRedaction.prefix(ofInput: input)
        let answer = try await call { try await client.getKeyUsage(path: .init(prefix: prefix), query: .init(days: days)) }
        guard case .ok(let ok) = answer else { throw unexpected }
        try CommandPrinting.usage(try Self.converted(try ok.body.json, to: APIKeyUsage.self), json: json, to: output)
    }

    package func update(_ input: String, name: String?, expires: String?, access: AccessOptions, clear: ClearOptions) async throws {
        let prefix = SecretRedaction.prefix(ofInput: input)
        guard name != nil || expires != nil || !access.isEmpty || !clear.isEmpty else {
            throw APIKeyCommandError("give at least one change: --name, --expires, --scope, --allow-ip, --metadata, --rate-limit, or a --clear-… flag")
        }
        var cleared: [Components.Schemas.KeyChanges.ClearPayloadPayload] = []
        if let text = access.rateLimit, text.trimmingCharacters(in: .whitespaces).lowercased() == "none" { cleared.append(.rateLimit) }
        if clear.clearMetadata { cleared.append(.metadata) }
        let changes = Components.Schemas.KeyChanges(
            name: name, expiresAt: try CommandPrinting.expiry(expires),
            scopes: clear.clearScopes ? [] : access.scopes.isEmpty ? nil : access.scopes,
            allowedIps: clear.clearAllowedIPs ? [] : access.allowedIPs.isEmpty ? nil : access.allowedIPs,
            rateLimit: Self.rateLimit(access), metadata: try access.metadata.map { .init(additionalProperties: try Self.object($0)) },
            clear: cleared.isEmpty ? nil : cleared)
        let answer = try await call { try await client.updateKey(path: .init(prefix: prefix), body: .json(changes)) }
        guard case .ok(let ok) = answer else { throw unexpected }
        output.standardOutput(CommandPrinting.updated(try Self.converted(try ok.body.json, to: APIKeySummary.self)))
    }

    package func rotate(_ input: String, grace: String, expires: String?) async throws {
        let prefix = SecretRedaction.prefix(ofInput: input)
        let length = try CommandPrinting.grace(grace)
        let body = Components.Schemas.Rotation(graceSeconds: Int(length.components.seconds), expiresAt: try CommandPrinting.expiry(expires))
        let answer = try await call {
            try await client.rotateKey(path: .init(prefix: prefix), headers: .init(idempotencyKey: UUID().uuidString), body: .json(body))
        }
        guard case .created(let created) = answer else { throw unexpected }
        let made = try created.body.json
        guard let secret = made.secret else { throw unexpected }
        output.standardError(
            "Rotated API key \(prefix) to \(made.key.prefix) (\"\(made.key.name)\"). The old key works for its grace period. "
                + "Store the new key somewhere safe: it will not be shown again.")
        output.standardOutput(secret)
    }

    package func setSuspended(_ suspended: Bool, _ inputs: [String]) async throws {
        let prefixes = inputs.map(SecretRedaction.prefix(ofInput:))
        guard !prefixes.isEmpty else { throw APIKeyCommandError("give the prefix of at least one key to \(suspended ? "suspend" : "resume")") }
        for prefix in prefixes {
            if suspended {
                guard case .ok = try await call({ try await client.suspendKey(path: .init(prefix: prefix)) }) else { throw unexpected }
            } else {
                guard case .ok = try await call({ try await client.resumeKey(path: .init(prefix: prefix)) }) else { throw unexpected }
            }
            output.standardOutput("\(suspended ? "Suspended" : "Resumed") \(prefix)")
        }
    }

    package func revoke(_ inputs: [String]) async throws {
        let prefixes = inputs.map(SecretRedaction.prefix(ofInput:))
        guard !prefixes.isEmpty else { throw APIKeyCommandError("give the prefix of at least one key to revoke") }
        for prefix in prefixes {
            guard case .ok = try await call({ try await client.revokeKey(path: .init(prefix: prefix)) }) else { throw unexpected }
            output.standardOutput("Revoked \(prefix)")
        }
    }

    package func delete(_ inputs: [String]) async throws {
        let prefixes = inputs.map(SecretRedaction.prefix(ofInput:))
        guard !prefixes.isEmpty else { throw APIKeyCommandError("give the prefix of at least one key to delete") }
        for prefix in prefixes {
            let answer = try await call { try await client.deleteKey(path: .init(prefix: prefix), headers: .init(idempotencyKey: UUID().uuidString)) }
            guard case .noContent = answer else { throw unexpected }
            output.standardOutput("Deleted \(prefix)")
        }
    }

    package func events(_ input: String?, limit: Int, json: Bool) async throws {
        guard let input else { throw APIKeyCommandError("with --server, give the prefix of the key whose events to show") }
        guard (1...100).contains(limit) else { throw APIKeyCommandError("--limit must be 1 to 100 with --server, got \(limit)") }
        let prefix = SecretRedaction.prefix(ofInput: input)
        let answer = try await call { try await client.listKeyEvents(path: .init(prefix: prefix), query: .init(limit: limit)) }
        guard case .ok(let ok) = answer else { throw unexpected }
        let events = try ok.body.json.items.map {
            APIKeyEvent(
                kind: APIKeyEventKind(code: $0.kind), keyTable: $0.keyTable, prefix: $0.prefix, name: $0.name, at: $0.at, detail: $0.detail,
                source: $0.source)
        }
        try CommandPrinting.events(events, json: json, to: output)
    }

    // MARK: Input and output

    /// The rate limit to set, as typed (the server checks it); `none` is a removal, sent as `clear`.
    private static func rateLimit(_ access: AccessOptions) -> String? {
        guard let text = access.rateLimit, text.trimmingCharacters(in: .whitespaces).lowercased() != "none" else { return nil }
        return text
    }

    private static func object(_ json: String) throws -> OpenAPIObjectContainer {
        do {
            return try JSONDecoder().decode(OpenAPIObjectContainer.self, from: Data(json.utf8))
        } catch {
            throw APIKeyCommandError(#"--metadata must be a JSON object, such as '{"customer":"cus_123"}'"#)
        }
    }

    /// A value of the contract's as the library's own type (the same JSON), so that both print alike.
    private static func converted<Value: Decodable>(_ value: some Encodable, to type: Value.Type) throws -> Value {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: try encoder.encode(value))
    }
}
