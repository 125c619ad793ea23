public import APIKeyCore
public import APIKeyFluent
public import Fluent
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
            APIKeyManager(model, on: application.db(settings.database), scheme: settings.scheme)
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
        }
    }
}
