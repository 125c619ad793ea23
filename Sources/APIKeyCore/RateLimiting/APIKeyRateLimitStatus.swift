/// Where a key stands against its rate limit after a request: what the `RateLimit-Policy`,
/// `RateLimit` (draft-ietf-httpapi-ratelimit-headers) and `Retry-After` fields tell the client.
///
/// ```swift
/// if let status = outcome.rateLimit, status.isLimited {
///     print("retry in \(status.retryAfter!) s")
/// }
/// for field in status.headerFields { response.headers.add(name: field.name, value: field.value) }
/// // RateLimit-Policy: "key";q=100;w=60
/// // RateLimit: "key";r=0;t=12
/// // Retry-After: 12
/// ```
public struct APIKeyRateLimitStatus: Sendable, Hashable {
    /// The key's limit.
    public let limit: RateLimit
    /// How many more requests would be admitted now.
    public let remaining: Int
    /// Seconds until the whole burst is available again.
    public let resetAfter: Int
    /// For a refused request: seconds until the next one is admitted; `nil` when admitted.
    public let retryAfter: Int?

    package init(limit: RateLimit, remaining: Int, resetAfter: Int, retryAfter: Int?) {
        self.limit = limit
        self.remaining = remaining
        self.resetAfter = resetAfter
        self.retryAfter = retryAfter
    }

    /// Whether the request was over the limit.
    public var isLimited: Bool { retryAfter != nil }

    /// The policy's name in the fields.
    static let policyName = #""key""#

    /// `RateLimit-Policy`, `RateLimit`, and for a refusal `Retry-After`.
    public var headerFields: [(name: String, value: String)] {
        var fields = [
            (name: "RateLimit-Policy", value: "\(Self.policyName);q=\(limit.requests);w=\(limit.period.seconds)"),
            (name: "RateLimit", value: "\(Self.policyName);r=\(remaining);t=\(retryAfter ?? resetAfter)"),
        ]
        if let retryAfter { fields.append((name: "Retry-After", value: String(retryAfter))) }
        return fields
    }
}
