package import FluentKit

/// A request whose key may manage keys: who it is, and the keys it manages. ``ManagementGate``
/// binds it for the operation; the handler reads it.
package struct ManagementSession: Sendable {
    package let caller: APIKeyManagementCaller
    package let keys: any KeySpace
    /// Where the keys are, and the writes done with an Idempotency-Key.
    package let database: any Database
    /// What every answer to the caller carries, as on the app's other routes: `RateLimit` and
    /// `RateLimit-Policy` when the app sends them on every response, `Deprecation` and `Sunset`
    /// for a key in its grace period.
    package var responseFields: [(name: String, value: String)] = []
    /// The request's `Idempotency-Key`, as sent (the generated code would hand it over decoded as
    /// a URI component).
    package var idempotencyKey: String?

    /// The session of the operation being handled.
    @TaskLocal package static var current: ManagementSession?
}
