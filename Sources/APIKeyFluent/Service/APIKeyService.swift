@_spi(Internals) import APIKeyCore
import CoreMetrics
package import FluentKit
package import Logging
import Tracing

/// Everything about one key model in one app: its scheme, its verification cache, its clock and
/// rules, and what it logs. Verification and the ``APIKeyManager`` both come from it, so a change
/// made through the manager reaches the very cache that requests read.
///
/// It knows no web framework: glue reads the key from a request, asks
/// ``authenticate(_:facts:on:logger:)`` (or ``authenticateWithoutWaiting(_:facts:logger:)`` first,
/// on the thread that read the request) and answers with `PresentedCredentials`.
package final class APIKeyService<Model: APIKeyModel>: Sendable {
    package let settings: APIKeySettings
    /// How this model's keys are made and checked.
    package let scheme: KeyScheme
    /// What verification learned, shared by every request of the app; `nil` when the cache is off.
    private let cache: VerificationCache<APIKeyRow<Model>>?
    /// The checks on what is known at once (the cache's entries), made once: this runs on every
    /// request.
    private let withoutWaiting: APIKeyVerifier<CachedAPIKeyStore<NoStore<Model>>>?
    private let checksWithoutStore: APIKeyVerifier<NoStore<Model>>
    /// What requests did with each key, until it is written; `nil` when usage is off.
    package let usageRecorder: UsageRecorder?
    /// Each key's place against its rate limit in this process.
    let rateLimiter = RateLimiter()
    /// This instance's shares of its keys' budgets, when limits are counted across instances.
    package let sharedBudget: SharedRateBudget?
    /// Until when the budgets' database is taken as unreachable, after a lease failed: a second
    /// of requests is not spent waiting on a database that just failed.
    let budgetsUnreachableUntil = Locked<Duration?>(nil)
    /// The limit of keys that have none of their own.
    let defaultRateLimit: RateLimit?
    /// What is counted and timed, for swift-metrics.
    package let metrics: APIKeyMetrics
    /// Where a verification that asks the database reports its span.
    private let tracer: any Tracer
    /// The app's stream of key events.
    package let events: APIKeyEventHub

    package init(_ model: Model.Type, settings: APIKeySettings = APIKeySettings(), events: APIKeyEventHub = APIKeyEventHub()) {
        self.settings = settings
        self.events = events
        let scheme = settings.scheme(for: Model.self)
        self.scheme = scheme
        if Model.isReadByDjango, !APIKeySettings.djangoCanRead(settings.requestedScheme(for: Model.self)) {
            Logger(label: "api-keys").warning(
                "The app's key scheme (a pepper, tagged keys or another prefix length) is not used for \(Model.schema): Django reads that table too, so its keys keep djangorestframework-api-key's format and SHA-512 hashes")
        }
        let cache = settings.cache.map { VerificationCache<APIKeyRow<Model>>($0, clock: settings.clock) }
        self.cache = cache
        self.withoutWaiting = cache.map {
            APIKeyVerifier(store: CachedAPIKeyStore(NoStore(), cache: $0), scheme: scheme, rules: settings.rules)
        }
        self.checksWithoutStore = APIKeyVerifier(store: NoStore(), scheme: scheme, rules: settings.rules)
        self.usageRecorder = settings.usage.map { UsageRecorder(maximumPendingKeys: $0.maximumPendingKeys) }
        self.defaultRateLimit = settings.defaultRateLimit(for: Model.self)
        self.sharedBudget = settings.rateLimitSharing.isAcrossInstances ? SharedRateBudget() : nil
        self.metrics = APIKeyMetrics(table: Self.keyTable, factory: settings.metricsFactory ?? MetricsSystem.factory)
        self.tracer = settings.tracer ?? InstrumentationSystem.tracer
    }

    /// The table of this model's keys, as usage rows name it.
    package var keyTable: String { Self.keyTable }

    private static var keyTable: String { Model.space.map { "\($0).\(Model.schema)" } ?? Model.schema }


    /// A manager for the keys on `database`, sharing this service's scheme, clock and cache.
    package func manager(on database: any Database) -> APIKeyManager<Model> {
        APIKeyManager(on: database, service: self)
    }

    /// The facts of a request checked now, from `clientAddress`.
    package func facts(clientAddress: IPAddress? = nil) -> APIKeyRequestFacts {
        APIKeyRequestFacts(now: settings.clock.now(), clientAddress: clientAddress)
    }

    /// The client of a request whose connection comes from `peer`: `peer`, unless it is a
    /// trusted proxy (then what the forwarded header says). The header is read only then.
    package func clientAddress<Values: Sequence>(peer: IPAddress?, forwardedHeader: (TrustedProxies.Header) -> Values) -> IPAddress?
    where Values.Element: StringProtocol {
        let proxies = settings.trustedProxies
        guard let peer, !proxies.isEmpty, proxies.trusts(peer) else { return peer }
        return proxies.clientAddress(peer: peer, headerValues: forwardedHeader(proxies.header))
    }

    /// Verifies what a request presented, from the cache when it can and from `database`
    /// otherwise, and logs a refusal as ``APIKeyLog`` says. A key store that does not answer is
    /// `APIKeyOutcome.unavailable`, logged at `error`.
    ///
    /// - Parameters:
    ///   - extraction: What the request's key header held, or a custom extraction.
    ///   - facts: When and from where.
    ///   - database: Where to look on a miss; not evaluated on a cache hit.
    ///   - logger: The request's logger.
    @_specialize(where Model == APIKey)  // as authenticateWithoutWaiting: Hummingbird's glue calls this one
    package func authenticate(
        _ extraction: KeyExtraction, facts: APIKeyRequestFacts, on database: @autoclosure () -> any Database, logger: Logger
    ) async -> APIKeyOutcome<APIKeyIdentity<Model>> {
        let start = ContinuousClock.now
        if let known = decidedWithoutWaiting(extraction, facts: facts) {
            let admitted = await admitted(known, facts: facts, on: database(), logger: logger)
            return finished(admitted, extraction, facts: facts, logger: logger, since: start, fromMemory: true)
        }
        // The database is asked: a span, with the key's prefix (never more of the key).
        let shownPrefix = prefix(of: extraction) ?? "-"
        let (outcome, failure) = await tracer.withAnySpan("api_key.verify", at: DefaultTracerClock.now) { span in
            span.attributes["api_key.prefix"] = shownPrefix
            span.attributes["api_key.table"] = Self.keyTable
            let result = await verifyReportingFailure(extraction, facts: facts, on: database())
            span.attributes["api_key.outcome"] = result.outcome.denial?.code ?? (result.outcome.isUnavailable ? "unavailable" : "granted")
            if let failure = result.failure {
                span.recordError(failure)
                span.setStatus(SpanStatus(code: .error, message: "the key could not be checked"))
            }
            return result
        }
        if let failure {
            // The key store did not answer, or a legacy hash could not be checked now (busy).
            logger.error(
                failure is LegacyHashError
                    ? "API key check failed: too many legacy hashes are waiting to be checked"
                    : "API key check failed: the key store is unavailable",
                metadata: [APIKeyLog.prefixKey: .string(shownPrefix), "error": "\(String(reflecting: failure))"])
        }
        let admitted = await admitted(outcome, facts: facts, on: database(), logger: logger)
        return finished(admitted, extraction, facts: facts, logger: logger, since: start, fromMemory: false)
    }

    /// The outcome of ``authenticate(_:facts:on:logger:)`` when it is known without waiting (no
    /// key, a malformed one, or a cache hit with a hash in the preferred format), so that glue can
    /// answer on the thread that read the request; `nil` when the database must be asked.
    ///
    /// Specialized for the built-in model: this runs on every request, and generic code over a
    /// model it does not know looks up the metadata of each generic type it touches (outcomes,
    /// rows, identities), which was about 4% of a cache hit's CPU. Glue entry points for the
    /// built-in model are specialized the same way; the generic code checks the type and calls them.
    @_specialize(where Model == APIKey)
    package func authenticateWithoutWaiting(
        _ extraction: KeyExtraction, facts: APIKeyRequestFacts, logger: Logger
    ) -> APIKeyOutcome<APIKeyIdentity<Model>>? {
        let start = ContinuousClock.now
        guard let known = decidedWithoutWaiting(extraction, facts: facts), let admitted = admittedWithoutWaiting(known, facts: facts, logger: logger)
        else { return nil }
        return finished(admitted, extraction, facts: facts, logger: logger, since: start, fromMemory: true)
    }

    /// The checks' outcome when known without waiting, before rate limits, usage and metrics.
    private func decidedWithoutWaiting(_ extraction: KeyExtraction, facts: APIKeyRequestFacts) -> APIKeyOutcome<APIKeyIdentity<Model>>? {
        // A switch, not optional chaining through closures: this runs on every request.
        let known: APIKeyOutcome<APIKeyRow<Model>>?
        if let withoutWaiting {
            known = withoutWaiting.verifyWithoutWaiting(extraction, facts: facts)
        } else {
            known = checksWithoutStore.verifyWithoutWaiting(extraction, facts: facts)
        }
        return known.map(Self.visible)
    }

    /// `outcome`, logged, counted in usage and in metrics.
    private func finished(
        _ outcome: APIKeyOutcome<APIKeyIdentity<Model>>, _ extraction: KeyExtraction, facts: APIKeyRequestFacts, logger: Logger,
        since start: ContinuousClock.Instant, fromMemory: Bool
    ) -> APIKeyOutcome<APIKeyIdentity<Model>> {
        let final = logged(outcome, extraction, facts: facts, logger: logger)
        // A lookup happened only for a key of the right shape.
        if case .key = extraction, outcome.denial != .malformed, outcome.denial != .checksum { metrics.cacheLookup(hit: fromMemory) }
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        metrics.verified(final, nanoseconds: seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        return final
    }

    /// ``authenticate(_:facts:on:logger:)`` now, with no facts but the time.
    package func authenticate(
        _ extraction: KeyExtraction, on database: @autoclosure () -> any Database, logger: Logger
    ) async -> APIKeyOutcome<APIKeyIdentity<Model>> {
        await authenticate(extraction, facts: facts(), on: database(), logger: logger)
    }

    /// ``authenticateWithoutWaiting(_:facts:logger:)`` now, with no facts but the time.
    package func authenticateWithoutWaiting(_ extraction: KeyExtraction, logger: Logger) -> APIKeyOutcome<APIKeyIdentity<Model>>? {
        authenticateWithoutWaiting(extraction, facts: facts(), logger: logger)
    }

    /// Whether the service keeps a cache.
    package var isCaching: Bool { cache != nil }

    /// How many prefixes the cache remembers now, and how many it keeps at most.
    package var cacheCount: Int { cache?.count ?? 0 }
    package var cacheCapacity: Int? { cache?.capacity }

    /// The full check of a presented key, with upgrade on use, as code outside requests needs it;
    /// nothing is logged.
    package func verify(
        _ extraction: KeyExtraction, facts: APIKeyRequestFacts, on database: any Database
    ) async -> APIKeyOutcome<APIKeyIdentity<Model>> {
        await verifyReportingFailure(extraction, facts: facts, on: database).outcome
    }

    private func verifyReportingFailure(
        _ extraction: KeyExtraction, facts: APIKeyRequestFacts, on database: any Database
    ) async -> (outcome: APIKeyOutcome<APIKeyIdentity<Model>>, failure: (any Error)?) {
        let store = FluentAPIKeyStore(Model.self, on: database) { [self] prefix in
            metrics.legacyUpgrades.increment()
            await publish(.hashUpgraded, prefixes: [prefix], on: database)
        }
        let result: (outcome: APIKeyOutcome<APIKeyRow<Model>>, failure: (any Error)?)
        if let cache {
            result = await APIKeyVerifier(store: CachedAPIKeyStore(store, cache: cache), scheme: scheme, rules: settings.rules)
                .verifyReportingFailure(extraction, facts: facts)
        } else {
            result = await APIKeyVerifier(store: store, scheme: scheme, rules: settings.rules).verifyReportingFailure(extraction, facts: facts)
        }
        return (Self.visible(result.outcome), result.failure)
    }

    /// Forgets what the cache knows about `prefix`: the manager calls it after every change.
    package func forget(prefix: String) {
        cache?.invalidate(prefix: prefix)
    }

    /// Forgets everything the cache knows: when changes may have been missed.
    package func forgetEverything() {
        cache?.removeAll()
    }

    /// What a request may see of a granted row: its identity. (The checks refuse an unreadable
    /// row before; no identity is no grant.)
    private static func visible(_ outcome: APIKeyOutcome<APIKeyRow<Model>>) -> APIKeyOutcome<APIKeyIdentity<Model>> {
        outcome.map(orRefuse: .unreadableRecord) { $0.identity }
    }

    /// Whether a refusal is about a key that exists: not counted for no key, a malformed one or
    /// an unknown prefix, nor a failed checksum (anyone can send those, and no key's usage should fill with them).
    private static func isAboutAKey(_ denial: APIKeyDenial) -> Bool {
        denial != .missing && denial != .malformed && denial != .checksum && denial != .unknownPrefix
    }

    /// The prefix of a well-formed key; a malformed value is never logged, not even in part.
    private func prefix(of extraction: KeyExtraction) -> String? {
        extraction.presentedKey.flatMap(scheme.generator.prefix(ofPresentedKey:))
    }

    /// `outcome`, with a refusal logged (no key at `debug`, any other reason at `info` with the
    /// prefix) and counted in the key's usage when a key with that prefix exists.
    private func logged(
        _ outcome: APIKeyOutcome<APIKeyIdentity<Model>>, _ extraction: KeyExtraction, facts: APIKeyRequestFacts, logger: Logger
    ) -> APIKeyOutcome<APIKeyIdentity<Model>> {
        guard let denial = outcome.denial else {
            if let identity = outcome.identity { usageRecorder?.recordGranted(prefix: identity.prefix, at: facts.now) }
            return outcome
        }
        if denial == .rateLimited, let prefix = prefix(of: extraction) {
            usageRecorder?.recordRateLimited(prefix: prefix, at: facts.now)
            logger.info(
                "API key over its rate limit", metadata: [APIKeyLog.denialKey: .string(denial.code), APIKeyLog.prefixKey: .string(prefix)])
            return outcome
        }
        if let usageRecorder, Self.isAboutAKey(denial), let prefix = prefix(of: extraction) {
            usageRecorder.recordRefused(prefix: prefix, reason: denial.code, at: facts.now)
        }
        if denial == .missing {
            logger.debug("No API key", metadata: [APIKeyLog.denialKey: "missing"])
        } else {
            logger.info(
                "API key refused",
                metadata: [APIKeyLog.denialKey: .string(denial.code), APIKeyLog.prefixKey: .string(prefix(of: extraction) ?? "-")])
        }
        return outcome
    }
}

/// A store that never answers without waiting and is never asked otherwise: the cache alone
/// decides what is known at once.
struct NoStore<Model: APIKeyModel>: APIKeyStore {
    func record(forPrefix prefix: String) async throws -> APIKeyRow<Model>? { nil }
    func replaceHash(of record: APIKeyRow<Model>, with newHash: String) async throws {}
}
