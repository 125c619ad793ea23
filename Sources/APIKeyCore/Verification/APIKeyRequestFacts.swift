#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// What the checks may know about the request beyond its key: when it is checked, and where it
/// comes from. Framework glue fills it in; tests and code outside requests take the defaults.
///
/// ```swift
/// let facts = APIKeyRequestFacts(now: clock(), clientAddress: try IPAddress("203.0.113.7"))
/// let outcome = await verifier.verify(extraction, facts: facts)
/// ```
public struct APIKeyRequestFacts: Sendable {
    /// The instant the key is checked at: expiry and every time-based rule read it.
    public var now: Date
    /// The client's address, if known: the connection's peer, or what trusted proxies say
    /// (``TrustedProxies``). A key's IP allowlist reads it.
    public var clientAddress: IPAddress?

    /// Facts for a request checked at `now`, from `clientAddress`.
    public init(now: Date = Date(), clientAddress: IPAddress? = nil) {
        self.now = now
        self.clientAddress = clientAddress
    }
}
