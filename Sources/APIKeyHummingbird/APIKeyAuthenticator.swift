import APIKeyCore
public import APIKeyFluent
import FluentKit
import HTTPTypes
public import Hummingbird
public import HummingbirdAuth
import Logging
import NIOCore

/// Reads a request's API key, verifies it, and on success puts its identity on the context. It
/// never refuses a request and never throws: what it found stays in
/// ``APIKeyAuthRequestContext/apiKeys`` for ``HasAPIKey`` (or ``APIKeyAuthorizationMiddleware``)
/// to decide on. Cache hits, missing and malformed keys are answered without a database round
/// trip.
///
/// ```swift
/// let apiKeys = APIKeys(fluent: fluent)
/// router.add(middleware: APIKeyAuthenticator(apiKeys))
/// router.group("api").add(middleware: HasAPIKey()).get("reports") { _, context in
///     "Hello, \(try context.requireIdentity().name)"
/// }
/// ```
public struct APIKeyAuthenticator<Context: APIKeyAuthRequestContext, Model: APIKeyModel>: AuthenticatorMiddleware {
    public typealias Identity = Context.Identity

    let apiKeys: APIKeys
    let service: APIKeyService<Model>
    /// Makes the context's identity from the key; `nil` keeps the key beside the context's identity.
    let identity: (@Sendable (APIKeyIdentity<Model>, Context.Identity?) -> Context.Identity?)?

    /// An authenticator for the key model whose identity is the context's.
    public init(_ apiKeys: APIKeys, context: Context.Type = Context.self) where Context.Identity == APIKeyIdentity<Model> {
        self.init(apiKeys, model: Model.self) { key, _ in key }
    }

    /// An authenticator of `model` keys for a context whose identity is your own type, e.g. "a key
    /// or a user", or one of several key models: `identity` makes it from the key and whatever an
    /// earlier authenticator found. Returning `nil` turns the key down: the request is then refused
    /// as for a key that is not valid.
    ///
    /// ```swift
    /// APIKeyAuthenticator(apiKeys, model: PartnerKey.self) { key, earlier in Caller(partner: key, user: earlier?.user) }
    /// ```
    public init(
        _ apiKeys: APIKeys, model: Model.Type,
        identity: @escaping @Sendable (APIKeyIdentity<Model>, Context.Identity?) -> Context.Identity?
    ) {
        self.apiKeys = apiKeys
        self.service = apiKeys.services.service(for: model)
        self.identity = identity
    }

    /// An authenticator of a second key model, beside the one whose identity is the context's:
    /// the key's identity is kept apart, for ``APIKeyAuthRequestContext/apiKey(_:)``, and the
    /// context's identity is left as it is. A second model is then one more group, as on Vapor:
    ///
    /// ```swift
    /// api.group("organization")
    ///     .add(middleware: APIKeyAuthenticator(apiKeys, model: OrganizationAPIKey.self))
    ///     .add(middleware: HasAPIKey(OrganizationAPIKey.self))
    ///     .get { _, context in try context.requireAPIKey(OrganizationAPIKey.self).name }
    /// ```
    public init(_ apiKeys: APIKeys, model: Model.Type) {
        self.apiKeys = apiKeys
        self.service = apiKeys.services.service(for: model)
        self.identity = nil
    }

    /// The key's identity, or `nil`: for hummingbird-auth's protocol. ``handle(_:context:next:)``
    /// is what runs as middleware.
    public func authenticate(request: Request, context: Context) async throws -> Context.Identity? {
        guard let key = await outcome(request, context).identity, let identity else { return nil }
        return identity(key, context.identity)
    }

    /// Verifies the key, notes what it found in the context, and passes the request on. A valid
    /// key that the identity closure turns down counts as a refused key.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.apiKeys.challenge = apiKeys.keySource.challenge
        let outcome = await outcome(request, context)
        if let key = outcome.identity {
            APIKeyLog.tag(&context.logger, with: key)
            if let identity {
                if let identity = identity(key, context.identity) {
                    context.identity = identity
                    context.apiKeys.accept(Model.self, scopes: key.scopes)
                } else {
                    context.apiKeys.credentials.refusedKey = true
                }
            } else {
                context.apiKeys.accept(keeping: key)
            }
        } else {
            context.apiKeys.credentials.record(outcome)
        }
        var fields: [(name: String, value: String)] = []
        if outcome.isGranted, let status = outcome.rateLimit, apiKeys.settings.rateLimitFieldsOnEveryResponse {
            // Under the key's limit: the response says where the key stands, so a client can pace itself.
            fields += status.headerFields
        }
        if let deprecation = outcome.identity?.deprecation {
            // A rotated key in its grace period: its client learns when it stops working.
            fields += deprecation.headerFields
        }
        guard !fields.isEmpty else { return try await next(request, context) }
        var response = try await next(request, context)
        for field in fields {
            guard let name = HTTPField.Name(field.name), response.headers[name] == nil else { continue }
            response.headers.append(HTTPField(name: name, value: field.value))
        }
        return response
    }

    private func outcome(_ request: Request, _ context: Context) async -> APIKeyOutcome<APIKeyIdentity<Model>> {
        let client = service.clientAddress(peer: context.peerAddress.flatMap(IPAddress.init(socketAddress:))) {
            request.headers[values: $0 == .forwarded ? .forwarded : .xForwardedFor]
        }
        // `authenticate` answers cache hits, missing and malformed keys itself, without the
        // database (which the autoclosure does not even make).
        return await service.authenticate(
            apiKeys.keySource.key(in: request), facts: service.facts(clientAddress: client), on: apiKeys.database(context.logger),
            logger: context.logger)
    }
}

extension HTTPField.Name {
    /// `Forwarded` (RFC 7239).
    static let forwarded = HTTPField.Name("Forwarded")!
    /// `X-Forwarded-For`.
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
