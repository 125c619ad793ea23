public import FluentKit

/// Every migration of the built-in `api_keys` table, in order: add them once, and a new version
/// of the library that adds a column brings its migration along.
///
/// ```swift
/// app.migrations.add(APIKeyMigrations.all)
/// try await app.autoMigrate()
/// ```
public enum APIKeyMigrations {
    /// ``CreateAPIKeys``, ``AddAPIKeyAccessFields``, ``CreateAPIKeyUsage``,
    /// ``AddAPIKeyRateLimit``, ``CreateAPIKeyRateBudgets``, ``AddAPIKeyRotation``,
    /// ``CreateAPIKeyEvents``, then ``AddAPIKeyRevocationTime``.
    public static var all: [any Migration] {
        [CreateAPIKeys(), AddAPIKeyAccessFields(), CreateAPIKeyUsage(), AddAPIKeyRateLimit(), CreateAPIKeyRateBudgets(), AddAPIKeyRotation(), CreateAPIKeyEvents(), AddAPIKeyRevocationTime()]
    }
}
