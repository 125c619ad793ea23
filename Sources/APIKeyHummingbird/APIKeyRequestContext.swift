public import APIKeyCore
public import APIKeyFluent
public import Hummingbird
public import HummingbirdAuth
public import NIOCore

/// What the key check found for one request, kept in its context so that a later middleware can
/// refuse exactly as the check decided: 401 with the challenge, 403, or 503 when the key store
/// did not answer.
public struct APIKeyRequestState: Sendable {
    /// What was presented and what came of it.
    var credentials = PresentedCredentials()
    /// The `WWW-Authenticate` challenge of the app's key source.
    var challenge = Self.defaultChallenge
    /// The key model whose key was verified and made into the context's identity, and any
    /// others: apart, so that the usual single one costs no array.
    private var acceptedModel: ObjectIdentifier?
    private var otherAcceptedModels: [ObjectIdentifier] = []
    /// The scopes of the accepted keys, in the same order: kept whatever identity the context
    /// made of the key, so that a route's scope requirement can always be checked.
    private var acceptedScopes = APIKeyScopes.none
    private var otherAcceptedScopes: [APIKeyScopes] = []
    /// The identities of keys verified beside the context's own identity (a second key model on
    /// a context whose identity is the first's): boxed, and only for such routes.
    private var keptIdentities: [(model: ObjectIdentifier, identity: any Sendable)] = []

    /// Made once: every request's context starts with it.
    private static let defaultChallenge = KeyHeader.authorization().challenge

    /// Nothing checked yet.
    public init() {}

    /// Whether a key of `model` was verified and became the request's identity (an identity
    /// closure that returned `nil` refused it).
    ///
    /// ```swift
    /// guard context.apiKeys.hasAcceptedKey(of: PartnerKey.self) else { throw context.apiKeys.refusal }
    /// ```
    public func hasAcceptedKey<Model>(of model: Model.Type) -> Bool {
        let id = ObjectIdentifier(model)
        return acceptedModel == id || otherAcceptedModels.contains(id)
    }

    /// The refusal a request that needs a key gets now: 401 with the challenge, 403, or 503.
    public var refusal: APIKeyRefusal { credentials.refusal(challenge: challenge) }

    /// Notes that a key of `model`, holding `scopes`, became the request's identity.
    mutating func accept<Model>(_ model: Model.Type, scopes: APIKeyScopes) {
        credentials.accepted = true
        if acceptedModel == nil {
            acceptedModel = ObjectIdentifier(model)
            acceptedScopes = scopes
        } else {
            otherAcceptedModels.append(ObjectIdentifier(model))
            otherAcceptedScopes.append(scopes)
        }
    }

    /// Notes that a key of `Model` was verified, and keeps its identity beside the context's own.
    mutating func accept<Model: APIKeyModel>(keeping identity: APIKeyIdentity<Model>) {
        accept(Model.self, scopes: identity.scopes)
        keptIdentities.append((ObjectIdentifier(Model.self), identity))
    }

    /// The scopes of the accepted key of `model`, or `nil` if none was accepted.
    func scopes<Model>(of model: Model.Type) -> APIKeyScopes? {
        let id = ObjectIdentifier(model)
        if acceptedModel == id { return acceptedScopes }
        return otherAcceptedModels.firstIndex(of: id).map { otherAcceptedScopes[$0] }
    }

    /// The identity of a verified `Model` key kept beside the context's own identity.
    func keptIdentity<Model: APIKeyModel>(of model: Model.Type) -> APIKeyIdentity<Model>? {
        let id = ObjectIdentifier(model)
        return keptIdentities.first { $0.model == id }?.identity as? APIKeyIdentity<Model>
    }
}

extension APIKeyAuthRequestContext {
    /// The verified key of `model` on this request, or `nil`: the context's identity when it is
    /// one, or a key that ``APIKeyAuthenticator/init(_:model:)`` kept beside it. The same words
    /// as Vapor's `req.apiKey(_:)`.
    ///
    /// ```swift
    /// api.group("organization")
    ///     .add(middleware: APIKeyAuthenticator(apiKeys, model: OrganizationAPIKey.self))
    ///     .add(middleware: HasAPIKey(OrganizationAPIKey.self))
    ///     .get { _, context in try context.requireAPIKey(OrganizationAPIKey.self).organizationName }
    /// ```
    public func apiKey<Model: APIKeyModel>(_ model: Model.Type) -> APIKeyIdentity<Model>? {
        if let identity = identity as? APIKeyIdentity<Model> { return identity }
        return apiKeys.keptIdentity(of: model)
    }

    /// The verified key of `model` on this request; without one, the refusal the request gets
    /// now (401 with the challenge, or 503 when the key store did not answer).
    ///
    /// ```swift
    /// let key = try context.requireAPIKey(OrganizationAPIKey.self)
    /// ```
    public func requireAPIKey<Model: APIKeyModel>(_ model: Model.Type) throws(APIKeyRefusal) -> APIKeyIdentity<Model> {
        guard let key = apiKey(model) else { throw apiKeys.refusal }
        return key
    }
}

/// A request context that can carry an API key: hummingbird-auth's identity, plus what the key
/// check found. Add `apiKeys` to your own context:
///
/// ```swift
/// struct AppRequestContext: APIKeyAuthRequestContext {
///     var coreContext: CoreRequestContextStorage
///     var identity: APIKey.Identity?
///     var apiKeys = APIKeyRequestState()
///     init(source: Source) { self.coreContext = .init(source: source) }
/// }
/// ```
public protocol APIKeyAuthRequestContext: AuthRequestContext {
    /// What the key check found.
    var apiKeys: APIKeyRequestState { get set }
    /// The connection's peer, for keys' IP allowlists: a context that adopts Hummingbird's
    /// `RemoteAddressRequestContext` gives its `remoteAddress`; any other gives `nil`, and then
    /// a key with an allowlist is refused (its client is unknown).
    var peerAddress: SocketAddress? { get }
}

extension APIKeyAuthRequestContext {
    /// Unknown.
    public var peerAddress: SocketAddress? { nil }
}

extension APIKeyAuthRequestContext where Self: RemoteAddressRequestContext {
    /// The context's `remoteAddress`.
    public var peerAddress: SocketAddress? { remoteAddress }
}

/// A ready-made context whose identity is `Identity` (an API key's, or your own type that can
/// hold one), and which knows the client's address.
///
/// ```swift
/// let router = Router(context: BasicAPIKeyRequestContext<APIKey.Identity>.self)
/// ```
public struct BasicAPIKeyRequestContext<Identity: Sendable>: APIKeyAuthRequestContext, RemoteAddressRequestContext, RequestContext {
    /// Hummingbird's core context.
    public var coreContext: CoreRequestContextStorage
    /// Who the request is, once authenticated.
    public var identity: Identity?
    /// What the key check found.
    public var apiKeys = APIKeyRequestState()
    /// The client's address, as the connection gives it.
    public let remoteAddress: SocketAddress?

    /// A context for a request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
