#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// What a key did, as last written: when it was last used, and its requests per day by
/// outcome. Days are UTC; a day without requests is listed with zeros, so that a chart or a
/// table has every day.
///
/// ```swift
/// let usage = try await keys.usage(of: "C7oAzBnJ", days: 30)
/// print(usage.lastUsedAt ?? "never", usage.days.map(\.granted).reduce(0, +))
/// ```
///
/// As JSON (`api-keys usage PREFIX --json`):
///
/// ```json
/// {"prefix": "C7oAzBnJ", "last_used_at": "2026-12-04T09:12:03Z",
///  "days": [{"day": "2026-12-04", "granted": 120, "rate_limited": 3, "refused": {"expired": 0, "mismatch": 2}}]}
/// ```
public struct APIKeyUsage: Codable, Sendable, Hashable {
    /// The key's prefix.
    public let prefix: String
    /// When a request last used it; `nil` if never (or not since usage was kept).
    public let lastUsedAt: Date?
    /// One entry per day, oldest first, today last.
    public let days: [APIKeyDailyUsage]

    package init(prefix: String, lastUsedAt: Date?, days: [APIKeyDailyUsage]) {
        self.prefix = prefix
        self.lastUsedAt = lastUsedAt
        self.days = days
    }

    enum CodingKeys: String, CodingKey {
        case prefix, days
        case lastUsedAt = "last_used_at"
    }

    /// Every field, every time (`"last_used_at": null` for a key never used).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(prefix, forKey: .prefix)
        try container.encode(lastUsedAt, forKey: .lastUsedAt)
        try container.encode(days, forKey: .days)
    }
}

/// One key's requests on one UTC day.
///
/// ```swift
/// for day in usage.days { print(day.day, day.granted, day.refusedTotal, day.rateLimited) }
/// ```
public struct APIKeyDailyUsage: Codable, Sendable, Hashable {
    /// The day, `2026-12-04` (UTC).
    public let day: String
    /// Requests the key was granted.
    public let granted: Int
    /// Requests refused over the key's rate limit.
    public let rateLimited: Int
    /// Requests with this key's prefix that were refused, by reason (`mismatch`, `expired`,
    /// `revoked`, …: an `APIKeyDenial`'s code).
    public let refused: [String: Int]

    package init(day: String, granted: Int, rateLimited: Int, refused: [String: Int]) {
        self.day = day
        self.granted = granted
        self.rateLimited = rateLimited
        self.refused = refused
    }

    /// Every refusal of the day, whatever its reason.
    public var refusedTotal: Int { refused.values.reduce(0, +) }

    enum CodingKeys: String, CodingKey {
        case day, granted, refused
        case rateLimited = "rate_limited"
    }
}
