#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// A moment as a UTC calendar shows it, without a calendar or formatter (FoundationEssentials has
/// neither, and usage writes and responses need them often): the day, the time, the weekday, and
/// the ways the package writes them.
///
/// ```swift
/// CivilTime(Date(timeIntervalSince1970: 784_111_777)).imfFixdate   // "Sun, 06 Nov 1994 08:49:37 GMT"
/// ```
package struct CivilTime: Sendable, Hashable {
    package let year: Int
    /// 1 to 12.
    package let month: Int
    /// 1 to 31.
    package let day: Int
    package let hour: Int
    package let minute: Int
    package let second: Int
    /// 0 for Sunday to 6 for Saturday.
    package let weekday: Int

    /// The moment `seconds` after 1970-01-01 00:00:00 UTC (before it when negative).
    package init(secondsSince1970 seconds: Int64) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = Int(seconds - days * 86_400)
        // Civil-from-days, Howard Hinnant's algorithm.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        self.year = Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0))
        self.month = Int(month)
        self.day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        self.hour = time / 3_600
        self.minute = time % 3_600 / 60
        self.second = time % 60
        // 1970-01-01 was a Thursday.
        self.weekday = Int(((days + 4) % 7 + 7) % 7)
    }

    /// `date`, to the second (rounded down).
    package init(_ date: Date) {
        self.init(secondsSince1970: Self.seconds(date))
    }

    /// Whole seconds since 1970, rounded down; 0 for a date that is not a number.
    package static func seconds(_ date: Date) -> Int64 {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite, abs(interval) < 1e14 else { return 0 }
        return Int64(interval.rounded(.down))
    }

    /// `2026-12-04`.
    package var dateName: String { "\(Self.padded(year, 4))-\(Self.padded(month, 2))-\(Self.padded(day, 2))" }

    /// `2026-12-04 12:00:00 UTC`, for messages.
    package var utcDisplay: String {
        "\(dateName) \(Self.padded(hour, 2)):\(Self.padded(minute, 2)):\(Self.padded(second, 2)) UTC"
    }

    /// The IMF-fixdate of RFC 9110, as HTTP fields write dates: `Sun, 06 Nov 1994 08:49:37 GMT`.
    package var imfFixdate: String {
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(weekdays[weekday]), \(Self.padded(day, 2)) \(months[month - 1]) \(Self.padded(year, 4)) "
            + "\(Self.padded(hour, 2)):\(Self.padded(minute, 2)):\(Self.padded(second, 2)) GMT"
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
