/// What checking a request's key came to: the key's identity, a refusal with its reason, or no
/// answer from the key store (the request must then fail closed, with 503).
///
/// More kinds of outcome may come, so read it through its properties rather than by its cases:
///
/// ```swift
/// let outcome = await verifier.verify(extraction)
/// if let key = outcome.identity {
///     print("Hello, \(key.prefix)")
/// } else if outcome.isUnavailable {
///     throw ServiceUnavailable()          // never a grant
/// } else if let denial = outcome.denial {
///     logger.info("refused", metadata: ["reason": "\(denial)"])
/// }
/// ```
public struct APIKeyOutcome<Identity: Sendable>: Sendable {
    // Inlinable, with what they read: every request reads them, and inlined into a caller that knows
    // `Identity` they look up no generic metadata (which they did, about 0.7% of a cache hit's CPU).
    @usableFromInline enum Kind: Sendable {
        case granted(Identity)
        case refused(APIKeyDenial)
        case unavailable
    }

    @usableFromInline let kind: Kind
    /// Where the key stands against its rate limit, when it has one: for a grant, and for a
    /// refusal with ``APIKeyDenial/rateLimited``.
    public let rateLimit: APIKeyRateLimitStatus?

    @usableFromInline init(_ kind: Kind, rateLimit: APIKeyRateLimitStatus? = nil) {
        self.kind = kind
        self.rateLimit = rateLimit
    }

    /// The key is valid; this is who the request is.
    @inlinable package static func granted(_ identity: Identity, rateLimit: APIKeyRateLimitStatus? = nil) -> Self {
        Self(.granted(identity), rateLimit: rateLimit)
    }

    /// No key, or a key that is not valid, for this reason (for logs and metrics only).
    @inlinable package static func refused(_ denial: APIKeyDenial) -> Self { Self(.refused(denial)) }

    /// A valid key over its rate limit.
    package static func rateLimited(_ status: APIKeyRateLimitStatus) -> Self { Self(.refused(.rateLimited), rateLimit: status) }

    /// The key store did not answer, or the key could not be checked now: the request must not be
    /// granted on this key.
    @inlinable package static var unavailable: Self { Self(.unavailable) }

    /// Who the request is, if the key is valid.
    @inlinable public var identity: Identity? {
        if case .granted(let identity) = kind { return identity }
        return nil
    }

    /// Whether the key was granted, without copying its identity: for glue on the hot path.
    @inlinable package var isGranted: Bool {
        if case .granted = kind { return true }
        return false
    }

    /// Why the key was refused, if it was.
    @inlinable public var denial: APIKeyDenial? {
        if case .refused(let denial) = kind { return denial }
        return nil
    }

    /// Whether the key could not be checked at all.
    @inlinable public var isUnavailable: Bool {
        if case .unavailable = kind { return true }
        return false
    }

    /// The same outcome with the identity transformed, e.g. from a stored row to what a request
    /// may see; a transform that finds nothing to grant refuses with `denial`.
    ///
    /// ```swift
    /// let visible = outcome.map { row in row.identity }
    /// ```
    @inlinable package func map<Other: Sendable>(
        orRefuse denial: APIKeyDenial = .unreadableRecord, _ transform: (Identity) throws -> Other?
    ) rethrows -> APIKeyOutcome<Other> {
        switch kind {
        case .granted(let identity):
            guard let other = try transform(identity) else { return .refused(denial) }
            return .granted(other, rateLimit: rateLimit)
        case .refused(let reason): return APIKeyOutcome<Other>(.refused(reason), rateLimit: rateLimit)
        case .unavailable: return .unavailable
        }
    }
}
