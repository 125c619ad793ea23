#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// What the checks may know about the request beyond its key: when it is checked, and where it
/// comes from. Framework glue fills it in; tests and code outside requests take the defaults.
///
/// ```swift
/// let facts = APIKeyRequestFacts(now: clock(), remoteAddress: "203.0.113.7")
/// let outcome = await verifier.verify(extraction, facts: facts)
/// ```
public struct APIKeyRequestFacts: Sendable {
    /// The instant the key is checked at: expiry and every time-based rule read it.
    public var now: Date
    /// The client's address as the connection gives it (an IPv4 or IPv6 address, as text), if
    /// known.
    public var remoteAddress: String?

    /// Facts for a request checked at `now`, from `remoteAddress`.
    public init(now: Date = Date(), remoteAddress: String? = nil) {
        self.now = now
        self.remoteAddress = remoteAddress
    }
}
