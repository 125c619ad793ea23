#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Decides whether a presented key grants access: upstream's `HasAPIKey` check, typed.
///
/// A key is valid when, in this order (each step runs only if the one before passed):
/// 1. it has the shape of the scheme's keys (no lookup otherwise);
/// 2. the store has a usable key with its prefix (one lookup), and could read its row;
/// 3. that key is not revoked;
/// 4. the key matches the stored hash (one SHA-512 and a constant-time comparison; a legacy hash
///    that matches is rewritten to the preferred format on the spot);
/// 5. it has not expired (`expiresAt < now` is expired).
///
/// A well-formed key refused at step 2 or 3 is hashed all the same, so that every refusal of a
/// well-formed key costs one lookup and one hash, like a wrong secret.
///
/// ```swift
/// let verifier = APIKeyVerifier(store: store)
/// let outcome = try await verifier.verify(KeyHeader.authorization().extract(from: authorizationValues))
/// guard case .valid(let key) = outcome else { throw Abort(.unauthorized) }
/// ```
public struct APIKeyVerifier<Store: APIKeyStore>: Sendable {
    /// Where keys are looked up.
    public let store: Store
    /// How keys look and are hashed.
    public let scheme: KeyScheme
    private let now: @Sendable () -> Date

    /// A verifier over `store`.
    ///
    /// - Parameters:
    ///   - store: Where keys are looked up.
    ///   - scheme: How keys look and are hashed; the default is djangorestframework-api-key's.
    ///   - now: The clock for expiry; tests pass a fixed one.
    public init(store: Store, scheme: KeyScheme = KeyScheme(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.scheme = scheme
        self.now = now
    }

    /// Verifies what a request's key header held.
    ///
    /// - Throws: ``APIKeyStoreUnavailable`` when the store cannot answer.
    public func verify(_ extraction: KeyExtraction) async throws(APIKeyStoreUnavailable) -> APIKeyVerification<Store.Record> {
        switch extraction {
        case .missing: .denied(.missing)
        case .malformed: .denied(.malformed)
        case .key(let key): try await verify(presentedKey: key)
        }
    }

    /// Verifies a key as the client presented it.
    ///
    /// ```swift
    /// let outcome = try await verifier.verify(presentedKey: "abcdEFGH.0123456789abcdefghijABCDEFGHIJkl")
    /// ```
    /// - Throws: ``APIKeyStoreUnavailable`` when the store cannot answer, cannot store an
    ///   upgraded hash, or a legacy hash could not be checked now (``LegacyHashError/busy``).
    public func verify(presentedKey key: String) async throws(APIKeyStoreUnavailable) -> APIKeyVerification<Store.Record> {
        guard let prefix = scheme.generator.prefix(ofPresentedKey: key) else { return .denied(.malformed) }
        let found: Store.Record?
        do {
            found = try await store.record(forPrefix: prefix)
        } catch {
            throw APIKeyStoreUnavailable(error)
        }
        guard let record = found else { return .refused(.unknownPrefix, key, scheme: scheme) }
        guard record.isReadable else { return .refused(.unreadableRecord, key, scheme: scheme) }
        guard !record.isRevoked else { return .refused(.revoked, key, scheme: scheme) }
        guard record.isUsable else { return .refused(.unusable, key, scheme: scheme) }
        if let outcome = APIKeyVerification.inline(key, record, scheme: scheme, now: now) { return outcome }
        switch await scheme.check(key, against: record.hashedKey) {
        case .match:
            break
        case .matchNeedsUpgrade:
            // As upstream: upgraded even when expired, since the key itself is right.
            do {
                try await store.replaceHash(of: record, with: scheme.hasher.hash(key))
            } catch {
                throw APIKeyStoreUnavailable(error)
            }
        case .mismatch:
            return .denied(.mismatch)
        case .unverifiable:
            return .denied(.unverifiableHash)
        case .notChecked:
            // Fail closed, and say so: 503, not a refusal of a key that may be right.
            throw APIKeyStoreUnavailable(LegacyHashError.busy)
        }
        return .expiry(record, now: now)
    }

    /// Verifies without suspending when that is possible: when the key is missing or malformed,
    /// or the store knows the prefix without waiting (a cache hit) and its hash is in the
    /// preferred format. `nil` means ``verify(_:)`` must be awaited. The checks are the same.
    ///
    /// Frameworks use it to answer most requests on the thread that read them, with no task
    /// switch: a cache hit then costs one SHA-512 and nothing else.
    ///
    /// ```swift
    /// let outcome = verifier.verifyWithoutWaiting(extraction) ?? (try await verifier.verify(extraction))
    /// ```
    public func verifyWithoutWaiting(_ extraction: KeyExtraction) -> APIKeyVerification<Store.Record>? {
        .withoutWaiting(extraction, scheme: scheme, now: now, knownRecord: store.recordWithoutWaiting(forPrefix:))
    }
}

/// The checks themselves, shared by ``APIKeyVerifier`` and ``VerificationCache``.
extension APIKeyVerification where Record: APIKeyRecord {
    /// The checks of ``APIKeyVerifier/verify(_:)`` for a lookup answered at once by `knownRecord`; shared with
    /// ``VerificationCache/verifyWithoutWaiting(_:scheme:now:)``.
    static func withoutWaiting(
        _ extraction: KeyExtraction, scheme: KeyScheme, now: () -> Date, knownRecord: (String) -> Record??
    ) -> Self? {
        let key: String
        switch extraction {
        case .missing: return .denied(.missing)
        case .malformed: return .denied(.malformed)
        case .key(let presented): key = presented
        }
        guard let prefix = scheme.generator.prefix(ofPresentedKey: key) else { return .denied(.malformed) }
        guard let found = knownRecord(prefix) else { return nil }
        guard let record = found else { return .refused(.unknownPrefix, key, scheme: scheme) }
        guard record.isReadable else { return .refused(.unreadableRecord, key, scheme: scheme) }
        guard !record.isRevoked else { return .refused(.revoked, key, scheme: scheme) }
        guard record.isUsable else { return .refused(.unusable, key, scheme: scheme) }
        return inline(key, record, scheme: scheme, now: now)
    }

    /// The outcome for a hash in the preferred format (one SHA-512, a constant-time comparison);
    /// `nil` for a legacy hash, which needs ``KeyScheme/check(_:against:)`` off this thread.
    static func inline(
        _ key: String, _ record: Record, scheme: KeyScheme, now: () -> Date
    ) -> Self? {
        guard scheme.hasher.isPreferred(record.hashedKey) else { return nil }
        guard scheme.hasher.verify(key, against: record.hashedKey) else { return .denied(.mismatch) }
        return expiry(record, now: now)
    }

    /// A refusal decided before any hash, after hashing `key` anyway: then an unknown prefix or
    /// a revoked key costs the same work as a wrong secret, and timing does not tell them apart.
    static func refused(_ denial: APIKeyDenial, _ key: String, scheme: KeyScheme) -> Self {
        _ = scheme.hasher.hash(key)
        return .denied(denial)
    }

    static func expiry(_ record: Record, now: () -> Date) -> Self {
        record.hasExpired(at: now()) ? .denied(.expired) : .valid(record)
    }
}
