public import APIKeyCore
public import APIKeyFluent
public import Fluent
public import Vapor

extension Application {
    /// API keys in this application: where requests carry them, how they are made, checked and
    /// remembered, which database holds them, how refusals look; and a manager for each key model.
    ///
    /// ```swift
    /// app.apiKeys.keySource = .header(.custom("X-Api-Key"))
    /// app.apiKeys.cache = try VerificationCachePolicy(timeToLive: .milliseconds(250))
    /// app.apiKeys.database = .psql
    /// let (_, key) = try await app.apiKeys.manager().createKey(name: "bootstrap")
    /// ```
    public var apiKeys: APIKeys { APIKeys(application: self) }

    /// API keys in one application: Hummingbird's `APIKeys` in Vapor's idiom. Set the settings
    /// while configuring, before the application serves: changing ``scheme``, ``cache``,
    /// ``clock``, ``rules``, ``scopes``, ``trustedProxies`` or ``usage`` starts a new cache for every key
    /// model.
    public struct APIKeys: Sendable {
        package let application: Application

        /// Where a request carries its key; `Authorization: Api-Key <key>` by default.
        public var keySource: APIKeySource {
            get { configuration.keySource }
            nonmutating set { update { $0.keySource = newValue } }
        }

        /// Every setting at once, as Hummingbird's `APIKeys` takes them: for settings shared by
        /// an app's two frameworks or its commands.
        ///
        /// ```swift
        /// app.apiKeys.settings = APIKeySettings(scopes: DeclaredScopes(ReportScope.self))
        /// ```
        public var settings: APIKeySettings {
            get { configuration.services.settings }
            nonmutating set { updateSettings { $0 = newValue } }
        }

        /// How keys are made and checked; djangorestframework-api-key 3.x's by default.
        public var scheme: KeyScheme {
            get { configuration.services.settings.scheme }
            nonmutating set { updateSettings { $0.scheme = newValue } }
        }

        /// How long verified lookups are remembered in this process, and how many; `nil` turns the
        /// cache off. One second by default: that is also the longest another instance's change can
        /// go unnoticed here without a change watcher (``watchChanges(_:)``). Changes made through
        /// this app (manager, admin, commands) take effect at once.
        ///
        /// ```swift
        /// app.apiKeys.cache = try VerificationCachePolicy(timeToLive: .milliseconds(250))
        /// app.apiKeys.cache = nil   // every request asks the database
        /// ```
        public var cache: VerificationCachePolicy? {
            get { configuration.services.settings.cache }
            nonmutating set { updateSettings { $0.cache = newValue } }
        }

        /// The time expiries and the cache read; tests set one they move (`APIKeyTestClock`).
        public var clock: APIKeyClock {
            get { configuration.services.settings.clock }
            nonmutating set { updateSettings { $0.clock = newValue } }
        }

        /// The app's own rules, checked on every request after the library's.
        public var rules: [any APIKeyRule] {
            get { configuration.services.settings.rules }
            nonmutating set { updateSettings { $0.rules = newValue } }
        }

        /// The scopes keys may be given: the manager, the commands and the admin panel accept
        /// these names only. None by default.
        ///
        /// ```swift
        /// app.apiKeys.scopes = DeclaredScopes(ReportScope.self)
        /// ```
        public var scopes: DeclaredScopes {
            get { configuration.services.settings.scopes }
            nonmutating set { updateSettings { $0.scopes = newValue } }
        }

        /// The proxies in front of the app whose forwarded header names the client, for IP
        /// allowlists. None by default: the client is the connection's peer.
        ///
        /// ```swift
        /// app.apiKeys.trustedProxies = try TrustedProxies(["10.0.0.0/8"])
        /// ```
        public var trustedProxies: TrustedProxies {
            get { configuration.services.settings.trustedProxies }
            nonmutating set { updateSettings { $0.trustedProxies = newValue } }
        }

        /// How keys' last use and daily counts are gathered and written: every minute by
        /// default, and when the app shuts down; `nil` keeps none. The tables come from
        /// `CreateAPIKeyUsage` (in `APIKeyMigrations.all`).
        ///
        /// ```swift
        /// app.apiKeys.usage = try APIKeyUsagePolicy(flushInterval: .seconds(30))
        /// ```
        public var usage: APIKeyUsagePolicy? {
            get { configuration.services.settings.usage }
            nonmutating set { updateSettings { $0.usage = newValue } }
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

        /// Every change in a key's life that this app makes, as it happens: start a loop over it
        /// while the app starts; it ends when the app shuts down. See `APIKeyEvents`.
        ///
        /// ```swift
        /// let events = app.apiKeys.events
        /// Task { for await event in events { app.logger.notice("API key \(event.prefix): \(event.kind)") } }
        /// ```
        public var events: APIKeyEvents { APIKeyEvents(hub: configuration.services.events) }

        /// Makes every key model's cache forget what `change` touched: after a change the library
        /// cannot see, such as an organization made inactive (`.anything`).
        ///
        /// ```swift
        /// organization.isActive = false
        /// try await organization.save(on: req.db)
        /// req.application.apiKeys.forget(.anything)
        /// ```
        public func forget(_ change: APIKeyChange) {
            configuration.services.forget(change)
        }

        /// Writes the usage gathered so far now, rather than at the next interval: before reading
        /// it in a test, or at the end of a job that does not run long.
        ///
        /// ```swift
        /// await app.apiKeys.writeUsage()
        /// let usage = try await app.apiKeys.manager().usage(of: prefix)
        /// ```
        public func writeUsage() async {
            let configuration = self.configuration
            configuration.services.startRecordingUsage()
            await configuration.services.flushUsage(on: application.db(configuration.database), logger: application.logger)
        }

        /// The service of `model` keys: its cache, for glue and tests.
        package func service<Model: APIKeyModel>(_ model: Model.Type = APIKey.self) -> APIKeyService<Model> {
            configuration.services.service(for: model)
        }

        /// Everything above, read at once: one read of the application's storage per request.
        package var configuration: Configuration {
            if let stored = application.storage[Configuration.self] { return stored }
            // Stored once, under a lock: two first requests must not each make (and one lose) the
            // services, or a manager's invalidation could reach a cache that requests never read.
            return update { _ in }
        }

        @discardableResult
        private func update(_ change: (inout Configuration) -> Void) -> Configuration {
            application.locks.lock(for: ConfigurationLock.self).withLock {
                var configuration = application.storage[Configuration.self] ?? {
                    // The first configuration: from now on, keys' usage is gathered, and written
                    // while the app runs.
                    let configuration = Configuration()
                    configuration.services.startRecordingUsage()
                    application.lifecycle.use(UsageWriting(application))
                    return configuration
                }()
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
                configuration.services = APIKeyServices(settings: settings, events: configuration.services.events)
                configuration.services.startRecordingUsage()
            }
        }

        package struct Configuration: StorageKey, Sendable {
            package typealias Value = Configuration
            package var keySource: APIKeySource = .header(.authorization())
            package var database: DatabaseID?
            package var refusalResponse: @Sendable (APIKeyRefusal, Request) -> Response = { refusal, _ in refusal.response }
            package var services = APIKeyServices()
        }
    }
}
