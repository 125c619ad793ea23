import APIKeyCore
package import Foundation

/// Dates typed by people, in the commands and the admin panels of every framework: strict, UTC
/// unless an offset is given.
package enum DateInput {
    package struct Invalid: Error, CustomStringConvertible {
        let text: String
        package var description: String {
            let redacted = SecretRedaction.redact(text)
            let shown = redacted.count > 40 ? redacted.prefix(40) + "…" : redacted
            return "\"\(shown)\" is not a date: use YYYY-MM-DD, YYYY-MM-DD HH:MM (UTC) or an ISO 8601 date-time such as 2027-01-31T12:00:00Z"
        }
    }

    /// Accepts `YYYY-MM-DD` (midnight UTC), `YYYY-MM-DD HH:MM` or `YYYY-MM-DDTHH:MM` (UTC, as an
    /// HTML datetime-local field sends it), and full ISO 8601 date-times. A day that does not
    /// exist (2027-02-30) is refused, not rolled over.
    package static func parse(_ text: String) throws(Invalid) -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.count <= 40, trimmed.utf8.count >= 10, isCalendarDate(trimmed.prefix(10)), isClockTime(trimmed.dropFirst(11))
        else { throw Invalid(text: text) }
        var candidate = trimmed.replacingOccurrences(of: " ", with: "T")
        switch candidate.utf8.count {
        case 10: candidate += "T00:00:00Z"
        case 16: candidate += ":00Z"
        case 19: candidate += "Z"
        default: break
        }
        for style in [Date.ISO8601FormatStyle(), Date.ISO8601FormatStyle(includingFractionalSeconds: true)] {
            if let date = try? style.parse(candidate) { return date }
        }
        throw Invalid(text: text)
    }

    /// `YYYY-MM-DD` naming a day that exists.
    /// Whether the time after the date, if any, is on the clock: Foundation's parser would read
    /// 25:00 as 01:00 the next day, and 10:75 as 11:15.
    private static func isClockTime(_ text: Substring) -> Bool {
        let fields = text.prefix(8).split(separator: ":", omittingEmptySubsequences: false).map { $0.prefix(2) }
        let limits = [23, 59, 59]
        for (field, limit) in zip(fields, limits) {
            guard let value = Int(field), (0...limit).contains(value) else { return field.isEmpty && fields.count == 1 }
        }
        return true
    }

    private static func isCalendarDate(_ text: Substring) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month)
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }

    /// `YYYY-MM-DD HH:MM UTC`, or `—` for none. A date outside 0001–9999 shows as the nearest
    /// end of that range (see ``StoredDate``).
    package static func display(_ date: Date?) -> String {
        guard let date else { return "—" }
        return field(date).prefix(16).replacingOccurrences(of: "T", with: " ") + " UTC"
    }

    /// `YYYY-MM-DD HH:MM:SS UTC`, or `—` for none: the exact instant, to the second.
    package static func exact(_ date: Date?) -> String {
        guard let date else { return "—" }
        return field(date).replacingOccurrences(of: "T", with: " ") + " UTC"
    }

    /// `YYYY-MM-DDTHH:MM:SS` in UTC, what a datetime-local field with `step="1"` holds; empty
    /// for none.
    package static func field(_ date: Date?) -> String {
        guard let date = date.map(StoredDate.clamped) else { return "" }
        let style = Date.ISO8601FormatStyle().year().month().day().dateTimeSeparator(.standard).time(includingFractionalSeconds: false)
        return String(date.formatted(style).prefix(19))
    }

    /// How far `date` is from `now`, as people say it: `in 3 days`, `2 hours ago`, `just now`.
    package static func relative(_ date: Date, now: Date) -> String {
        // Clamped, so that the count below is finite and fits an Int.
        let seconds = StoredDate.clamped(date).timeIntervalSince(StoredDate.clamped(now))
        let magnitude = abs(seconds)
        guard magnitude >= 60 else { return seconds >= 0 ? "in under a minute" : "just now" }
        let units: [(String, Double)] = [("year", 365 * 86_400), ("month", 30 * 86_400), ("day", 86_400), ("hour", 3_600), ("minute", 60)]
        let (unit, size) = units.first { magnitude >= $0.1 } ?? ("minute", 60)
        let count = Int(magnitude / size)
        let amount = "\(count) \(unit)\(count == 1 ? "" : "s")"
        return seconds >= 0 ? "in " + amount : amount + " ago"
    }
}
