import APIKeyCore
import APIKeyFluent
public import ArgumentParser
import Foundation

/// `api-keys create|list|usage|update|rotate|scanner-rules|events|prune|suspend|resume|revoke|delete` on swift-argument-parser, for any app: add it to your
/// command's subcommands.
///
/// ```swift
/// @main struct App: AsyncParsableCommand {
///     static let configuration = CommandConfiguration(subcommands: [Serve.self, APIKeysCommand<AppKeys>.self], defaultSubcommand: Serve.self)
/// }
/// ```
///
/// ```sh
/// $ app api-keys create --name billing --expires 2027-01-31 --scope reports:read --allow-ip 203.0.113.0/24
/// C7oAzBnJ.mk01hDcC9wYLAoDkFREUeUNs7cQ1XWWm        # stdout: the key alone, once
/// $ app api-keys list --json --scope reports:read
/// $ app api-keys list --idle 30d
/// $ app api-keys usage C7oAzBnJ --days 7
/// $ app api-keys update C7oAzBnJ --scope reports:read --scope reports:write --metadata '{"plan":"pro"}'
/// $ app api-keys rotate C7oAzBnJ --grace 24h
/// Zr8bQ1xa.Vq2UoFJpX9sB3dKeLh7mWcRt4nYg6TaE        # stdout: the new key alone, once
/// $ app api-keys scanner-rules > .gitleaks.toml     # keys made by a TaggedKeyGenerator
/// $ app api-keys events C7oAzBnJ --json             # with APIKeySettings.recordsEvents on
/// $ app api-keys prune --revoked-before 90d --expired-before 90d --dry-run
/// $ app api-keys suspend C7oAzBnJ
/// $ app api-keys resume C7oAzBnJ
/// $ app api-keys revoke C7oAzBnJ 0t7Nnh4P
/// $ app api-keys delete C7oAzBnJ
/// $ API_KEY_MANAGEMENT_KEY=… app api-keys --server https://keys.example.com/api/v1 list   # no database access
/// ```
public struct APIKeysCommand<Environment: APIKeyCommandEnvironment>: AsyncParsableCommand {
    /// The command's name, summary and subcommands.
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "api-keys", abstract: "Create, list, change, rotate, suspend, resume, revoke, delete and prune API keys, and see their usage and events.",
            subcommands: [Create.self, List.self, Usage.self, Update.self, Rotate.self, ScannerRulesCommand.self, Events.self, Prune.self, Suspend.self, Resume.self, Revoke.self, Delete.self])
    }

    /// A running service's management API (`https://host/api/v1`): every subcommand but prune and
    /// scanner-rules then works through it, with the key in `API_KEY_MANAGEMENT_KEY`, instead of
    /// on the database.
    @Option(help: "Manage the keys of a running service through its management API, e.g. https://keys.example.com/api/v1; the key that holds keys:manage is read from API_KEY_MANAGEMENT_KEY.")
    var server: String?

    /// The command group.
    public init() {}

    /// `api-keys create --name NAME [--expires DATE] [--scope S]… [--allow-ip CIDR]… [--metadata JSON]`.
    struct Create: AsyncParsableCommand {
        /// The subcommand's summary.
        static var configuration: CommandConfiguration {
            CommandConfiguration(abstract: "Create a key and print it, once. Only the key goes to standard output.")
        }
        /// The key's name.
        @Option(help: "A name for the key, 1 to 50 characters.") var name: String
        /// When it expires.
        @Option(help: "When the key stops working: YYYY-MM-DD (midnight UTC) or an ISO 8601 date-time.") var expires: String?
        /// Scopes, allowlist and metadata.
        @OptionGroup var access: AccessOptions
        /// The app's own options.
        @OptionGroup var options: Environment.Options
        /// `--server`, given before the subcommand.
        @ParentCommand var parent: APIKeysCommand
        /// The subcommand.
        init() {}
        /// Creates the key.
        func run() async throws {
            let (name, expires, access, options) = (self.name, self.expires, self.access, self.options)
            if let server = parent.server {
                let remote = try RemoteKeyActions(server: server, header: try Environment.keyHeader, output: Environment.output)
                try await remote.create(name: name, expires: expires, access: access)
                return
            }
            try await Environment.withManager { manager in
                try await APIKeyCommandActions(manager: manager, output: Environment.output).create(name: name, expires: expires, access: access) { key in
                    try await Environment.prepareNewKey(key, options: options, on: manager.database)
                }
            }
        }
    }

    /// `api-keys list [--json] [--scope S] [--idle 30d]`.
    struct List: AsyncParsableCommand {
        /// The subcommand's summary.
        static var configuration: CommandConfiguration { CommandConfiguration(abstract: "List keys, newest first.") }
        /// JSON instead of a table.
        @Flag(help: "Print JSON instead of a table.") var json = false
        /// Only keys holding this scope.
        @Option(help: "List only the keys that hold this scope.") var scope: String?
        /// Only keys idle this long.
        @Option(help: "List only the keys not used for this long (never used included), longest idle first: 30d, 12h, 90m.")
        var idle: String?
        /// The app's own options.
        @OptionGroup var options: Environment.Options
        /// `--server`, given before the subcommand.
        @ParentCommand var parent: APIKeysCommand
        /// The subcommand.
        init() {}
        /// Lists the keys.
        func run() async throws {
            let (json, scope, idle, options) = (self.json, self.scope, self.idle, self.options)
            if let server = parent.server {
                let remote = try RemoteKeyActions(server: server, header: try Environment.keyHeader, output: Environment.output)
                try await remote.list(json: json, scope: scope, idle: idle)
                return
            }
            try await Environment.withManager { manager in
                try await APIKeyCommandActions(manager: manager, output: Environment.output).list(json: json, scope: scope, idle: idle) {
                    Environment.keys($0, options: options)
                }
            }
        }
    }

    /// `api-keys usage PREFIX [--days 30] [--json]`.
    struct Usage: AsyncParsableCommand {
        /// The subcommand's summary.
        static var configuration: CommandConfiguration {
            CommandConfiguration(abstract: "Show when a key was last used and its requests per day (UTC), as last written.")
        }
        /// The key's prefix.
        @Argument(help: "The prefix of the key.") var prefix: String
        /// How many days.
        @Option(help: "How many days, today included: 1 to 366.") var days = 30
        /// JSON instead of a table.
        @Flag(help: "Print JSON instead of a table.") var json = false
        /// The app's own options.
        @OptionGroup var options: Environment.Options
        /// `--server`, given before the subcommand.
        @ParentCommand var parent: APIKeysCommand
        /// The subcommand.
        init() {}
        /// Prints the usage.
        func run() async throws {
            let (prefix, days, json, options) = (self.prefix, self.days, self.json, self.options)
            if let server = parent.server {
                let remote = try RemoteKeyActions(server: server, header: try Environment.keyHeader, output: Environment.output)
                try await remote.usage(prefix, days: days, json: json)
                return
            }
            try await Environment.withManager { manager in
                try await APIKeyCommandActions(manager: manager, output: Environment.output).usage(prefix, days: days, json: json) {
                    Environment.keys($0, options: options)
                }
            }
        }
    }

    /// `api-keys update PREFIX [--name N] [--expires DATE] [--scope S]… [--allow-ip CIDR]… [--metadata JSON] [--clear-…]`.
    struct Update: AsyncParsableCommand {
        /// The subcommand's summary.
        static var configuration: CommandConfiguration {
            CommandConfiguration(abstract: "Change a key's name, expiry, scopes, allowed addresses or metadata. Given scopes and addresses replace the old ones.")
        }
        /// The key's prefix.
        @Argument(help: "The prefix of the key to change.") var prefix: String
        /// A new name.
        @Option(help: "A new name, 1 to 50 characters.") var name: String?
        /// A new expiry.
        @Option(help: "A new expiry: YYYY-MM-DD (midnight UTC) or an ISO 8601 date-time.") var expires: String?
        /// Scopes, allowlist and metadata.
        @OptionGroup var access: AccessOptions
        /// What to empty.
        @OptionGroup var clear: ClearOptions
        /// The app's own options.
        @OptionGroup var options: Environment.Options
        /// `--server`, given before the subcommand.
        @ParentCommand var parent: APIKeysCommand
        /// The subcommand.
        init() {}
        /// Changes the key.
        func run() async throws {
            let (prefix, name, expires, access, clear, options) = (self.prefix, self.name, self.expires, self.access, self.clear, self.options)
            if let server = parent.server {
                let remote = try RemoteKeyActions(server: server, header: try Environment.keyHeader, output: Environment.output)
                try await remote.update(prefix, name: name, expires: expires, access: access, clear: clear)
                return
            }
            try await Environment.withManager { manager in
                try await APIKeyCommandActions(manager: manager, output: Environment.output).update(
                    prefix, name: name, expires: expires, access: access, clear: clear
                ) { Environment.keys($0, options: options) }
            }
        }
    }

    /// `api-keys suspend PREFIX…`.
    struct Suspend: AsyncParsableCommand {
        /// The subcommand's summary.
        static var configuration: CommandConfiguration {
            CommandConfiguration(abstract: "Suspend the keys with the given prefixes: refused until resumed.")
        }
        /// The keys' prefixes.
        @Argument(help: "The prefixes of the keys to suspend.") var prefixes: [String]
        /// The app's own options.
        @OptionGroup var options: Environment.Options
        /// `--server`, given before the subcommand.
        @ParentCommand var parent: APIKeysCommand
        /// The subcommand.
        init() {}
        /// Suspends the keys.
        func run() async throws {
            let (prefixes, options) = (self.prefixes, self.options)
            if let server = parent.server {
                let remote = try RemoteKeyActions(server: server, header: try Environment.keyHeader, output: Environment.output)
                try await remote.setSuspended(true, prefixes)
                return
            }
            try await Environment.withManager { manager in
                try await APIKeyCommandActions(manager: manager, output: Environment.output).setSuspended(true, prefixes) {
                    Environment.keys($0, options: options)
                }
            }
        }
    }

    /// `api-keys resume PREFIX…`.
    struct Resume: AsyncParsableCommand {
        /// The subcommand's summary.
        static var configuration: CommandConfiguration {
            CommandConfiguration(abstract: "Resume suspended keys with the given prefixes. A revoked key cannot be resumed.")
        }
        /// The keys' prefixes.
        @Argument(help: "The prefixes of the keys to resume.") var prefixes: [String]
        /// The app's own options.
        @OptionGroup var options: Environment.Options
        /// `--server`, given before the subcommand.
        @ParentCommand var parent: APIKeysCommand
        /// The subcommand.
        init() {}
        /// Resumes the keys.
        func run() async throws {
            let (prefixes, options) = (self.prefixes, self.options)
            if let server = parent.server {
                let remote = try RemoteKeyActions(server: server, header: try Environment.keyHeader, output: Environment.output)
                try await remote.setSuspended(false, prefixes)
                return
            }
            try await Environment.withManager { manager in
                try await APIKeyCommandActions(manager: manager, output: Environment.output).setSuspended(false, prefixes) {
                    Environment.keys($0, options: options)
                }
            }
        }
    }

    /// `api-keys rotate PREFIX --grace 24h [--expires DATE]`.
    struct Rotate: AsyncParsableCommand {
        /// The subcommand's summary.
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                abstract: "Replace a key with a new one that keeps its name, scopes, addresses, metadata and rate limit, and print the new key, once. "
                    + "Only the key goes to standard output.")
        }
        /// The key's prefix.
        @Argument(help: "The prefix of the key to replace.") var prefix: String
        /// How long the old key works.
        @Option(help: "How long the old key keeps working: 24h, 7d, 30m, or 0 to stop it at once. At most 366d.") var grace: String
        /// When the new key expires.
        @Option(help: "When the new key stops working: YYYY-MM-DD (midnight UTC) or an ISO 8601 date-time. Never by default.")
        var expires: String?
        /// The app's own options.
        @OptionGroup var options: Environment.Options
        /// `--server`, given before the subcommand.
        @ParentCommand var parent: APIKeysCommand
        /// The subcommand.
        init() {}
        /// Rotates the key.
        func run() async throws {
            let (prefix, grace, expires, options) = (self.prefix, self.grace, self.expires, self.options)
            if let server = parent.server {
                let remote = try RemoteKeyActions(server: server, header: try Environment.keyHeader, output: Environment.output)
                try await remote.rotate(prefix, grace: grace, expires: expires)
                return
            }
            try await Environment.withManager { manager in
                try await APIKeyCommandActions(manager: manager, output: Environment.output).rotate(prefix, grace: grace, expires: expires) {
                    Environment.keys($0, options: options)
                }
            }
        }
    }

    /// `api-keys prune [--revoked-before 90d] [--expired-before 90d] [--dry-run]`.
    struct Prune: AsyncParsableCommand {
        /// The subcommand's summary.
        static var configuration: CommandConfiguration {
            CommandConfiguration(abstract: "Delete keys revoked or expired long ago, and print what was deleted (or, with --dry-run, what would be).")
        }
        /// Revoked longer ago than this.
        @Option(help: "Delete keys revoked longer ago than this: 90d, 12h, 30m.") var revokedBefore: String?
        /// Expired longer ago than this.
        @Option(help: "Delete keys that expired longer ago than this: 90d, 12h, 30m.") var expiredBefore: String?
        /// Only say what would be deleted.
        @Flag(help: "Print what would be deleted, and delete nothing.") var dryRun = false
        /// The app's own options.
        @OptionGroup var options: Environment.Options
        /// `--server`, given before the subcommand.
        @ParentCommand var parent: APIKeysCommand
        /// The subcommand.
        init() {}
        /// Prunes.
        func run() async throws {
            if parent.server != nil { throw APIKeyCommandError("prune runs on the service's own database: run it there, without --server") }
            let (revokedBefore, expiredBefore, dryRun, options) = (self.revokedBefore, self.expiredBefore, self.dryRun, self.options)
            try await Environment.withManager { manager in
                try await APIKeyCommandActions(manager: manager, output: Environment.output).prune(
                    revokedBefore: revokedBefore, expiredBefore: expiredBefore, dryRun: dryRun) { Environment.keys($0, options: options) }
            }
        }
    }

    /// `api-keys events [PREFIX] [--limit 50] [--json]`.
    struct Events: AsyncParsableCommand {
        /// The subcommand's summary.
        static var configuration: CommandConfiguration {
            CommandConfiguration(abstract: "Show the latest recorded key events (created, revoked, rotated, …), newest first: one key's, or every key's.")
        }
        /// One key's prefix.
        @Argument(help: "The prefix of one key (deleted keys included); every key when left out.") var prefix: String?
        /// How many.
        @Option(help: "How many events at most: 1 to 1000.") var limit = 50
        /// JSON instead of a table.
        @Flag(help: "Print JSON instead of a table.") var json = false
        /// `--server`, given before the subcommand.
        @ParentCommand var parent: APIKeysCommand
        /// The subcommand.
        init() {}
        /// Prints the events.
        func run() async throws {
            let (prefix, limit, json) = (self.prefix, self.limit, self.json)
            if let server = parent.server {
                let remote = try RemoteKeyActions(server: server, header: try Environment.keyHeader, output: Environment.output)
                try await remote.events(prefix, limit: limit, json: json)
                return
            }
            try await Environment.withManager { manager in
                try await APIKeyCommandActions(manager: manager, output: Environment.output).events(prefix, limit: limit, json: json)
            }
        }
    }

    /// `api-keys scanner-rules [--regex]`.
    struct ScannerRulesCommand: AsyncParsableCommand {
        /// The subcommand's name and summary.
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                commandName: "scanner-rules",
                abstract: "Print a gitleaks rule (TOML) and a regular expression that find this app's tagged keys in code and logs.")
        }
        /// The regular expression alone.
        @Flag(help: "Print only the regular expression, for grep -E or a custom pattern.") var regex = false
        /// `--server`, given before the subcommand.
        @ParentCommand var parent: APIKeysCommand
        /// The subcommand.
        init() {}
        /// Prints the rules.
        func run() async throws {
            if parent.server != nil { throw APIKeyCommandError("scanner-rules runs on the service's own database: run it there, without --server") }
            let regex = self.regex
            try await Environment.withManager { manager in
                try APIKeyCommandActions(manager: manager, output: Environment.output).scannerRules(regexOnly: regex)
            }
        }
    }

    /// `api-keys revoke PREFIX…`.
    struct Revoke: AsyncParsableCommand {
        /// The subcommand's summary.
        static var configuration: CommandConfiguration {
            CommandConfiguration(abstract: "Revoke the keys with the given prefixes, for good.")
        }
        /// The keys' prefixes.
        @Argument(help: "The prefixes of the keys to revoke.") var prefixes: [String]
        /// The app's own options.
        @OptionGroup var options: Environment.Options
        /// `--server`, given before the subcommand.
        @ParentCommand var parent: APIKeysCommand
        /// The subcommand.
        init() {}
        /// Revokes the keys.
        func run() async throws {
            let (prefixes, options) = (self.prefixes, self.options)
            if let server = parent.server {
                let remote = try RemoteKeyActions(server: server, header: try Environment.keyHeader, output: Environment.output)
                try await remote.revoke(prefixes)
                return
            }
            try await Environment.withManager { manager in
                try await APIKeyCommandActions(manager: manager, output: Environment.output).revoke(prefixes) { Environment.keys($0, options: options) }
            }
        }
    }

    /// `api-keys delete PREFIX…`.
    struct Delete: AsyncParsableCommand {
        /// The subcommand's summary.
        static var configuration: CommandConfiguration { CommandConfiguration(abstract: "Delete the keys with the given prefixes.") }
        /// The keys' prefixes.
        @Argument(help: "The prefixes of the keys to delete.") var prefixes: [String]
        /// The app's own options.
        @OptionGroup var options: Environment.Options
        /// `--server`, given before the subcommand.
        @ParentCommand var parent: APIKeysCommand
        /// The subcommand.
        init() {}
        /// Deletes the keys.
        func run() async throws {
            let (prefixes, options) = (self.prefixes, self.options)
            if let server = parent.server {
                let remote = try RemoteKeyActions(server: server, header: try Environment.keyHeader, output: Environment.output)
                try await remote.delete(prefixes)
                return
            }
            try await Environment.withManager { manager in
                try await APIKeyCommandActions(manager: manager, output: Environment.output).delete(prefixes) { Environment.keys($0, options: options) }
            }
        }
    }
}

