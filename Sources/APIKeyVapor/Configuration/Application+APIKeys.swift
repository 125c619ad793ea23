public import APIKeyCore
public import APIKeyFluent
public import Fluent
import Synchronization
public import Vapor

extension Application {
    /// API key settings for this application.
    ///
    /// ```swift
    /// app.apiKeys.parser = .header(.custom("X-Api-Key"))
    /// app.apiKeys.scheme = KeyScheme(generator: AlphanumericKeyGenerator(prefixLength: 8, secretLength: 48))
    /// app.apiKeys.database = .psql
    /// ```
    public var apiKeys: APIKeys { APIKeys(application: self) }

    /// API key settings: where keys are read from, how they are made and checked, and which
    /// database holds them. Set them while configuring, before the application serves.
    public struct APIKeys: Sendable {
        let application: Application

        /// How a request's key is found; `Authorization: Api-Key <key>` by default.
        public var parser: APIKeyParser {
            get { settings.parser }
            nonmutating set { update { $0.parser = newValue } }
        }

        /// How keys are made and checked; djangorestframework-api-key 3.x's by default.
        public var scheme: KeyScheme {
            get { settings.scheme }
            nonmutating set { update { $0.scheme = newValue } }
        }

        /// How long verified lookups are remembered in this process (see
        /// ``APIKeyCore/VerificationCache``); `nil` turns the cache off. One second by default:
        /// that is also the longest another instance's revocation can go unnoticed here.
        /// Changes made through this app (manager, admin, commands) take effect at once.
        ///
        /// ```swift
        /// app.apiKeys.cacheTimeToLive = .milliseconds(250)
        /// app.apiKeys.cacheTimeToLive = nil   // every request asks the database
        /// ```
        public var cacheTimeToLive: Duration? {
            get { settings.cacheTimeToLive }
            nonmutating set { update { $0.cacheTimeToLive = newValue } }
        }

        /// The most prefixes the cache remembers per key model (100,000 by default).
        public var cacheCapacity: Int {
            get { settings.cacheCapacity }
            nonmutating set { update { $0.cacheCapacity = newValue } }
        }

        /// Which Fluent database holds the keys; the default database if `nil`.
        public var database: DatabaseID? {
            get { settings.database }
            nonmutating set { update { $0.database = newValue } }
        }

        /// A manager for `model` keys on the configured database, for code outside requests
        /// (commands, seeding).
        ///
        /// ```swift
        /// let (_, key) = try await app.apiKeys.manager().createKey(name: "bootstrap")
        /// ```
        public func manager<Model: APIKeyModel>(_ model: Model.Type = APIKey.self) -> APIKeyManager<Model> {
            let settings = self.settings
            return manager(model, on: application.db(settings.database), settings)
        }

        /// The manager for `model` keys on `database`, with the scheme and cache of `settings`
        /// (read once by the caller: each read takes the application's storage lock).
        func manager<Model: APIKeyModel>(_ model: Model.Type, on database: any Database, _ settings: Settings) -> APIKeyManager<Model> {
            APIKeyManager(model, on: database, scheme: settings.scheme, cache: cache(for: model, settings))
        }

        /// This app's cache for `model`, made on first use.
        func cache<Model: APIKeyModel>(for model: Model.Type, _ settings: Settings) -> VerificationCache<Model>? {
            guard let timeToLive = settings.cacheTimeToLive else { return nil }
            // Made once, under a lock: two first requests must not each make (and one lose) a cache,
            // or an invalidation could reach the one that was dropped.
            let caches =
                application.storage[Caches.self]
                ?? application.locks.lock(for: CachesLock.self).withLock {
                    if let made = application.storage[Caches.self] { return made }
                    let caches = Caches()
                    application.storage[Caches.self] = caches
                    return caches
                }
            return caches.cache(for: model, timeToLive: timeToLive, capacity: settings.cacheCapacity)
        }

        var settings: Settings { application.storage[Settings.self] ?? Settings() }

        private func update(_ change: (inout Settings) -> Void) {
            var settings = self.settings
            change(&settings)
            application.storage[Settings.self] = settings
        }

        struct Settings: StorageKey, Sendable {
            typealias Value = Settings
            var parser: APIKeyParser = .header(.authorization())
            var scheme = KeyScheme()
            var database: DatabaseID?
            var cacheTimeToLive: Duration? = .seconds(1)
            var cacheCapacity = 100_000
        }

        /// Guards the first creation of ``Caches``.
        enum CachesLock: LockKey {}

        /// One cache per key model, shared by every request of the app.
        final class Caches: StorageKey, Sendable {
            typealias Value = Caches
            private let caches = Mutex<[ObjectIdentifier: any Sendable]>([:])

            func cache<Model: APIKeyModel>(for model: Model.Type, timeToLive: Duration, capacity: Int) -> VerificationCache<Model> {
                caches.withLock { caches in
                    if let cache = caches[ObjectIdentifier(model)] as? VerificationCache<Model>,
                        cache.timeToLive == timeToLive, cache.capacity == capacity
                    {
                        return cache
                    }
                    let cache = VerificationCache<Model>(timeToLive: timeToLive, capacity: capacity)
                    caches[ObjectIdentifier(model)] = cache
                    return cache
                }
            }
        }
    }
}
