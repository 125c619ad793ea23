public import APIKeyCore
public import APIKeyFluent
public import Fluent
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import Vapor

extension Application {
    /// API key settings and services for this application.
    ///
    /// ```swift
    /// app.apiKeys.parser = .header(.custom("X-Api-Key"))
    /// app.apiKeys.scheme = KeyScheme(generator: AlphanumericKeyGenerator(prefixLength: 8, secretLength: 48))
    /// app.apiKeys.cache = try VerificationCachePolicy(timeToLive: .milliseconds(250))
    /// app.apiKeys.database = .psql
    /// ```
    public var apiKeys: APIKeys { APIKeys(application: self) }

    /// API key settings: where keys are read from, how they are made and checked, how long
    /// lookups are remembered, which database holds them and how refusals look. Set them while
    /// configuring, before the application serves: changing ``scheme``, ``cache`` or ``now``
    /// starts new services (and caches) for every key model.
    public struct APIKeys: Sendable {
        let application: Application

        /// How a request's key is found; `Authorization: Api-Key <key>` by default.
        public var parser: APIKeyParser {
            get { configuration.parser }
            nonmutating set { update { $0.parser = newValue } }
        }

        /// How keys are made and checked; djangorestframework-api-key 3.x's by default.
        public var scheme: KeyScheme {
            get { configuration.services.settings.scheme }
            nonmutating set { updateSettings { $0.scheme = newValue } }
        }

        /// How long verified lookups are remembered in this process, and how many (see
        /// ``APIKeyCore/VerificationCache``); `nil` turns the cache off. One second by default:
        /// that is also the longest another instance's revocation can go unnoticed here. Changes
        /// made through this app (manager, admin, commands) take effect at once.
        ///
        /// ```swift
        /// app.apiKeys.cache = try VerificationCachePolicy(timeToLive: .milliseconds(250))
        /// app.apiKeys.cache = nil   // every request asks the database
        /// ```
        public var cache: VerificationCachePolicy? {
            get { configuration.services.settings.cache }
            nonmutating set { updateSettings { $0.cache = newValue } }
        }

        /// The clock that decides expiry; tests set a fixed one.
        public var now: @Sendable () -> Date {
            get { configuration.services.settings.now }
            nonmutating set { updateSettings { $0.now = newValue } }
        }

        /// Which Fluent database holds the keys; the default database if `nil`.
        public var database: DatabaseID? {
            get { configuration.database }
            nonmutating set { update { $0.database = newValue } }
        }

        /// How a refused request is answered. The default is Vapor's error shape,
        /// `{"error":true,"reason":…}`, with the refusal's status and challenge. The reason never
        /// says why a key was refused; keep it that way.
        ///
        /// ```swift
        /// app.apiKeys.refusalResponse = { refusal, req in
        ///     let response = Response(status: .init(statusCode: refusal.statusCode), body: .init(string: refusal.reason))
        ///     if let challenge = refusal.challenge { response.headers.replaceOrAdd(name: .wwwAuthenticate, value: challenge) }
        ///     return response
        /// }
        /// ```
        public var refusalResponse: @Sendable (APIKeyRefusal, Request) -> Response {
            get { configuration.refusalResponse }
            nonmutating set { update { $0.refusalResponse = newValue } }
        }

        /// Every key model's service, sharing these settings.
        public var services: APIKeyServices { configuration.services }

        /// The service for `model` keys: its scheme, cache, clock and logging.
        public func service<Model: APIKeyModel>(_ model: Model.Type = APIKey.self) -> APIKeyService<Model> {
            configuration.services.service(for: model)
        }

        /// A manager for `model` keys on the configured database, for code outside requests
        /// (commands, seeding). It shares the app's cache, so its changes take effect at once.
        ///
        /// ```swift
        /// let (_, key) = try await app.apiKeys.manager().createKey(name: "bootstrap")
        /// ```
        public func manager<Model: APIKeyModel>(_ model: Model.Type = APIKey.self) -> APIKeyManager<Model> {
            let configuration = self.configuration
            return configuration.services.service(for: model).manager(on: application.db(configuration.database))
        }

        /// Everything above, read at once: one read of the application's storage per request.
        var configuration: Configuration {
            if let stored = application.storage[Configuration.self] { return stored }
            // Stored once, under a lock: two first requests must not each make (and one lose) the
            // services, or a manager's invalidation could reach a cache that requests never read.
            return update { _ in }
        }

        @discardableResult
        private func update(_ change: (inout Configuration) -> Void) -> Configuration {
            application.locks.lock(for: ConfigurationLock.self).withLock {
                var configuration = application.storage[Configuration.self] ?? Configuration()
                change(&configuration)
                application.storage[Configuration.self] = configuration
                return configuration
            }
        }

        /// Guards changes to ``Configuration``.
        enum ConfigurationLock: LockKey {}

        private func updateSettings(_ change: (inout APIKeySettings) -> Void) {
            update { configuration in
                var settings = configuration.services.settings
                change(&settings)
                configuration.services = APIKeyServices(settings: settings)
            }
        }

        struct Configuration: StorageKey, Sendable {
            typealias Value = Configuration
            var parser: APIKeyParser = .header(.authorization())
            var database: DatabaseID?
            var refusalResponse: @Sendable (APIKeyRefusal, Request) -> Response = { refusal, _ in refusal.response }
            var services = APIKeyServices()
        }
    }
}
