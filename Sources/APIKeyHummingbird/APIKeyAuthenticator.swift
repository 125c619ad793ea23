public import APIKeyCore
public import APIKeyFluent
public import FluentKit
public import Hummingbird
public import HummingbirdAuth
import HTTPTypes
public import Logging

/// Reads a request's API key, verifies it with the model's ``APIKeyFluent/APIKeyService``, and on
/// success puts its identity on the context. It never refuses a request and never throws:
/// what it found stays in ``APIKeyAuthRequestContext/apiKeys`` for ``HasAPIKeyMiddleware`` (or
/// ``APIKeyAuthorizationMiddleware``) to decide on. Cache hits, missing and malformed keys are
/// answered without a database round trip.
///
/// ```swift
/// let keys = services.service(for: APIKey.self)
/// router.add(middleware: APIKeyAuthenticator(keys, database: { fluent.db(logger: $0) }))
/// router.group("api").add(middleware: HasAPIKeyMiddleware()).get("reports") { _, context in
///     "Hello, \(try context.requireIdentity().name)"
/// }
/// ```
public struct APIKeyAuthenticator<Context: APIKeyAuthRequestContext, Model: APIKeyModel>: AuthenticatorMiddleware {
    public typealias Identity = Context.Identity

    let service: APIKeyService<Model>
    let header: KeyHeader
    let fieldName: HTTPField.Name?
    let database: @Sendable (Logger) -> any Database
    let identity: @Sendable (APIKeyIdentity<Model>, Context.Identity?) -> Context.Identity?

    /// An authenticator whose context identity is the key's own.
    ///
    /// - Parameters:
    ///   - service: The key model's service (its scheme, cache, clock and logging).
    ///   - header: Where the key is read from; `Authorization: Api-Key <key>` by default.
    ///   - database: The database that holds the keys, for this request's logger.
    public init(
        _ service: APIKeyService<Model>, header: KeyHeader = .authorization(),
        database: @escaping @Sendable (Logger) -> any Database
    ) where Context.Identity == APIKeyIdentity<Model> {
        self.init(service, header: header, database: database) { key, _ in key }
    }

    /// An authenticator for a context whose identity is your own type, e.g. "a key or a user":
    /// `identity` makes it from the key and whatever an earlier authenticator found (`nil` leaves
    /// the context as it was).
    ///
    /// ```swift
    /// APIKeyAuthenticator(keys, database: { fluent.db(logger: $0) }) { key, _ in Caller.key(key) }
    /// ```
    public init(
        _ service: APIKeyService<Model>, header: KeyHeader = .authorization(),
        database: @escaping @Sendable (Logger) -> any Database,
        identity: @escaping @Sendable (APIKeyIdentity<Model>, Context.Identity?) -> Context.Identity?
    ) {
        self.service = service
        self.header = header
        self.fieldName = HTTPField.Name(header.name)
        self.database = database
        self.identity = identity
    }

    /// The key's identity, or `nil`: for hummingbird-auth's protocol. ``handle(_:context:next:)``
    /// is what runs as middleware.
    public func authenticate(request: Request, context: Context) async throws -> Context.Identity? {
        guard case .authenticated(let key) = await outcome(request, context) else { return nil }
        return identity(key, context.identity)
    }

    /// Verifies the key, notes what it found in the context, and passes the request on. A valid
    /// key that the identity closure turns down (it returns `nil`) counts as a refused key.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.apiKeys.challenge = header.challenge
        switch await outcome(request, context) {
        case .authenticated(let key):
            if let identity = identity(key, context.identity) {
                context.identity = identity
                context.apiKeys.accept(Model.self)
            } else {
                context.apiKeys.credentials.refusedKey = true
            }
        case let other:
            other.record(in: &context.apiKeys.credentials)
        }
        return try await next(request, context)
    }

    private func outcome(_ request: Request, _ context: Context) async -> APIKeyAuthentication<Model> {
        // A header name HTTP cannot carry was refused when the header was made; none is read.
        let extraction = fieldName.map { header.extract(from: request.headers[values: $0]) } ?? .missing
        // `authenticate` answers cache hits, missing and malformed keys itself, without the
        // database (which the autoclosure does not even make).
        return await service.authenticate(extraction, on: database(context.logger), logger: context.logger)
    }
}
