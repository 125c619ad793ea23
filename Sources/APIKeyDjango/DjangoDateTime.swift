#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import APIKeyFluent
public import SQLiteNIO

/// A date stored exactly as Django stores a `DateTimeField` with `USE_TZ = True`.
///
/// On SQLite that is UTC text, `YYYY-MM-DD HH:MM:SS[.ffffff]`, the fraction omitted when zero
/// (Fluent would write a number, which Django cannot read). On PostgreSQL it is a
/// `timestamptz`, which is what this type encodes there. Both read either form of text, with or
/// without fraction, `T` or space, `Z` or `+00:00`.
///
/// ```swift
/// DjangoDateTime(Date(timeIntervalSince1970: 1.5)).text   // "1970-01-01 00:00:01.500000"
/// ```
public struct DjangoDateTime: Codable, Sendable, Hashable, Comparable {
    /// The moment, to the microsecond.
    public let date: Date

    /// The moment `date`, rounded to the microsecond as Django keeps it. A date outside
    /// 0001–9999 (PostgreSQL's `infinity`, a huge number on SQLite) is kept as it is: an expiry
    /// there means never, or long ago (see ``APIKeyDjango/DjangoAPIKey/expiresAt``).
    public init(_ date: Date) {
        guard StoredDate.isOrdinary(date) else {
            self.date = date
            return
        }
        self.date = Date(timeIntervalSince1970: Double(Self.microseconds(date)) / 1_000_000)
    }

    /// Django's SQLite text for this moment; a date outside 0001–9999 is written as the nearest
    /// end of that range, which Django can read.
    public var text: String {
        let micros = Self.microseconds(StoredDate.clamped(date))
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let fraction = micros - seconds * 1_000_000
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(seconds)))
        func pad(_ value: Int?, _ width: Int) -> String {
            let digits = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let base = "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2)) \(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2))"
        return fraction == 0 ? base : base + "." + pad(Int(fraction), 6)
    }

    /// Parses Django's text (and ISO 8601 variants of it); `nil` if it is not a date-time.
    public init?(text: String) {
        var text = Substring(text)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        if text.hasSuffix("Z") { text = text.dropLast() } else if text.hasSuffix("+00:00") { text = text.dropLast(6) }
        let bytes = Array(text.utf8)
        guard bytes.count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            guard bytes[range].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
            return Int(String(decoding: bytes[range], as: UTF8.self))
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), (1...12).contains(month), (1...31).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var micros = 0
        if bytes.count > 19 {
            guard bytes[19] == UInt8(ascii: "."), (21...26).contains(bytes.count), let digits = number(20..<bytes.count) else { return nil }
            micros = digits
            for _ in 0..<(26 - bytes.count) { micros *= 10 }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == day else { return nil }
        self.date = Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1_000_000 + Double(micros)).rounded() / 1_000_000)
    }

    /// Compares moments.
    public static func < (lhs: DjangoDateTime, rhs: DjangoDateTime) -> Bool { lhs.date < rhs.date }

    /// Reads a `timestamptz` (PostgreSQL) or text.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let date = try? container.decode(Date.self) {
            self.init(date)
        } else if let parsed = DjangoDateTime(text: try container.decode(String.self)) {
            self = parsed
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a Django date-time")
        }
    }

    /// Writes a `Date`: a `timestamptz` on PostgreSQL. (SQLite takes ``sqliteData`` instead.) A
    /// date outside 0001–9999 is written as the nearest end of that range: the driver would trap
    /// on one too far away to count in microseconds.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(StoredDate.clamped(date))
    }

    /// Microseconds since 1970 of a date in 0001–9999, where they fit an `Int64` many times over.
    private static func microseconds(_ ordinary: Date) -> Int64 {
        Int64((ordinary.timeIntervalSince1970 * 1_000_000).rounded())
    }
}

extension DjangoDateTime: SQLiteDataConvertible {
    /// Reads Django's text, or a number of seconds since 1970 as Fluent writes dates.
    public init?(sqliteData: SQLiteData) {
        switch sqliteData {
        case .text(let text):
            guard let parsed = DjangoDateTime(text: text) else { return nil }
            self = parsed
        case .float(let seconds):
            self.init(Date(timeIntervalSince1970: seconds))
        case .integer(let seconds):
            self.init(Date(timeIntervalSince1970: Double(seconds)))
        default:
            return nil
        }
    }

    /// Django's text.
    public var sqliteData: SQLiteData? { .text(text) }
}
