import APIKeyCore
import APIKeyFluent
import Vapor

/// What permissions and authenticators learned about one request: the outcome per key model (so
/// that a key is verified once), what the credentials came to (to choose 401, 403 or 503), and the
/// permissions that let it in (for object checks).
///
/// It is one storage entry, set once and then changed in place, because every write to
/// `request.storage` copies the whole storage: three writes per request were measurable.
final class RequestState: Sendable {
    private struct Value {
        var credentials = PresentedCredentials()
        var granted: [any RoutePermission] = []
        var outcomes: [ObjectIdentifier: any Sendable] = [:]
    }

    private enum Key: StorageKey {
        typealias Value = RequestState
    }

    private let value = Locked(Value())

    /// The state of `request`, made on first use.
    static func of(_ request: Request) -> RequestState {
        if let state = request.storage[Key.self] { return state }
        let state = RequestState()
        request.storage[Key.self] = state
        return state
    }

    /// The state of `request` if a permission has run, without making one.
    static func existing(_ request: Request) -> RequestState? { request.storage[Key.self] }

    var credentials: PresentedCredentials { value.withLock { $0.credentials } }
    var granted: [any RoutePermission] { value.withLock { $0.granted } }

    func updateCredentials(_ update: (inout PresentedCredentials) -> Void) { value.withLock { update(&$0.credentials) } }
    func grant(_ permission: any RoutePermission) { value.withLock { $0.granted.append(permission) } }

    func outcome<Model: APIKeyModel>(_ model: Model.Type) -> APIKeyOutcome<APIKeyIdentity<Model>>? {
        value.withLock { $0.outcomes[ObjectIdentifier(model)] } as? APIKeyOutcome<APIKeyIdentity<Model>>
    }

    /// Keeps `outcome` and notes what it says about the request's credentials.
    func remember<Model: APIKeyModel>(_ outcome: APIKeyOutcome<APIKeyIdentity<Model>>) {
        value.withLock { value in
            value.outcomes[ObjectIdentifier(Model.self)] = outcome
            value.credentials.record(outcome)
        }
    }
}
