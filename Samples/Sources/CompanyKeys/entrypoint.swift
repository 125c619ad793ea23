import APIKeyCommands
import Logging
import Vapor

@main
enum Entrypoint {
    static func main() async throws {
        var env = try Environment.detect()
        try LoggingSystem.bootstrap(from: &env)

        // `app api-keys create --company Acme --name ci`
        if CommandLine.arguments.dropFirst().first == "api-keys" {
            await APIKeysCommand<CompanyKeys>.main(Array(CommandLine.arguments.dropFirst(2)))
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
