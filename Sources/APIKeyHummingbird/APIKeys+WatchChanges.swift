public import APIKeyFluent
public import ServiceLifecycle

extension APIKeys {
    /// A service that runs `watcher` for as long as the application runs, so that changes other
    /// processes make to keys (another instance, the `api-keys` command, Django) reach this app's
    /// caches at once rather than when their entries expire. Vapor's `app.apiKeys.watchChanges`.
    ///
    /// ```swift
    /// let watcher = try PostgresKeyChangeWatcher(url: databaseURL, logger: logger)
    /// var app = Application(router: router, services: [fluent, apiKeys.watchChanges(watcher)])
    /// ```
    public func watchChanges(_ watcher: some APIKeyChangeWatcher) -> some Service {
        ChangeWatching(watcher: watcher, apiKeys: self)
    }
}

/// Runs a watcher until the application shuts down gracefully.
private struct ChangeWatching<Watcher: APIKeyChangeWatcher>: Service {
    let watcher: Watcher
    let apiKeys: APIKeys

    func run() async throws {
        let (watcher, apiKeys) = (self.watcher, self.apiKeys)
        await cancelWhenGracefulShutdown {
            await watcher.watch { change in apiKeys.forget(change) }
        }
    }
}
