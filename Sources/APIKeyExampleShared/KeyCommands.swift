// Shared by both examples: the key
// commands, the framework-neutral ones of APIKeyCommands (swift-argument-parser), so that both
// examples answer with the same text.
import APIKeyCommands
import APIKeyDjango
package import APIKeyFluent
package import ArgumentParser
package import FluentKit
import Foundation
package import Logging

/// How an example opens its database for one command, and closes it after.
package protocol CommandDatabase {
    static func withDatabase(logger: Logger, _ body: (any Database) async throws -> Void) async throws
}

/// `api-keys create|list|revoke|delete`, on the table `API_KEY_SCHEMA` chooses.
package struct KeyCommands<Opener: CommandDatabase>: AsyncParsableCommand {
    package static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "api-keys", abstract: "Create, list, revoke and delete API keys.", helpNames: [])
    }
    @Argument(parsing: .captureForPassthrough, help: "create, list, revoke or delete, and their arguments.") package var arguments: [String] = []

    package init() {}

    package func run() async throws {
        // `--organization NAME`: that organization's keys; otherwise the table API_KEY_SCHEMA names.
        if arguments.contains(where: { $0 == "--organization" || $0.hasPrefix("--organization=") }) {
            await APIKeysCommand<OrganizationKeys<Opener>>.main(arguments)
            return
        }
        switch try KeySchema.current() {
        case .standard: await APIKeysCommand<ExampleKeys<APIKey, Opener>>.main(arguments)
        case .drf: await APIKeysCommand<ExampleKeys<DjangoAPIKey, Opener>>.main(arguments)
        }
    }

    /// Commands log nothing short of critical, unless `LOG_LEVEL` says otherwise: their output
    /// is what they print (an error in one line), not the migrations they run or the driver's
    /// reports.
    package static var logger: Logger {
        var logger = Logger(label: "api-keys")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        return logger
    }
}

/// The commands' access to the example's keys of one model.
package enum ExampleKeys<Key: APIKeyModel, Opener: CommandDatabase>: APIKeyCommandEnvironment {
    package static func withManager(_ body: (APIKeyManager<Key>) async throws -> Void) async throws {
        try await withExampleManager(body, opener: Opener.self)
    }

    /// `API_KEY_HEADER`, as the service reads it: `--server` sends the management key there.
    package static var keyHeader: KeyHeader { get throws { try exampleKeyHeader() } }
}

/// `--organization NAME`: the organization a new key belongs to, or whose keys to list, revoke or
/// delete.
package struct OrganizationOption: ParsableArguments {
    @Option(help: "The organization whose keys these are, by name (the example has Acme and Initech).") package var organization: String
    package init() {}
}

/// The commands' access to the organizations' keys: `api-keys create --organization Acme --name ci`.
package enum OrganizationKeys<Opener: CommandDatabase>: APIKeyCommandEnvironment {
    package static func withManager(_ body: (APIKeyManager<OrganizationAPIKey>) async throws -> Void) async throws {
        try await withExampleManager(body, opener: Opener.self)
    }

    /// `API_KEY_HEADER`, as the service reads it: `--server` sends the management key there.
    package static var keyHeader: KeyHeader { get throws { try exampleKeyHeader() } }

    package static func prepareNewKey(_ key: OrganizationAPIKey, options: OrganizationOption, on database: any Database) async throws {
        guard let organization = try await Organization.query(on: database).filter(\.$name == options.organization).first() else {
            throw APIKeyCommandError("no organization is named \(options.organization); the names are case-sensitive")
        }
        key.$organization.id = try organization.requireID()
    }

    package static func keys(_ query: QueryBuilder<OrganizationAPIKey>, options: OrganizationOption) -> QueryBuilder<OrganizationAPIKey> {
        query.join(parent: \.$organization).filter(Organization.self, \.$name == options.organization)
    }
}

/// Runs `body` with a manager on the example's database, and says what went wrong in words.
private func withExampleManager<Key: APIKeyModel, Opener: CommandDatabase>(
    _ body: (APIKeyManager<Key>) async throws -> Void, opener: Opener.Type
) async throws {
    let location = try ExampleDatabaseURL.location()
    CommandOutput.terminal.standardError(location.summary)
    do {
        try await Opener.withDatabase(logger: KeyCommands<Opener>.logger) { database in
            try await body(APIKeyManager(Key.self, on: database, settings: try exampleKeySettings()))
        }
    } catch let error where error is APIKeyCommandError || error is APIKeyManagerError || error is ConfigurationError {
        throw error
    } catch {
        // Anything else came from the database or its driver, whose messages are for logs.
        throw ConfigurationError.databaseUnavailable(location)
    }
}
