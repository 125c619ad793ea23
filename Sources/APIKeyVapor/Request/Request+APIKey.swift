public import APIKeyCore
public import APIKeyFluent
import Fluent
public import Vapor

extension Request {
    /// The verified key of the built-in model, once ``HasAPIKey`` let the request in; `nil` when
    /// the request got in another way (e.g. `HasAPIKey() | IsAuthenticated<User>()`).
    ///
    /// ```swift
    /// app.grouped(HasAPIKey()).get("whoami") { req in req.apiKey?.name ?? "" }
    /// ```
    public var apiKey: APIKey? { apiKey(as: APIKey.self) }

    /// The verified key of a custom model, once ``HasAPIKey`` let the request in.
    ///
    /// ```swift
    /// let key = req.apiKey(as: OrganizationAPIKey.self)
    /// ```
    public func apiKey<Model: APIKeyModel>(as model: Model.Type) -> Model? {
        RequestState.existing(self)?.outcome(model)?.record
    }

    /// The verified key, or 401 if the request got in without one.
    ///
    /// ```swift
    /// app.grouped(HasAPIKey()).get("whoami") { req in try req.requireAPIKey().name }
    /// app.grouped(HasAPIKey(OrganizationAPIKey.self)).get("org") { req in
    ///     try await req.requireAPIKey(OrganizationAPIKey.self).$organization.get(on: req.db)
    /// }
    /// ```
    public func requireAPIKey<Model: APIKeyModel>(_ model: Model.Type = APIKey.self) throws -> Model {
        guard let key = apiKey(as: model) else { throw permissionDenied() }
        return key
    }

    /// API key helpers for this request.
    public var apiKeys: APIKeys { APIKeys(request: self) }

    /// API key helpers for one request.
    public struct APIKeys: Sendable {
        let request: Request

        /// A manager for `model` keys on the configured database.
        ///
        /// ```swift
        /// let (record, key) = try await req.apiKeys.manager().createKey(name: "partner")
        /// ```
        public func manager<Model: APIKeyModel>(_ model: Model.Type = APIKey.self) -> APIKeyManager<Model> {
            let keys = request.application.apiKeys
            let settings = keys.settings
            return keys.manager(model, on: request.db(settings.database), settings)
        }

        /// Verifies the request's key against `model`'s keys, once per request: later calls (and
        /// ``Vapor/Request/apiKey``) reuse the outcome. Refusals are logged with their reason and
        /// the key's prefix, never the key.
        ///
        /// - Throws: 503 when the database cannot answer: the request fails closed.
        public func verify<Model: APIKeyModel>(_ model: Model.Type) async throws -> APIKeyVerification<Model> {
            if let outcome = RequestState.existing(request)?.outcome(model) { return outcome }
            // The manager's store asks the cache first: one parse and one cache lookup here.
            let check = Check(request)
            let outcome: APIKeyVerification<Model>
            do {
                outcome = try await check.keys.manager(Model.self, on: request.db(check.settings.database), check.settings).verify(check.extraction)
            } catch {
                request.logger.error(
                    "API key check failed: the key store is unavailable",
                    metadata: ["api_key_prefix": .string(check.prefix ?? "-"), "error": "\(error.underlying)"])
                throw Abort(.serviceUnavailable, reason: "The API key could not be checked. Try again later.")
            }
            return remember(outcome, check)
        }

        /// The outcome of ``verify(_:)`` when it is known without waiting (no key, a malformed
        /// one, or a cache hit), so that a permission can answer on the event loop; `nil` when
        /// the database must be asked.
        func verifyWithoutWaiting<Model: APIKeyModel>(_ model: Model.Type) -> APIKeyVerification<Model>? {
            if let outcome = RequestState.existing(request)?.outcome(model) { return outcome }
            let check = Check(request)
            guard let cache = check.keys.cache(for: Model.self, check.settings) else { return nil }
            return cache.verifyWithoutWaiting(check.extraction, scheme: check.settings.scheme).map { remember($0, check) }
        }

        /// What one verification needs, read once from the app's settings.
        private struct Check {
            let keys: Application.APIKeys
            let settings: Application.APIKeys.Settings
            let extraction: KeyExtraction

            init(_ request: Request) {
                keys = request.application.apiKeys
                settings = keys.settings
                extraction = settings.parser.key(in: request)
            }

            /// The prefix of a well-formed key; a malformed value is never logged, not even in part.
            var prefix: String? { extraction.presentedKey.flatMap(settings.scheme.generator.prefix(ofPresentedKey:)) }
        }

        /// Keeps `outcome` for the rest of the request, and logs it.
        private func remember<Model: APIKeyModel>(_ outcome: APIKeyVerification<Model>, _ check: Check) -> APIKeyVerification<Model> {
            let state = RequestState.of(request)
            state.remember(outcome)
            switch outcome {
            case .valid(let key):
                state.updateCredentials { $0.accepted = true }
                // Every later log line of this request says which key made it.
                request.logger[metadataKey: "api_key_prefix"] = .string(key.prefix)
            case .denied(.missing):
                request.logger.debug("No API key", metadata: ["api_key_denial": "missing"])
            case .denied(let reason):
                state.updateCredentials { $0.refusedKey = true }
                request.logger.info(
                    "API key refused", metadata: ["api_key_denial": .string(reason.rawValue), "api_key_prefix": .string(check.prefix ?? "-")])
            }
            return outcome
        }
    }
}
