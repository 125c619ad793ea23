/// Why a key was refused: a stable code for logs and metrics, and the HTTP status the refusal
/// gets.
///
/// New reasons are added as the library grows, so match the ones you care about and keep a
/// default, as with swift-http-types' `HTTPResponse.Status`:
///
/// ```swift
/// switch outcome.denial {
/// case .revoked?, .expired?: metrics.increment("stale_key")
/// case let denial?: logger.info("refused", metadata: ["reason": "\(denial)"])
/// case nil: break
/// }
/// ```
///
/// What a client is told must not depend on the reason beyond "no key" versus "bad key": telling
/// ``unknownPrefix`` from ``mismatch`` would reveal which prefixes exist. Every reason of this
/// library's own is a 401 unless it says otherwise.
public struct APIKeyDenial: Sendable, Hashable, CustomStringConvertible {
    /// The snake-case code, for logs and metric labels: `unknown_prefix`. Stable across versions.
    public let code: String
    /// The status a request refused for this reason gets: 401 for a key that is not valid,
    /// whatever the reason, so that a refusal never tells which. A rule may refuse a valid key
    /// with 403 (only a holder of the real key learns why); a valid key over its rate limit gets
    /// 429.
    public let statusCode: Int

    /// A reason of your own, for an ``APIKeyRule``: `code` is a short snake-case name for logs
    /// and metrics; the request is answered 401 (the key is not valid) or 403 (it is, but this
    /// request may not use it).
    ///
    /// ```swift
    /// static let partnerSuspended = APIKeyDenial(code: "partner_suspended", statusCode: 403)
    /// ```
    public init(code: String, statusCode: Int = 401) {
        precondition(statusCode == 401 || statusCode == 403, "a key is refused with 401 or 403")
        self.init(checkedCode: code, statusCode: statusCode)
    }

    private init(checkedCode code: String, statusCode: Int) {
        self.code = code
        self.statusCode = statusCode
    }

    /// The request carried no key.
    public static let missing = APIKeyDenial(code: "missing")
    /// The request carried something that cannot be a key: wrong shape, length or encoding.
    public static let malformed = APIKeyDenial(code: "malformed")
    /// The key has the app's tagged format (``TaggedKeyGenerator``), but its checksum fails: a
    /// typo or made-up text, refused before any lookup or hash.
    public static let checksum = APIKeyDenial(code: "checksum")
    /// No key has this prefix.
    public static let unknownPrefix = APIKeyDenial(code: "unknown_prefix")
    /// The prefix is known but the key does not match its hash.
    public static let mismatch = APIKeyDenial(code: "mismatch")
    /// The key was revoked.
    public static let revoked = APIKeyDenial(code: "revoked")
    /// The prefix exists, but the key's model does not let it be used (its `usableKeys` rule: say,
    /// its owner is inactive).
    public static let unusable = APIKeyDenial(code: "unusable")
    /// The key matches but expired.
    public static let expired = APIKeyDenial(code: "expired")
    /// The stored hash is in a format that cannot be verified (or exceeds the work limits).
    public static let unverifiableHash = APIKeyDenial(code: "unverifiable_hash")
    /// The key is suspended (until it is resumed).
    public static let suspended = APIKeyDenial(code: "suspended")
    /// The key is valid, but the request does not come from an address on its allowlist: 403, so
    /// that only a holder of the real key learns the address is the problem.
    public static let addressNotAllowed = APIKeyDenial(code: "address_not_allowed", statusCode: 403)
    /// The key is valid, but over its rate limit: 429, with `Retry-After` and the `RateLimit`
    /// fields. Never a 401: the client's key is fine, it must slow down.
    public static let rateLimited = APIKeyDenial(checkedCode: "rate_limited", statusCode: 429)
    /// The key's row could not be read (a column holds a value of the wrong kind, such as a date
    /// that is not a date): it is refused until someone repairs the row.
    public static let unreadableRecord = APIKeyDenial(code: "unreadable_record")

    /// Every reason of the library's own.
    package static var libraryReasons: [APIKeyDenial] {
        [.missing, .malformed, .checksum, .unknownPrefix, .mismatch, .revoked, .unusable, .expired, .unverifiableHash, .suspended, .addressNotAllowed,
         .unreadableRecord, .rateLimited]
    }

    /// The code: `unknown_prefix`.
    public var description: String { code }
}
