public import CoreMetrics
public import Tracing

/// How an app's keys are made, checked and remembered, whatever its framework: what every key
/// model of the app shares. Each value is valid by construction;
/// `VerificationCachePolicy` refuses a cache that cannot work when it is made.
///
/// Vapor sets them one by one (`app.apiKeys.cache = …`); Hummingbird's `APIKeys` takes them
/// whole.
///
/// ```swift
/// var settings = APIKeySettings()
/// settings.cache = try VerificationCachePolicy(timeToLive: .milliseconds(250))
/// settings.rules.append(BusinessHoursOnly())
/// settings.scopes = DeclaredScopes(ReportScope.self)
/// settings.trustedProxies = try TrustedProxies(["10.0.0.0/8"])
/// ```
public struct APIKeySettings: Sendable {
    /// How keys are made and checked, for every key model without a scheme of its own
    /// (``setScheme(_:for:)``); djangorestframework-api-key 3.x's by default.
    public var scheme: KeyScheme
    private var modelSchemes: [ObjectIdentifier: KeyScheme] = [:]
    /// How long verified lookups are remembered in this process, and how many; `nil` asks the
    /// database on every request. One second and 100,000 prefixes by default.
    public var cache: VerificationCachePolicy?
    /// The time expiries and the cache read; tests set one they move by hand.
    public var clock: APIKeyClock
    /// The app's own rules, checked on every request after the library's.
    public var rules: [any APIKeyRule]
    /// The scopes keys may be given; none by default.
    public var scopes: DeclaredScopes
    /// The proxies whose forwarded header names the client, for IP allowlists; none by default
    /// (the client is the connection's peer).
    public var trustedProxies: TrustedProxies
    /// How keys' last use and daily counts are gathered and written; every minute by default,
    /// `nil` for none. Written by the app's usage writer (Vapor: while the app runs; Hummingbird:
    /// the `APIKeys` service), into the tables of `CreateAPIKeyUsage`.
    public var usage: APIKeyUsagePolicy?
    /// The rate limit of keys that have none of their own, for every key model without a
    /// default of its own (``setDefaultRateLimit(_:for:)``); none by default.
    public var defaultRateLimit: RateLimit?
    /// Whether a request admitted under its key's limit carries `RateLimit-Policy` and
    /// `RateLimit` too, so that a client can pace itself; a refusal (429) always does. On by
    /// default; keys without a limit get none.
    public var rateLimitFieldsOnEveryResponse = true
    /// Where rate limits are counted: in each instance (`.perInstance`, the default, exact for
    /// one instance), or across every instance on the app's database
    /// (`.acrossInstances()`, with the tables of `CreateAPIKeyRateBudgets`).
    ///
    /// ```swift
    /// settings.rateLimitSharing = .acrossInstances(whenUnreachable: .refuse)
    /// ```
    public var rateLimitSharing: RateLimitSharing = .perInstance
    private var modelRateLimits: [ObjectIdentifier: RateLimit?] = [:]
    /// How long keys may live: a default expiry and a maximum, for every key model without a
    /// policy of its own (``setLifetime(_:for:)``); unlimited by default.
    ///
    /// ```swift
    /// settings.lifetime = try APIKeyLifetimePolicy(default: .seconds(90 * 86_400), maximum: .seconds(365 * 86_400))
    /// ```
    public var lifetime: APIKeyLifetimePolicy = .unlimited
    private var modelLifetimes: [ObjectIdentifier: APIKeyLifetimePolicy] = [:]
    /// Whether every key event (`APIKeyEvents`: created, revoked, rotated, …) is also written
    /// to `api_key_events` (``CreateAPIKeyEvents``), by the process that made the change, so that
    /// the admin panel and `api-keys events` show one record of every instance's and command's
    /// changes. Off by default.
    ///
    /// ```swift
    /// settings.recordsEvents = true
    /// ```
    public var recordsEvents = false
    /// Where verifications, cache lookups, rate-limit refusals and usage writes are counted; the
    /// process's `MetricsSystem` when `nil` (bootstrap it before the app's first request). See
    /// `APIKeyMetrics` names in the Usage and rate limits article.
    public var metricsFactory: (any MetricsFactory)?
    /// Where a verification that asks the database reports its span (`api_key.verify`, with the
    /// key's prefix); the process's `InstrumentationSystem.tracer` when `nil`.
    public var tracer: (any Tracer)?

