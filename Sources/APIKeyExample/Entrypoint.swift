import APIKeyExampleShared
import APIKeyCommands
import ArgumentParser
import Fluent
import FluentKit
import Foundation
import Logging
import Vapor

/// The example service: `swift run api-key-example` serves it on 127.0.0.1:8080 from an
/// embedded SQLite file; `swift run api-key-example api-keys --help` manages its keys.
@main
enum Entrypoint {
    static func main() async {
        var arguments = CommandLine.arguments
        // The key commands are the framework-neutral ones (swift-argument-parser), as on
        // Hummingbird: readable errors, usage lines, and `--help` for each subcommand.
        if arguments.dropFirst().first == "api-keys" {
            await KeyCommands<VaporCommandDatabase>.main(Array(arguments.dropFirst(2)))
            return
        }
        // `api-key-example --port 8082` serves, as `api-key-example` alone does.
        if arguments.count > 1, arguments[1].hasPrefix("-"), !["-h", "--help"].contains(arguments[1]) {
            arguments.insert("serve", at: 1)
        }
        do {
            var environment = try Environment.detect(arguments: arguments)
            // Logs go to standard error, so that standard output carries only what commands
            // print, and scripts can capture it.
            try LoggingSystem.bootstrap(from: &environment) { level in
                { label in
                    var handler = StreamLogHandler.standardError(label: label)
                    handler.logLevel = level
                    return handler
                }
            }
            try await run(environment)
        } catch {
            // Vapor has already logged its own errors; the example's settings say what was wrong.
            if let error = error as? ConfigurationError { CommandOutput.terminal.standardError("Error: \(error)") }
            exit(1)
        }
    }

    private static func run(_ environment: Environment) async throws {
        let app = try await Application.make(environment)
        do {
            try await configure(app)
            try await app.execute()
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}

/// The key commands' database: the example's application, configured as for serving (the same
/// migrations), without serving.
enum VaporCommandDatabase: CommandDatabase {
    static func withDatabase(logger: Logger, _ body: (any Database) async throws -> Void) async throws {
        let app = try await Application.make(Environment(name: "development", arguments: ["api-key-example", "api-keys"]))
        app.logger = logger
        do {
            try await configure(app)
            try await body(app.db)
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
