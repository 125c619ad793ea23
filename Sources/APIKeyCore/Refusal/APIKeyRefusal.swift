/// How a refused request is answered, whatever the framework: a status, a reason for people and,
/// for a 401, the `WWW-Authenticate` challenge.
///
/// The reason never says why a key was refused: an unknown prefix, a wrong secret, a revoked and
/// an expired key all get ``invalidKey(challenge:)``, so that answers never tell which prefixes
/// exist. Frameworks render it in their own error shape; apps may replace that rendering.
///
/// ```swift
/// let refusal = credentials.refusal(challenge: "Api-Key")
/// refusal.statusCode  // 401
/// refusal.reason      // "Authentication credentials were not provided."
/// refusal.challenge   // "Api-Key"
/// ```
public struct APIKeyRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status code: 401, 403, 429 or 503.
    public let statusCode: Int
    /// A sentence for people; fixed text, with no quotes or backslashes.
    public let reason: String
    /// The `WWW-Authenticate` value: for a 401, and for a 403 that names the scopes a key lacks.
    public let challenge: String?
    /// For a 429: where the key stands against its rate limit.
    public let rateLimit: APIKeyRateLimitStatus?

    /// A refusal with every field given.
    package init(statusCode: Int, reason: String, challenge: String? = nil, rateLimit: APIKeyRateLimitStatus? = nil) {
        self.statusCode = statusCode
        self.reason = reason
        self.challenge = challenge
        self.rateLimit = rateLimit
    }

    /// The header fields the response carries: `WWW-Authenticate` when there is a challenge;
    /// `RateLimit-Policy`, `RateLimit` and `Retry-After` for a 429.
    ///
    /// ```swift
    /// for field in refusal.headerFields { response.headers.add(name: field.name, value: field.value) }
    /// ```
    public var headerFields: [(name: String, value: String)] {
        var fields = challenge.map { [(name: "WWW-Authenticate", value: $0)] } ?? []
        if let rateLimit { fields += rateLimit.headerFields }
        return fields
    }

    /// 401: the request carried no credentials that any check accepted, and no key.
    package static func noCredentials(challenge: String) -> APIKeyRefusal {
        APIKeyRefusal(statusCode: 401, reason: "Authentication credentials were not provided.", challenge: challenge)
    }

    /// 401: the request carried a key that is not valid, for whatever reason.
    package static func invalidKey(challenge: String) -> APIKeyRefusal {
        APIKeyRefusal(statusCode: 401, reason: "The API key is not valid.", challenge: challenge)
    }

    /// 403: the request's credentials were accepted, but a rule still refuses it.
    package static let forbidden = APIKeyRefusal(statusCode: 403, reason: "You do not have permission to perform this action.")

    /// 403: a valid key without the scopes the route requires, with the challenge RFC 6750 §3
    /// gives bearer tokens: `Api-Key error="insufficient_scope", scope="reports:write"`.
    package static func insufficientScope(_ missing: [String], challenge: String) -> APIKeyRefusal {
        // The challenge is `Api-Key` or `Api-Key header="X-Api-Key"`: parameters follow the
        // scheme after a space, and each other after a comma.
        let separator = challenge.contains(" ") ? ", " : " "
        // Scope names hold no quotes or spaces (DeclaredScopes checks): no escaping needed. A
        // requirement that a scope be absent has nothing to name.
        let scope = missing.isEmpty ? "" : #", scope="\#(missing.joined(separator: " "))""#
        return APIKeyRefusal(
            statusCode: 403, reason: "The API key does not have the scopes this action requires.",
            challenge: #"\#(challenge)\#(separator)error="insufficient_scope"\#(scope)"#)
    }

    /// 429: a valid key over its rate limit; `Retry-After` says when to try again.
    package static func rateLimited(_ status: APIKeyRateLimitStatus) -> APIKeyRefusal {
        APIKeyRefusal(
            statusCode: 429, reason: "Too many requests with this API key. Retry after the time in Retry-After.", rateLimit: status)
    }

    /// 503: the key could not be checked (the key store did not answer). The request fails
    /// closed: it is never granted.
    package static let unavailable = APIKeyRefusal(statusCode: 503, reason: "The API key could not be checked. Try again later.")

    /// `401: Authentication credentials were not provided.`
    public var description: String { "\(statusCode): \(reason)" }
}
