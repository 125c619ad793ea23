import APIKeyCore

/// An app's ``APIKeyService`` for each key model, made on first use with the same settings, and
/// never twice: every request, manager, command and admin page of the app then shares one cache
/// per model.
///
/// Framework glue keeps one in the app (Vapor's `app.apiKeys`); changing the settings means a new
/// one, made while the app is configured.
///
/// ```swift
/// let services = APIKeyServices(settings: APIKeySettings())
/// let keys = services.service(for: APIKey.self)
/// let orgKeys = services.service(for: OrganizationAPIKey.self)
/// ```
public final class APIKeyServices: Sendable {
    /// What every service is made with.
    public let settings: APIKeySettings
    private let services = Locked<[ObjectIdentifier: any Sendable]>([:])

    /// A registry whose services will use `settings`.
    public init(settings: APIKeySettings = APIKeySettings()) {
        self.settings = settings
    }

    /// The service for `model`, made the first time it is asked for.
    public func service<Model: APIKeyModel>(for model: Model.Type) -> APIKeyService<Model> {
        services.withLock { services in
            if let made = services[ObjectIdentifier(model)] as? APIKeyService<Model> { return made }
            let service = APIKeyService(model, settings: settings)
            services[ObjectIdentifier(model)] = service
            return service
        }
    }
}
