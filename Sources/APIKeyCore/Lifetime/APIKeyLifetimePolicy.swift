#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// How long keys may live: a default expiry for keys created without one, and a maximum that no
/// key may ask to exceed. Nothing by default: keys live until revoked.
///
/// ```swift
/// settings.lifetime = try APIKeyLifetimePolicy(default: .seconds(90 * 86_400), maximum: .seconds(365 * 86_400))
/// settings.setLifetime(try APIKeyLifetimePolicy(maximum: .seconds(30 * 86_400)), for: PartnerKey.self)
/// ```
public struct APIKeyLifetimePolicy: Sendable, Hashable {
    /// How long a key created without an expiry lives; `nil` for until revoked (or ``maximum``).
    public let defaultLifetime: Duration?
    /// The longest a key may live from its creation (or from an edit of its expiry); `nil` for no
    /// limit.
    public let maximum: Duration?

    /// No default and no maximum: keys live until revoked, as djangorestframework-api-key's do.
    public static let unlimited = APIKeyLifetimePolicy(checkedDefault: nil, maximum: nil)

    /// The longest lifetime accepted: a hundred years.
    static let longest = Duration.seconds(100 * 366 * 86_400)

    /// A policy; a key created without an expiry gets `default` (or `maximum` when there is no
    /// default), and one asking for more than `maximum` is refused.
    ///
    /// - Throws: `APIKeyFieldError` for `expires_at` when a length is not above zero, is over a
    ///   hundred years, or the default exceeds the maximum.
    public init(default defaultLifetime: Duration? = nil, maximum: Duration? = nil) throws(APIKeyFieldError) {
        for length in [defaultLifetime, maximum].compactMap({ $0 }) where length <= .zero || length > Self.longest {
            throw APIKeyFieldError(field: .expiresAt, description: "A key's lifetime is more than 0 seconds and at most 100 years.")
        }
        if let defaultLifetime, let maximum, defaultLifetime > maximum {
            throw APIKeyFieldError(field: .expiresAt, description: "A key's default lifetime cannot be longer than its maximum lifetime.")
        }
        self.init(checkedDefault: defaultLifetime, maximum: maximum)
    }

    private init(checkedDefault: Duration?, maximum: Duration?) {
        self.defaultLifetime = checkedDefault
        self.maximum = maximum
    }

    /// The expiry a key made or changed at `now` gets when `requested` is asked for: the default
    /// for none, the request itself within the maximum.
    ///
    /// - Throws: `APIKeyFieldError` for `expires_at`, saying the latest expiry accepted.
    package func expiry(requested: Date?, now: Date) throws(APIKeyFieldError) -> Date? {
        let latest = maximum.map { now.addingTimeInterval($0.timeInterval) }
        guard let requested else {
            return defaultLifetime.map { now.addingTimeInterval($0.timeInterval) } ?? latest
        }
        if let latest, requested > latest {
            throw APIKeyFieldError(
                field: .expiresAt,
                description: "Keys live at most \(Self.describe(maximum!)) here: give an expiry no later than \(CivilTime(latest).utcDisplay).")
        }
        return requested
    }

    /// `90 days`, `12 hours`, `1 day 6 hours`: for messages.
    package static func describe(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        let parts: [(Int64, String)] = [(86_400, "day"), (3_600, "hour"), (60, "minute"), (1, "second")]
        var rest = seconds
        var words: [String] = []
        for (size, unit) in parts where rest >= size {
            let count = rest / size
            rest -= count * size
            words.append("\(count) \(unit)\(count == 1 ? "" : "s")")
            if words.count == 2 { break }
        }
        return words.isEmpty ? "0 seconds" : words.joined(separator: " ")
    }

}
