import APIKeyCommands
import APIKeyVapor
import Logging
import Vapor

@main
enum Entrypoint {
    static func main() async throws {
        var env = try Environment.detect()
        try LoggingSystem.bootstrap(from: &env)

        // `app api-keys …`: the key commands, before Vapor reads the arguments. Only the key
        // goes to standard output; a mistake is one `Error:` line and a non-zero exit.
        if CommandLine.arguments.dropFirst().first == "api-keys" {
            await APIKeysCommand<AppKeys>.main(Array(CommandLine.arguments.dropFirst(2)))
        }

        let app = try await Application.make(env)
        do {
            try await configure(app)
            try await app.execute()
        } catch {
            app.logger.report(error: error)
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

/// The key commands' access to the app's keys: the app, configured as for serving.
enum AppKeys: APIKeyCommandEnvironment {
    static func withManager(_ body: (APIKeyManager<APIKey>) async throws -> Void) async throws {
        let app = try await Application.make(.development)
        do {
            try await configure(app)
            try await body(app.apiKeys.manager())
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
