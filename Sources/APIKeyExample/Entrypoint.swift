import Foundation
import Logging
import Vapor

/// The example service: `swift run api-key-example` serves it on 127.0.0.1:8080 from an
/// embedded SQLite file; `swift run api-key-example api-keys --help` manages its keys.
@main
enum Entrypoint {
    static func main() async throws {
        var environment = try Environment.detect()
        // Logs go to standard error, so that standard output carries only what commands print
        // (a created key, a JSON listing) and scripts can capture it.
        try LoggingSystem.bootstrap(from: &environment) { level in
            { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        let app = try await Application.make(environment)
        do {
            try await configure(app)
            try await app.execute()
            try await app.asyncShutdown()
        } catch {
            // Vapor has already logged what went wrong; a failed command exits non-zero.
            try? await app.asyncShutdown()
            exit(1)
        }
    }
}
