#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A key that was rotated and still works for its grace period: when it was replaced, and when
/// it stops working. Responses to requests that carry it say so in the `Deprecation` (RFC 9745)
/// and `Sunset` (RFC 8594) fields, so that its client learns to switch before it is too late.
///
/// ```swift
/// if let deprecation = key.deprecation {
///     req.logger.warning("A client still uses a rotated key", metadata: ["until": "\(deprecation.sunset)"])
/// }
/// // Deprecation: @1764849600
/// // Sunset: Fri, 05 Dec 2025 12:00:00 GMT
/// ```
public struct APIKeyDeprecation: Sendable, Hashable {
    /// When the key was replaced by a new one.
    public let replacedAt: Date
    /// When it stops working: the end of its grace period (or its own expiry, if sooner).
    public let sunset: Date

    /// A deprecation; the manager makes them when it rotates a key.
    public init(replacedAt: Date, sunset: Date) {
        self.replacedAt = replacedAt
        self.sunset = sunset
    }

    /// `Deprecation: @<seconds since 1970>` and `Sunset: <HTTP-date>`.
    public var headerFields: [(name: String, value: String)] {
        [
            (name: "Deprecation", value: "@\(HTTPDate.seconds(replacedAt))"),
            (name: "Sunset", value: HTTPDate.imfFixdate(sunset)),
        ]
    }
}

/// Dates as HTTP writes them, without a formatter (FoundationEssentials has none): the
/// IMF-fixdate of RFC 9110, `Sun, 06 Nov 1994 08:49:37 GMT`.
package enum HTTPDate {
    /// Whole seconds since 1970, rounded down; 0 for a date that is not a number.
    package static func seconds(_ date: Date) -> Int64 {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite, abs(interval) < 1e14 else { return 0 }
        return Int64(interval.rounded(.down))
    }

    /// `date` as an IMF-fixdate, in GMT.
    package static func imfFixdate(_ date: Date) -> String {
        let seconds = seconds(date)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        let (year, month, day) = civil(days)
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        return "\(weekday), \(two(day)) \(months[month - 1]) \(four(year)) \(two(Int(time / 3600))):\(two(Int(time % 3600 / 60))):\(two(Int(time % 60))) GMT"
    }

    /// The year, month and day of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
    private static func civil(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), Int(month), Int(day))
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    private static func four(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }
}
