import APIKeyFluent
import Synchronization
import Vapor

/// What permissions learned about one request: the verification outcome per key model, the
/// credentials seen (to choose 401 or 403), and the permissions that let it in (for object
/// checks).
///
/// It is one storage entry, set once and then changed in place, because every write to
/// `request.storage` copies the whole storage: three writes per request were measurable.
final class RequestState: Sendable {
    struct Credentials {
        /// A valid key or an authenticated user was seen.
        var accepted = false
        /// A key was presented and refused.
        var refusedKey = false
    }

    private struct Value {
        var credentials = Credentials()
        var granted: [any Permission] = []
        var outcomes: [ObjectIdentifier: any Sendable] = [:]
    }

    private enum Key: StorageKey {
        typealias Value = RequestState
    }

    private let value = Mutex(Value())

    /// The state of `request`, made on first use.
    static func of(_ request: Request) -> RequestState {
        if let state = request.storage[Key.self] { return state }
        let state = RequestState()
        request.storage[Key.self] = state
        return state
    }

    /// The state of `request` if a permission has run, without making one.
    static func existing(_ request: Request) -> RequestState? { request.storage[Key.self] }

    var credentials: Credentials { value.withLock { $0.credentials } }
    var granted: [any Permission] { value.withLock { $0.granted } }

    func updateCredentials(_ update: (inout Credentials) -> Void) { value.withLock { update(&$0.credentials) } }
    func grant(_ permission: any Permission) { value.withLock { $0.granted.append(permission) } }

    func outcome<Model: APIKeyModel>(_ model: Model.Type) -> APIKeyVerification<Model>? {
        value.withLock { $0.outcomes[ObjectIdentifier(model)] } as? APIKeyVerification<Model>
    }

    func remember<Model: APIKeyModel>(_ outcome: APIKeyVerification<Model>) {
        value.withLock { $0.outcomes[ObjectIdentifier(Model.self)] = outcome }
    }
}
