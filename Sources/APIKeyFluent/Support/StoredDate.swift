#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// What a date read from a key's row means, made safe to compute with and to show.
///
/// Databases hold dates that no calendar code expects: PostgreSQL's `infinity` and `-infinity`
/// (legal in a `timestamptz`, and something a Django admin can store), which drivers read as dates
/// some 292,000 years away, and on SQLite any number at all. Dates people write lie between
/// 0001-01-01 and 9999-12-31 (Python's and Django's range); outside it:
/// - an expiry after 9999 (`infinity` among them) is no expiry: the key never expires;
/// - an expiry before 0001 (`-infinity`) is the earliest date: the key has expired;
/// - a creation date outside the range is unknown.
package enum StoredDate {
    /// 0001-01-01T00:00:00Z.
    package static let earliest = Date(timeIntervalSince1970: -62_135_596_800)
    /// 9999-12-31T23:59:59.999999Z.
    package static let latest = Date(timeIntervalSince1970: 253_402_300_799.999_999)

    /// Whether people, Django and every driver can write and read `date` as it is.
    package static func isOrdinary(_ date: Date) -> Bool {
        date >= earliest && date <= latest
    }

    /// When a key with this stored expiry stops working: `nil` for never.
    package static func expiry(_ stored: Date?) -> Date? {
        guard let stored else { return nil }
        // NaN compares false with everything: it fails closed, as a past date.
        if stored.timeIntervalSince1970.isNaN { return earliest }
        if stored > latest { return nil }
        return stored >= earliest ? stored : earliest
    }

    /// A creation date, or `nil` when the stored one is outside the ordinary range.
    package static func instant(_ stored: Date?) -> Date? {
        stored.flatMap { isOrdinary($0) ? $0 : nil }
    }

    /// `date` moved into the ordinary range, for code that must compute with it (formatting, or a
    /// driver that turns it into an integer).
    package static func clamped(_ date: Date) -> Date {
        guard date >= earliest else { return earliest }  // NaN too
        return date <= latest ? date : latest
    }
}

extension APIKeyModel {
    /// ``APIKeyModel/expiresAt`` as it counts: `nil` for never (see ``StoredDate``).
    package var effectiveExpiry: Date? { StoredDate.expiry(expiresAt) }

    /// ``APIKeyModel/createdAt``, or `nil` if the stored date is outside 0001–9999.
    package var effectiveCreation: Date? { StoredDate.instant(createdAt) }

    /// Whether the key has expired at `now`, by ``effectiveExpiry``.
    package func hasEffectivelyExpired(at now: Date) -> Bool {
        effectiveExpiry.map { $0 < now } ?? false
    }
}
