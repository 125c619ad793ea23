public import APIKeyCore
public import APIKeyFluent
public import FluentKit
public import Logging

/// API keys in one Hummingbird application: where requests carry them, how they are made,
/// checked and remembered (one cache per key model), and the database that holds them. Vapor's
/// `app.apiKeys` in Hummingbird's idiom: make one, and hand it to every authenticator, admin
/// panel and change watcher of the app, so that they all share its caches.
///
/// ```swift
/// let apiKeys = APIKeys(fluent: fluent)
/// router.add(middleware: APIKeyAuthenticator(apiKeys))
/// router.group("api").add(middleware: HasAPIKey()).get("reports") { _, context in
///     "Hello, \(try context.requireIdentity().name)"
/// }
/// var app = Application(router: router, services: [fluent, apiKeys.watchChanges(watcher)])
/// let (_, key) = try await apiKeys.manager().createKey(name: "bootstrap")
/// ```
public final class APIKeys: Sendable {
    /// Where a request carries its key; `Authorization: Api-Key <key>` by default.
    public let keySource: APIKeySource
    /// How keys are made, checked and remembered.
    public var settings: APIKeySettings { services.settings }
    package let services: APIKeyServices
    package let database: @Sendable (Logger) -> any Database

    /// API keys kept in `database`.
    ///
    /// - Parameters:
    ///   - database: The database that holds the keys, for a logger.
    ///   - keySource: Where requests carry their key.
    ///   - settings: How keys are made, checked and remembered.
    public init(
        database: @escaping @Sendable (Logger) -> any Database, keySource: APIKeySource = .header(.authorization()),
        settings: APIKeySettings = APIKeySettings()
    ) {
        self.database = database
        self.keySource = keySource
        self.services = APIKeyServices(settings: settings)
    }

    /// API keys kept in `fluent`'s default database, or the one `id` names.
    ///
    /// ```swift
    /// let apiKeys = APIKeys(fluent: fluent, keySource: .header(.custom("X-Api-Key")))
    /// ```
    public convenience init(
        fluent: FluentService, id: DatabaseID? = nil, keySource: APIKeySource = .header(.authorization()),
        settings: APIKeySettings = APIKeySettings()
    ) {
        self.init(database: { fluent.db(id, logger: $0) }, keySource: keySource, settings: settings)
    }

    /// A manager for `model` keys, sharing the app's cache: its changes take effect at once.
    ///
    /// ```swift
    /// let (_, key) = try await apiKeys.manager().createKey(name: "bootstrap")
    /// ```
    public func manager<Model: APIKeyModel>(_ model: Model.Type = APIKey.self, logger: Logger = Logger(label: "api-keys")) -> APIKeyManager<Model> {
        services.service(for: model).manager(on: database(logger))
    }

    /// Every change in a key's life that this app makes, as it happens: start a loop over it
    /// while the app starts; it ends when the `APIKeys` service stops. See `APIKeyEvents`.
    ///
    /// ```swift
    /// Task { for await event in apiKeys.events { logger.notice("API key \(event.prefix): \(event.kind)") } }
    /// ```
    public var events: APIKeyEvents { APIKeyEvents(hub: services.events) }

    /// Makes every key model's cache forget what `change` touched: after a change the library
    /// cannot see, such as an organization made inactive (`.anything`).
    ///
    /// ```swift
    /// apiKeys.forget(.anything)
    /// ```
    public func forget(_ change: APIKeyChange) {
        services.forget(change)
    }
}
