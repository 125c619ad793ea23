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

    /// API keys for this request: a manager on the request's database, and the key check itself.
    public var apiKeys: APIKeys { APIKeys(request: self) }

    /// API keys for one request.
    public struct APIKeys: Sendable {
        let request: Request

        /// A manager for `model` keys on the configured database, sharing the app's cache.
        ///
        /// ```swift
        /// let (record, key) = try await req.apiKeys.manager().createKey(name: "partner")
        /// ```
        public func manager<Model: APIKeyModel>(_ model: Model.Type = APIKey.self) -> APIKeyManager<Model> {
            let configuration = request.application.apiKeys.configuration
            return configuration.services.service(for: model).manager(on: request.db(configuration.database))
        }

        /// Checks the request's key against `model`'s keys, once per request: later calls reuse
        /// the outcome. A valid key is logged in (`req.auth`) and tags the request's logger with its
        /// prefix; refusals are logged. Never throws: a key store that does not answer is
        /// `APIKeyOutcome.isUnavailable`.
        ///
        /// ```swift
        /// let outcome = await req.apiKeys.authenticate(OrganizationAPIKey.self)
        /// ```
        public func authenticate<Model: APIKeyModel>(_ model: Model.Type = APIKey.self) async -> APIKeyOutcome<APIKeyIdentity<Model>> {
            let state = RequestState.of(request)
            if let outcome = state.outcome(model, in: request) { return outcome }
            let configuration = request.application.apiKeys.configuration
            let service = configuration.services.service(for: model)
            let outcome = await service.authenticate(
                configuration.keySource.key(in: request), facts: facts(service), on: request.db(configuration.database),
                logger: request.logger)
            return remember(outcome, in: state)
        }

        /// The outcome of ``authenticate(_:)`` when it is known without waiting (no key, a
        /// malformed one, or a cache hit), so that middleware can answer on the event loop; `nil`
        /// when the database must be asked.
        @_specialize(where Model == APIKey)  // see APIKeyService.authenticateWithoutWaiting
        func authenticateWithoutWaiting<Model: APIKeyModel>(_ model: Model.Type, state: RequestState) -> APIKeyOutcome<APIKeyIdentity<Model>>? {
            if let outcome = state.outcome(model, in: request) { return outcome }
            let configuration = request.application.apiKeys.configuration
            let service = configuration.services.service(for: model)
            guard let outcome = service.authenticateWithoutWaiting(configuration.keySource.key(in: request), facts: facts(service), logger: request.logger)
            else { return nil }
            return remember(outcome, in: state)
        }

        /// When and from where, for the checks: the peer's address, or what trusted proxies say.
        private func facts<Model>(_ service: APIKeyService<Model>) -> APIKeyRequestFacts {
            let request = self.request
            let client = service.clientAddress(peer: request.remoteAddress.flatMap(IPAddress.init(socketAddress:))) {
                request.headers[$0.name]
            }
            return service.facts(clientAddress: client)
        }

        private func remember<Model: APIKeyModel>(
            _ outcome: APIKeyOutcome<APIKeyIdentity<Model>>, in state: RequestState
        ) -> APIKeyOutcome<APIKeyIdentity<Model>> {
            state.remember(outcome, of: Model.self)
            if let identity = outcome.identity {
                request.auth.login(identity)
                APIKeyLog.tag(&request.logger, with: identity)
            }
            return outcome
        }
    }
}
