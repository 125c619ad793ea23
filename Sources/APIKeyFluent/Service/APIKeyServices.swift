import APIKeyCore
import Logging

/// An app's service for each key model, made on first use with the same settings, and
/// never twice: every request, manager, command and admin page of the app then shares one cache
/// per model.
///
/// Framework glue keeps one in the app (Vapor's `app.apiKeys`, Hummingbird's `APIKeys`); changing
/// the settings means a new one, made while the app is configured.
package final class APIKeyServices: Sendable {
    /// What every service is made with.
    package let settings: APIKeySettings
    private let services = Locked<[ObjectIdentifier: any AnyAPIKeyService]>([:])
    /// Whether usage is being written: services made from now on gather it at once.
    let isRecordingUsage = Locked(false)
    /// When this instance last deleted budgets of ended windows, in seconds since 1970.
    let lastBudgetCleanup = Locked<Int64>(0)

    /// The app's stream of key events, which every service publishes to.
    package let events: APIKeyEventHub

    /// A registry whose services will use `settings` and publish to `events` (a new stream when
    /// `nil`; the old one's when settings change, so that no loop over it is cut off).
    package init(settings: APIKeySettings = APIKeySettings(), events: APIKeyEventHub? = nil) {
        self.settings = settings
        let logger = Logger(label: "api-keys.events")
        self.events = events ?? APIKeyEventHub { dropped in
            logger.warning(
                "An API key event was dropped: a loop over app.apiKeys.events is more than \(APIKeyEventHub.bufferPerSubscriber) events behind",
                metadata: [APIKeyLog.prefixKey: .string(dropped.prefix), "event": .string(dropped.kind.code)])
        }
    }

    /// The service for `model`, made the first time it is asked for.
    package func service<Model: APIKeyModel>(for model: Model.Type) -> APIKeyService<Model> {
        services.withLock { services in
            if let made = services[ObjectIdentifier(model)] as? APIKeyService<Model> { return made }
            let service = APIKeyService(model, settings: settings, events: events)
            if isRecordingUsage.withLock({ $0 }) { service.usageRecorder?.start() }
            services[ObjectIdentifier(model)] = service
            return service
        }
    }

    /// Makes every service's cache forget what `change` touched: what an
    /// ``APIKeyChangeWatcher`` reports.
    ///
    /// ```swift
    /// await watcher.watch { change in services.forget(change) }
    /// ```
    package func forget(_ change: APIKeyChange) {
        // Prefixes are unique per table, not across tables: forgetting one in every model's cache
        // costs a lookup at most.
        for service in allServices() {
            switch change {
            case .key(let prefix): service.forget(prefix: prefix)
            case .anything: service.forgetEverything()
            }
        }
    }

    /// Every service made so far.
    func allServices() -> [any AnyAPIKeyService] {
        services.withLock { Array($0.values) }
    }
}

/// A service of any model, as the registry forgets changes in it and writes its usage.
protocol AnyAPIKeyService: Sendable {
    func forget(prefix: String)
    func forgetEverything()
    var usageRecorder: UsageRecorder? { get }
    var sharedBudget: SharedRateBudget? { get }
    var settings: APIKeySettings { get }
    var keyTable: String { get }
    var metrics: APIKeyMetrics { get }
}

extension APIKeyService: AnyAPIKeyService {}
