public import FluentKit
public import Logging

/// Everything about one key model in one app: its scheme, its verification cache, its clock and
/// what it logs. Verification and the ``APIKeyManager`` both come from it, so a change made through
/// the manager reaches the very cache that requests read.
///
/// It knows no web framework: glue reads the key from a request (``APIKeyCore/KeyHeader``),
/// asks ``authenticate(_:on:logger:)`` and answers with ``APIKeyCore/PresentedCredentials``.
/// An app normally gets its services from ``APIKeyServices``, one per model.
///
/// ```swift
/// let service = APIKeyService(APIKey.self)
/// let extraction = KeyHeader.authorization().extract(from: headerValues)
/// switch await service.authenticate(extraction, on: database, logger: logger) {
/// case .authenticated(let identity): print("Hello, \(identity.name)")
/// case .refused, .unavailable: print("refused")
/// }
/// let (record, key) = try await service.manager(on: database).createKey(name: "partner")
/// ```
public final class APIKeyService<Model: APIKeyModel>: Sendable {
    /// The settings it was made with.
    public let settings: APIKeySettings
    /// What verification learned, shared by every request of the app; `nil` when the cache is off.
    public let cache: VerificationCache<APIKeyRow<Model>>?

    /// The service for `model` keys.
    public init(_ model: Model.Type, settings: APIKeySettings = APIKeySettings()) {
        self.settings = settings
        self.cache = settings.cache.map { VerificationCache($0) }
    }

    /// How keys are made and checked.
    public var scheme: KeyScheme { settings.scheme }

    /// A manager for the keys on `database`, sharing this service's scheme, clock and cache.
    ///
    /// ```swift
    /// let (record, key) = try await service.manager(on: db).createKey(name: "nightly-export")
    /// ```
    public func manager(on database: any Database) -> APIKeyManager<Model> {
        APIKeyManager(on: database, service: self)
    }

    /// Verifies what a request presented, from the cache when it can and from `database`
    /// otherwise, and logs a refusal as ``APIKeyLog`` says. Never throws: a key store that does not
    /// answer is ``APIKeyAuthentication/unavailable``, logged at `error`.
    ///
    /// - Parameters:
    ///   - extraction: What the request's key header held, or a custom extraction.
    ///   - database: Where to look on a miss; not evaluated on a cache hit.
    ///   - logger: The request's logger.
    public func authenticate(
        _ extraction: KeyExtraction, on database: @autoclosure () -> any Database, logger: Logger
    ) async -> APIKeyAuthentication<Model> {
        if let known = authenticateWithoutWaiting(extraction, logger: logger) { return known }
        do {
            switch try await verify(extraction, on: database()) {
            case .valid(let identity): return .authenticated(identity)
            case .denied(let reason): return refused(reason, extraction, logger: logger)
            }
        } catch {
            // The key store did not answer, or a legacy hash could not be checked now (busy).
            logger.error(
                error.underlying is LegacyHashError
                    ? "API key check failed: too many legacy hashes are waiting to be checked"
                    : "API key check failed: the key store is unavailable",
                metadata: [APIKeyLog.prefixKey: .string(prefix(of: extraction) ?? "-"), "error": "\(error.underlying)"])
            return .unavailable
        }
    }

    /// The outcome of ``authenticate(_:on:logger:)`` when it is known without waiting (no key, a
    /// malformed one, or a cache hit with a hash in the preferred format), so that glue can answer
    /// on the thread that read the request; `nil` when the database must be asked.
    public func authenticateWithoutWaiting(_ extraction: KeyExtraction, logger: Logger) -> APIKeyAuthentication<Model>? {
        let known: APIKeyVerification<APIKeyRow<Model>>?
        if let cache {
            known = cache.verifyWithoutWaiting(extraction, scheme: settings.scheme, now: settings.now())
        } else {
            switch extraction {
            case .missing: known = .denied(.missing)
            case .malformed: known = .denied(.malformed)
            case .key: known = nil
            }
        }
        // A switch, not `map` and a key path: this runs on every request, and generic closures
        // and key paths instantiate type metadata at run time on each call.
        switch known {
        case nil: return nil
        case .valid(let row):
            // The verifier refuses an unreadable row before this; no identity is no grant.
            guard let identity = row.identity else { return refused(.unreadableRecord, extraction, logger: logger) }
            return .authenticated(identity)
        case .denied(let reason): return refused(reason, extraction, logger: logger)
        }
    }

    /// The full check of a presented key, with upgrade on use, as code outside requests needs it.
    ///
    /// - Throws: ``APIKeyCore/APIKeyStoreUnavailable`` when the database cannot answer.
    public func verify(
        _ extraction: KeyExtraction, on database: any Database
    ) async throws(APIKeyStoreUnavailable) -> APIKeyVerification<APIKeyIdentity<Model>> {
        let store = FluentAPIKeyStore(Model.self, on: database)
        let outcome: APIKeyVerification<APIKeyRow<Model>>
        if let cache {
            outcome = try await APIKeyVerifier(store: CachedAPIKeyStore(store, cache: cache), scheme: settings.scheme, now: settings.now)
                .verify(extraction)
        } else {
            outcome = try await APIKeyVerifier(store: store, scheme: settings.scheme, now: settings.now).verify(extraction)
        }
        switch outcome {
        case .valid(let row):
            // The verifier refuses an unreadable row before this; no identity is no grant.
            guard let identity = row.identity else { return .denied(.unreadableRecord) }
            return .valid(identity)
        case .denied(let reason):
            return .denied(reason)
        }
    }

    /// Forgets what the cache knows about `prefix`: the manager calls it after every change.
    public func forget(prefix: String) {
        cache?.invalidate(prefix: prefix)
    }

    /// Forgets everything the cache knows: when changes may have been missed.
    public func forgetEverything() {
        cache?.removeAll()
    }

    /// The prefix of a well-formed key; a malformed value is never logged, not even in part.
    private func prefix(of extraction: KeyExtraction) -> String? {
        extraction.presentedKey.flatMap(settings.scheme.generator.prefix(ofPresentedKey:))
    }

    /// A refusal, logged: no key at `debug`, any other reason at `info` with the prefix.
    private func refused(_ reason: APIKeyDenial, _ extraction: KeyExtraction, logger: Logger) -> APIKeyAuthentication<Model> {
        if reason == .missing {
            logger.debug("No API key", metadata: [APIKeyLog.denialKey: "missing"])
        } else {
            logger.info(
                "API key refused",
                metadata: [APIKeyLog.denialKey: .string(reason.rawValue), APIKeyLog.prefixKey: .string(prefix(of: extraction) ?? "-")])
        }
        return .refused(reason)
    }
}