extension APIKeysCommand {
    /// Runs `api-keys` with `arguments` (the process's own when `nil`) and exits: for an app whose
    /// entry point hands these arguments over, or that is nothing but the commands.
    ///
    /// As swift-argument-parser's own `main`, but no message it prints shows a key's secret: a
    /// whole key typed where it does not belong (`api-keys list C7oAzBnJ.mk01…`) is quoted as its
    /// prefix. A mistake is one `Error: …` line on standard error and exit status 1 or 64, never
    /// a backtrace. While it runs, standard output carries only what the command prints: the
    /// process's other writes there go to standard error.
    ///
    /// ```swift
    /// if CommandLine.arguments.dropFirst().first == "api-keys" {
    ///     await APIKeysCommand<AppKeys>.main(Array(CommandLine.arguments.dropFirst(2)))
    /// }
    /// ```
    public static func main(_ arguments: [String]?) async {
        // Whatever else the app writes to standard output while the command runs (a framework
        // that logs there, as Vapor does by default) goes to standard error: `KEY=$(app
        // api-keys create …)` captures the key alone.
        CommandStandardOutput.reserve()
        let (code, message) = await execute(arguments)
        if let message, !message.isEmpty {
            // `--help` is what was asked for, on standard output; anything else is an error.
            code == .success ? CommandOutput.terminal.standardOutput(message) : CommandOutput.terminal.standardError(message)
        }
        Foundation.exit(code.rawValue)
    }

    /// Runs `api-keys` with `arguments`, and says how it ended: its exit code, and what to print
    /// (help, or an error with its usage line), never a secret.
    package static func execute(_ arguments: [String]?) async -> (code: ExitCode, message: String?) {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            // The parser quotes what was typed: cut any secret from it.
            let code = exitCode(for: error)
            return (code, code == .success ? fullMessage(for: error) : SecretRedaction.redact(fullMessage(for: error)))
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return (.success, nil)
        } catch {
            // The commands' own messages already show prefixes only.
            return (exitCode(for: error), fullMessage(for: error))
        }
    }
}
