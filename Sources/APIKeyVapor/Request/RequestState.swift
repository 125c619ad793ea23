import APIKeyCore
import APIKeyFluent
import Synchronization
import Vapor

/// What permissions and authenticators learned about one request: the outcome per key model (so
/// that a key is verified once), what the credentials came to (to choose 401, 403 or 503), and the
/// permissions that let it in (for object checks).
///
/// It is one storage entry, set once and then changed in place, because every write to
/// `request.storage` copies the whole storage: three writes per request were measurable. For the
/// same reason it keeps no identity (that is in `req.auth`) and no boxed outcome: a granted key is
/// remembered as granted, and its identity read back from `req.auth`.
final class RequestState: Sendable {
    private struct Value {
        var credentials = PresentedCredentials()
        var granted: [any RoutePermission] = []
        /// Usually one entry: one key model per request.
        var outcomes: [(model: ObjectIdentifier, outcome: APIKeyOutcome<Void>)] = []
        /// Where the granted key stands against its rate limit, for the response's fields.
        var rateLimit: APIKeyRateLimitStatus?
        /// When the granted key was rotated and stops working, for `Deprecation` and `Sunset`.
        var deprecation: APIKeyDeprecation?
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

    var credentials: PresentedCredentials { value.withLock { $0.credentials } }
    var granted: [any RoutePermission] { value.withLock { $0.granted } }

    func updateCredentials(_ update: (inout PresentedCredentials) -> Void) { value.withLock { update(&$0.credentials) } }
    func grant(_ permission: any RoutePermission) { value.withLock { $0.granted.append(permission) } }

    /// The outcome remembered for `model`: a granted key's identity comes from `request.auth`
    /// (`nil`, to check again, if the app logged it out since).
    func outcome<Model: APIKeyModel>(_ model: Model.Type, in request: Request) -> APIKeyOutcome<APIKeyIdentity<Model>>? {
        let id = ObjectIdentifier(model)
        guard let remembered = value.withLock({ $0.outcomes.first { $0.model == id }?.outcome }) else { return nil }
        guard remembered.identity != nil else {
            return remembered.map { _ in nil }  // refused or unavailable, as it was
        }
        return request.auth.get(APIKeyIdentity<Model>.self).map { .granted($0) }
    }

    /// Keeps `outcome` and notes what it says about the request's credentials.
    func remember<Model: APIKeyModel>(_ outcome: APIKeyOutcome<APIKeyIdentity<Model>>, of model: Model.Type) {
        let id = ObjectIdentifier(model)
        let remembered = outcome.map { _ in () }
        value.withLock { value in
            value.outcomes.removeAll { $0.model == id }
            value.outcomes.append((id, remembered))
            value.credentials.record(outcome)
            if outcome.isGranted, let status = outcome.rateLimit { value.rateLimit = status }
            if let deprecation = outcome.identity?.deprecation { value.deprecation = deprecation }
        }
    }

    /// When the request's granted key was rotated, if it was.
    var deprecation: APIKeyDeprecation? { value.withLock { $0.deprecation } }

    /// Where the request's granted key stands against its rate limit, if it has one.
    var rateLimit: APIKeyRateLimitStatus? { value.withLock { $0.rateLimit } }
}
