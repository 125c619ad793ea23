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

    /// A deprecation, as a rotated key's row says.
    package init(replacedAt: Date, sunset: Date) {
        self.replacedAt = replacedAt
        self.sunset = sunset
    }

    /// `Deprecation: @<seconds since 1970>` and `Sunset: <HTTP-date>`.
    public var headerFields: [(name: String, value: String)] {
        [
            (name: "Deprecation", value: "@\(CivilTime.seconds(replacedAt))"),
            (name: "Sunset", value: CivilTime(sunset).imfFixdate),
        ]
    }
}
