public import APIKeyFluent
import APIKeyCore
public import Vapor

extension Application.APIKeys {
    /// Runs `watcher` while the application runs, so that changes other processes make to keys
    /// (another instance, the `api-keys` command, Django) reach this app's caches at once rather
    /// than when their entries expire.
    ///
    /// ```swift
    /// app.migrations.add(NotifyAPIKeyChanges(table: APIKey.schema))
    /// app.apiKeys.watchChanges(try PostgresKeyChangeWatcher(url: databaseURL, logger: app.logger))
    /// // or, on one SQLite file: SQLiteKeyChangeWatcher(path: path, logger: app.logger)
    /// ```
    public func watchChanges(_ watcher: some APIKeyChangeWatcher) {
        application.lifecycle.use(ChangeWatching(watcher: watcher))
    }
}

/// Starts a watcher when the application has booted and stops it when it shuts down.
private final class ChangeWatching<Watcher: APIKeyChangeWatcher>: LifecycleHandler {
    let watcher: Watcher
    let task = Locked<Task<Void, Never>?>(nil)

    init(watcher: Watcher) {
        self.watcher = watcher
    }

    func didBootAsync(_ application: Application) async throws {
        let watcher = self.watcher
        task.withLock { task in
            // The services are read at each change: changing the settings replaces them.
            task = Task { await watcher.watch { change in application.apiKeys.forget(change) } }
        }
    }

    func shutdownAsync(_ application: Application) async {
        guard let task = task.withLock({ $0 }) else { return }
        task.cancel()
        await task.value
    }
}
