import APIKeyCore
public import APIKeyFluent
import Fluent
public import Vapor

extension Request {
    /// The identity of the request's verified key of the built-in model: `req.auth.get(APIKey.Identity.self)`.
    /// `nil` when the request got in another way (e.g. `HasAPIKey() | IsAuthenticated<User>()`).
    ///
    /// ```swift
    /// app.grouped(HasAPIKey()).get("whoami") { req in req.apiKey?.name ?? "" }
    /// ```
    public var apiKey: APIKeyIdentity<APIKey>? { auth.get(APIKeyIdentity<APIKey>.self) }

    /// The identity of the request's verified key of a custom model.
    ///
    /// ```swift
    /// let key = req.apiKey(as: OrganizationAPIKey.self)
    /// ```
    public func apiKey<Model: APIKeyModel>(as model: Model.Type) -> APIKeyIdentity<Model>? {
        auth.get(APIKeyIdentity<Model>.self)
    }

    /// The identity of the request's verified key, or the refusal (401) if it got in without one.
    ///
    /// ```swift
    /// app.grouped(HasAPIKey()).get("whoami") { req in try req.requireAPIKey().name }
    /// ```
    public func requireAPIKey<Model: APIKeyModel>(_ model: Model.Type = APIKey.self) throws -> APIKeyIdentity<Model> {
        guard let key = apiKey(as: model) else { throw refusal() }
        return key
    }

    /// API key helpers for this request.
    public var apiKeys: APIKeys { APIKeys(request: self) }

    /// API key helpers for one request.
    public struct APIKeys: Sendable {
        let request: Request

        /// The app's service for `model` keys.
        public func service<Model: APIKeyModel>(_ model: Model.Type = APIKey.self) -> APIKeyService<Model> {
            request.application.apiKeys.service(model)
        }

        /// A manager for `model` keys on the configured database, sharing the app's cache.
        ///
        /// ```swift
        /// let (record, key) = try await req.apiKeys.manager().createKey(name: "partner")
        /// ```
        public func manager<Model: APIKeyModel>(_ model: Model.Type = APIKey.self) -> APIKeyManager<Model> {
            let configuration = request.application.apiKeys.configuration
            return configuration.services.service(for: model).manager(on: request.db(configuration.database))
        }

        /// Authenticates the request's key against `model`'s keys, once per request: later calls
        /// reuse the outcome. A valid key is logged in (`req.auth`) and tags the request's logger
        /// with its prefix; the service logs refusals. Never throws.
        public func authenticate<Model: APIKeyModel>(_ model: Model.Type = APIKey.self) async -> APIKeyAuthentication<Model> {
            let state = RequestState.of(request)
            if let outcome = state.outcome(model) { return outcome }
            let configuration = request.application.apiKeys.configuration
            let outcome = await configuration.services.service(for: model).authenticate(
                configuration.parser.key(in: request), on: request.db(configuration.database), logger: request.logger)
            return remember(outcome, in: state)
        }

        /// The outcome of ``authenticate(_:)`` when it is known without waiting (no key, a
        /// malformed one, or a cache hit), so that middleware can answer on the event loop; `nil`
        /// when the database must be asked.
        func authenticateWithoutWaiting<Model: APIKeyModel>(_ model: Model.Type, state: RequestState) -> APIKeyAuthentication<Model>? {
            if let outcome = state.outcome(model) { return outcome }
            let configuration = request.application.apiKeys.configuration
            guard let outcome = configuration.services.service(for: model)
                .authenticateWithoutWaiting(configuration.parser.key(in: request), logger: request.logger)
            else { return nil }
            return remember(outcome, in: state)
        }

        private func remember<Model: APIKeyModel>(_ outcome: APIKeyAuthentication<Model>, in state: RequestState) -> APIKeyAuthentication<Model> {
            state.remember(outcome)
            if let identity = outcome.identity {
                request.auth.login(identity)
                APIKeyLog.tag(&request.logger, with: identity)
            }
            return outcome
        }
    }
}