    /// Gives the keys of `model` that have no limit of their own `limit` (`nil`: none), instead
    /// of ``defaultRateLimit``.
    ///
    /// ```swift
    /// settings.setDefaultRateLimit(try RateLimit(1000, per: .hour), for: PartnerKey.self)
    /// ```
    public mutating func setDefaultRateLimit(_ limit: RateLimit?, for model: any APIKeyModel.Type) {
        modelRateLimits[ObjectIdentifier(model)] = .some(limit)
    }

    /// Makes and checks the keys of `model` with `scheme`, instead of ``scheme``: a key format of
    /// their own, say.
    ///
    /// ```swift
    /// settings.setScheme(KeyScheme(generator: try TaggedKeyGenerator(tag: "acme_live")), for: PartnerKey.self)
    /// ```
    public mutating func setScheme(_ scheme: KeyScheme, for model: any APIKeyModel.Type) {
        modelSchemes[ObjectIdentifier(model)] = scheme
    }

    /// How `model`'s keys are made and checked. A table Django reads too
    /// (`APIKeyModel.isReadByDjango`) keeps djangorestframework-api-key's format and SHA-512
    /// hashes: a scheme with a pepper, a tag or another prefix length is not used for it.
    public func scheme(for model: any APIKeyModel.Type) -> KeyScheme {
        let chosen = requestedScheme(for: model)
        guard model.isReadByDjango, !Self.djangoCanRead(chosen) else { return chosen }
        return KeyScheme(legacyHashes: chosen.legacyHashes)
    }

    /// The scheme set for `model`, or the app's, before a table Django reads has kept its own.
    package func requestedScheme(for model: any APIKeyModel.Type) -> KeyScheme {
        modelSchemes[ObjectIdentifier(model)] ?? scheme
    }

    /// Whether Django could check keys made by `scheme`: `<8 characters>.<secret>`, SHA-512.
    package static func djangoCanRead(_ scheme: KeyScheme) -> Bool {
        scheme.hasher is SHA512KeyHasher && (scheme.generator as? AlphanumericKeyGenerator)?.prefixLength == 8
    }

    /// Gives the keys of `model` a lifetime policy of their own, instead of ``lifetime``.
    ///
    /// ```swift
    /// settings.setLifetime(try APIKeyLifetimePolicy(maximum: .seconds(30 * 86_400)), for: PartnerKey.self)
    /// ```
    public mutating func setLifetime(_ policy: APIKeyLifetimePolicy, for model: any APIKeyModel.Type) {
        modelLifetimes[ObjectIdentifier(model)] = policy
    }

    /// The lifetime policy of `model`'s keys.
    public func lifetime(for model: any APIKeyModel.Type) -> APIKeyLifetimePolicy {
        modelLifetimes[ObjectIdentifier(model)] ?? lifetime
    }

    /// The limit of `model`'s keys that have none of their own.
    public func defaultRateLimit(for model: any APIKeyModel.Type) -> RateLimit? {
        modelRateLimits[ObjectIdentifier(model)] ?? defaultRateLimit
    }

    /// Settings; the defaults match djangorestframework-api-key 3.x, with a one-second cache.
    public init(
        scheme: KeyScheme = KeyScheme(), cache: VerificationCachePolicy? = .standard, clock: APIKeyClock = .system,
        rules: [any APIKeyRule] = [], scopes: DeclaredScopes = .none, trustedProxies: TrustedProxies = .none,
        usage: APIKeyUsagePolicy? = .standard, defaultRateLimit: RateLimit? = nil
    ) {
        self.scheme = scheme
        self.cache = cache
        self.clock = clock
        self.rules = rules
        self.scopes = scopes
        self.trustedProxies = trustedProxies
        self.usage = usage
        self.defaultRateLimit = defaultRateLimit
    }
}
