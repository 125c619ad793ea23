package import FluentKit

/// A request whose key may manage keys: who it is, and the keys it manages. ``ManagementGate``
/// binds it for the operation; the handler reads it.
package struct ManagementSession: Sendable {
    package let caller: APIKeyManagementCaller
    package let keys: any KeySpace
    /// Where the keys are, and the writes done with an Idempotency-Key.
    package let database: any Database

    /// The session of the operation being handled.
    @TaskLocal package static var current: ManagementSession?
}
