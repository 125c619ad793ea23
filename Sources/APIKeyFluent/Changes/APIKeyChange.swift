/// A change to stored keys that another process made, as an ``APIKeyChangeWatcher`` reports it.
///
/// ```swift
/// services.forget(.key(prefix: "C7oAzBnJ"))   // that key was revoked, edited or deleted
/// services.forget(.anything)                  // changes may have been missed: forget everything
/// ```
public enum APIKeyChange: Sendable, Hashable {
    /// The key with this prefix was created, changed or deleted.
    case key(prefix: String)
    /// Anything may have changed: the database does not say what, or notifications were lost
    /// (a reconnection).
    case anything

    /// The PostgreSQL channel that `Database.createChangeNotifications(onTable:prefixColumn:)`
    /// notifies, with the key's prefix as payload.
    public static let channel = "api_key_changes"
}

/// Watches a database for key changes that other processes make (another instance, the
/// command line, Django) and reports them, so that every instance's verification cache forgets a
/// revoked key at once instead of when its entry expires.
///
/// `APIKeyPostgres` listens for notifications; `APIKeySQLite` watches the file's change counter.
/// Framework glue runs the watcher for the app's life (Vapor: `app.apiKeys.watchChanges(_:)`),
/// or run it yourself:
///
/// ```swift
/// let watching = Task { await watcher.watch { change in services.forget(change) } }
/// // …
/// watching.cancel()
/// ```
///
/// A watcher that loses its connection reports ``APIKeyChange/anything`` when it is back, and the
/// cache's time to live bounds how stale an entry can be meanwhile.
public protocol APIKeyChangeWatcher: Sendable {
    /// Watches until the task is cancelled, calling `report` for each change; never throws (it
    /// reconnects and logs instead).
    func watch(_ report: @escaping @Sendable (APIKeyChange) -> Void) async
}
