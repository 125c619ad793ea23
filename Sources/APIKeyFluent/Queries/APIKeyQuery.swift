#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Which keys to list, in what order, and which page of them: what the admin panel, the
/// `api-keys list` command and your own dashboards ask ``APIKeyManager/list(_:)`` for.
///
/// ```swift
/// var query = APIKeyQuery()
/// query.search = "billing"
/// query.status = .active
/// query.limit = 25
/// let page = try await keys.list(query)
/// ```
public struct APIKeyQuery: Sendable, Hashable {
    /// Which keys, by state.
    public struct Status: Sendable, Hashable, CustomStringConvertible {
        /// `all`, `active`, `expired`, `revoked`, `suspended`.
        public let description: String
        private init(_ description: String) { self.description = description }

        /// Every key.
        public static let all = Status("all")
        /// Not revoked, not expired, not suspended.
        public static let active = Status("active")
        /// Past its expiry (revoked or not).
        public static let expired = Status("expired")
        /// Revoked.
        public static let revoked = Status("revoked")
        /// Suspended, and not revoked.
        public static let suspended = Status("suspended")

        /// Every status, in the order a filter shows them.
        package static var allCases: [Status] { [.all, .active, .expired, .revoked, .suspended] }

        /// The status named `description`, if any.
        package init?(named name: String) {
            guard let status = Self.allCases.first(where: { $0.description == name }) else { return nil }
            self = status
        }
    }

    /// The order keys come in.
    public struct Order: Sendable, Hashable, CustomStringConvertible {
        /// `newest`, `oldest`, `name`, `recently_used`, `longest_idle`.
        public let description: String
        private init(_ description: String) { self.description = description }

        /// Newest first: the default.
        public static let newestFirst = Order("newest")
        /// Oldest first.
        public static let oldestFirst = Order("oldest")
        /// By name, A to Z.
        public static let name = Order("name")
        /// The most recently used first; keys never used last.
        public static let recentlyUsed = Order("recently_used")
        /// Keys never used first, then the longest unused: the ones to ask about before
        /// revoking.
        public static let longestIdle = Order("longest_idle")

        /// Every order, as a list offers them.
        package static var allCases: [Order] { [.newestFirst, .oldestFirst, .name, .recentlyUsed, .longestIdle] }

        /// The order named `description`, if any.
        package init?(named name: String) {
            guard let order = Self.allCases.first(where: { $0.description == name }) else { return nil }
            self = order
        }
    }

    /// Part of a name or a prefix, matched case-insensitively; `nil` or empty for any.
    public var search: String?
    /// Which keys, by state.
    public var status: Status
    /// Only keys that hold this scope; `nil` for any.
    public var scope: String?
    /// Only keys not used since this date (never used included): idle keys. `nil` for any.
    ///
    /// ```swift
    /// let idle = try await keys.list(APIKeyQuery(notUsedSince: Date().addingTimeInterval(-30 * 86_400)))
    /// ```
    public var notUsedSince: Date?
    /// In what order.
    public var order: Order
    /// How many keys at most; `nil` for all.
    public var limit: Int?
    /// How many to skip first.
    public var offset: Int

    /// Every key, newest first.
    public init(
        search: String? = nil, status: Status = .all, scope: String? = nil, notUsedSince: Date? = nil, order: Order = .newestFirst,
        limit: Int? = nil, offset: Int = 0
    ) {
        self.search = search
        self.status = status
        self.scope = scope
        self.notUsedSince = notUsedSince
        self.order = order
        self.limit = limit
        self.offset = offset
    }
}
