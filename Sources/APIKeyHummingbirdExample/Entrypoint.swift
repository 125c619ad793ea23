import APIKeyExampleShared
import APIKeyCommands
import APIKeyDjango
import APIKeyFluent
import APIKeyHummingbird
import ArgumentParser
import Foundation
import Hummingbird
import Logging

/// The Hummingbird example service: `swift run api-key-example-hummingbird` serves it on
/// 127.0.0.1:8080 from an embedded SQLite file, with the admin panel behind a sign-in at
/// `/login`; `api-keys --help` manages its keys.
@main
struct HummingbirdExample: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api-key-example-hummingbird", abstract: "The API key example service, on Hummingbird.",
        subcommands: [Serve.self, KeyCommands<ExampleDatabase>.self], defaultSubcommand: Serve.self)

    /// Logs go to standard error, so that standard output carries only what commands print.
    static let logger: Logger = {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            return handler
        }
        return Logger(label: "api-key-example-hummingbird")
    }()
}

/// `serve [--hostname H] [--port P]`.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the example's routes.")
    @Option(help: "The address to listen on.") var hostname = "127.0.0.1"
    @Option(help: "The port to listen on.") var port = 8080

    func run() async throws {
        switch try KeySchema.current() {
        case .standard: try await serve(APIKey.self)
        case .drf: try await serve(DjangoAPIKey.self)
        }
    }

    private func serve<Key: APIKeyModel>(_ key: Key.Type) async throws {
        let logger = HummingbirdExample.logger
        let database = try ExampleDatabaseURL.location()
        let keySource = APIKeySource.header(try exampleKeyHeader())
        // Every setting is read before the database opens: a pool must be shut down, not dropped.
        let settings = try exampleKeySettings()
        let leakReporting = try exampleLeakReporting()
        CommandOutput.terminal.standardError(database.summary)
        let fluent = try await ExampleDatabase.open(logger: logger)
        try await AdminSignIn<Key>(fluent: fluent).ensureCredential()
        let apiKeys = APIKeys(fluent: fluent, keySource: keySource, settings: settings)
        let app = Application(
            router: try buildRouter(Key.self, apiKeys: apiKeys, fluent: fluent, leakReporting: leakReporting),
            configuration: .init(address: .hostname(hostname, port: port), serverName: nil),
            // Revocations by other instances and by `api-keys` reach this one's cache at once.
            services: [fluent, apiKeys, apiKeys.watchChanges(try database.changeWatcher(logger: logger))], logger: logger)
        try await app.runService()
    }
}
