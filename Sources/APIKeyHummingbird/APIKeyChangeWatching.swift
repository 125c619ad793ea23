public import APIKeyFluent
public import ServiceLifecycle

/// Runs an ``APIKeyFluent/APIKeyChangeWatcher`` for as long as the application runs, as a
/// swift-service-lifecycle service, so that changes other processes make to keys (another
/// instance, the `api-keys` command, Django) reach this app's caches at once.
///
/// ```swift
/// let watching = APIKeyChangeWatching(try PostgresKeyChangeListener(url: databaseURL, logger: logger), services: services)
/// var app = Application(router: router, services: [fluent, watching])
/// ```
public struct APIKeyChangeWatching: Service {
    let watcher: any APIKeyChangeWatcher
    let services: APIKeyServices

    /// A service that runs `watcher` and makes `services` forget what it reports.
    public init(_ watcher: any APIKeyChangeWatcher, services: APIKeyServices) {
        self.watcher = watcher
        self.services = services
    }

    /// Watches until the application shuts down.
    public func run() async throws {
        let (watcher, services) = (self.watcher, self.services)
        await cancelWhenGracefulShutdown {
            await watcher.watch { change in services.forget(change) }
        }
    }
}
