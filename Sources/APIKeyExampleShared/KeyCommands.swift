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
        let location = try ExampleDatabaseURL.location()
        CommandOutput.terminal.standardError(location.summary)
        do {
            try await Opener.withDatabase(logger: KeyCommands<Opener>.logger) { database in
                try await body(APIKeyManager(Key.self, on: database))
            }
        } catch let error where error is APIKeyCommandError || error is APIKeyManagerError || error is ConfigurationError {
            throw error
        } catch {
            // Anything else came from the database or its driver, whose messages are for logs.
            throw ConfigurationError.databaseUnavailable(location)
        }
    }
}
