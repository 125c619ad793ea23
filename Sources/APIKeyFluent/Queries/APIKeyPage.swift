#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One page of keys that an ``APIKeyQuery`` found.
///
/// ```swift
/// let page = try await keys.list(APIKeyQuery(limit: 25))
/// print("\(page.keys.count) of \(page.total)")
/// let json = try JSONEncoder().encode(page.summaries)
/// ```
public struct APIKeyPage<Model: APIKeyModel>: Sendable {
    /// The keys of this page, in the query's order.
    public let keys: [Model]
    /// How many keys the query finds in all pages.
    public let total: Int
    /// The prefixes on this page whose rows cannot be read (a column holds a value of the wrong
    /// kind, such as an expiry that is not a date): not in ``keys``, and refused on every request.
    public let unreadablePrefixes: [String]
    /// The prefixes on this page whose model's rule refuses them (``APIKeyModel/usableKeys(_:)``:
    /// say, an inactive owner's).
    public let unusablePrefixes: Set<String>
    /// When each key on the page was last used, by prefix; a key never used (or used before
    /// usage was kept) has none.
    public let lastUses: [String: Date]
    /// When the page was read: what "expired" is measured against.
    public let readAt: Date

    /// A summary of each key on the page, for people or JSON.
    public var summaries: [APIKeySummary] {
        keys.map(summary(of:))
    }

    /// A summary of one key of the page.
    public func summary(of key: Model) -> APIKeySummary {
        APIKeySummary(key, unusable: unusablePrefixes.contains(key.prefix), lastUsedAt: lastUses[key.prefix], at: readAt)
    }

    package init(keys: [Model], total: Int, unreadablePrefixes: [String], unusablePrefixes: Set<String>, lastUses: [String: Date] = [:], readAt: Date) {
        self.keys = keys
        self.total = total
        self.unreadablePrefixes = unreadablePrefixes
        self.unusablePrefixes = unusablePrefixes
        self.lastUses = lastUses
        self.readAt = readAt
    }
}
