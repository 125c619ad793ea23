import APIKeyCommands
public import APIKeyFluent
public import Vapor

/// `api-keys create|list|revoke|delete`: manage keys from a terminal, like upstream's admin but
/// scriptable. Vapor's console commands over the same actions as every other framework's
/// (`APIKeyCommands`). Register it on any Vapor app:
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

/// The shared actions, writing what scripts capture to the command's console.
private func actions<Model: APIKeyModel>(_ model: Model.Type, _ context: CommandContext) -> APIKeyCommandActions<Model> {
    let console = context.console
    let output = CommandOutput(
        standardOutput: { line in console.output(line.consoleText()) }, standardError: CommandOutput.terminal.standardError)
    return APIKeyCommandActions(manager: context.application.apiKeys.manager(Model.self), output: output)
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
        guard let name = signature.name else { throw APIKeyCommandError("--name is required") }
        try await actions(Model.self, context).create(name: name, expires: signature.expires, configure: configure)
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
        try await actions(Model.self, context).list(json: signature.json)
    }
}

struct RevokeCommand<Model: APIKeyModel>: AnyAsyncCommand {
    var help: String { "Revoke the keys with the given prefixes, for good: api-keys revoke PREFIX…" }

    func run(using context: inout CommandContext) async throws {
        let prefixes = context.input.arguments
        context.input.arguments = []
        try await actions(Model.self, context).revoke(prefixes)
    }

    func outputHelp(using context: inout CommandContext) {
        context.console.output("Usage: api-keys revoke PREFIX…".consoleText())
        context.console.output(help.consoleText())
    }
}

struct DeleteCommand<Model: APIKeyModel>: AnyAsyncCommand {
    var help: String { "Delete the keys with the given prefixes: api-keys delete PREFIX…" }

    func run(using context: inout CommandContext) async throws {
        let prefixes = context.input.arguments
        context.input.arguments = []
        try await actions(Model.self, context).delete(prefixes)
    }

    func outputHelp(using context: inout CommandContext) {
        context.console.output("Usage: api-keys delete PREFIX…".consoleText())
        context.console.output(help.consoleText())
    }
}
