import APIKeyFluent
public import ServiceLifecycle
import Logging

/// The app's API keys run as a service of the application: while it runs, they write what keys
/// did (each key's last use and its daily counts, every interval of `settings.usage`), and once
/// more when it shuts down gracefully. Add it after Fluent, so that Fluent closes after it.
///
/// ```swift
/// var app = Application(router: router, services: [fluent, apiKeys, apiKeys.watchChanges(watcher)])
/// ```
extension APIKeys: Service {
    /// Writes usage until the application shuts down gracefully, then writes what is left.
    public func run() async throws {
        let flushing = usageFlushing
        await cancelWhenGracefulShutdown {
            await flushing.run()
        }
        // Loops over `events` end with the app.
        services.events.finish()
    }

    /// Writes the usage gathered so far now, rather than at the next interval: before reading it
    /// in a test, or at the end of a job that does not run long.
    ///
    /// ```swift
    /// await apiKeys.writeUsage()
    /// let usage = try await apiKeys.manager().usage(of: prefix)
    /// ```
    public func writeUsage() async {
        services.startRecordingUsage()
        await usageFlushing.flush()
    }

    private var usageFlushing: UsageFlushing {
        let (services, database) = (self.services, self.database)
        let logger = Logger(label: "api-keys")
        return UsageFlushing(services: { services }, database: { database(logger) }, logger: logger)
    }
}
