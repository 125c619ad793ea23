/// Where a key's rate limit is counted: in each process (exact for one instance), or across every
/// instance of the app on one database, through budgets that instances lease in slices.
///
/// Across instances, each window of a key's limit (a minute for `100/min`, aligned to the
/// clock) has a budget of `requests` in the database (`CreateAPIKeyRateBudgets`). An instance
/// leases a slice of it (one request at first, doubling while the key is busy, at most a
/// sixteenth of the budget), spends it without asking again, and gives back what it did not
/// spend when the key goes quiet. A lease that finds less left than it asked for takes the exact
/// remainder, so a client under its limit is refused only while other instances hold unspent
/// slices: at most a sixteenth of the budget each, for at most a few seconds. Each instance also
/// keeps the limit's pace and burst on its own, as with ``perInstance``.
///
/// ```swift
/// settings.rateLimitSharing = .acrossInstances()                              // 503 if the database cannot lease
/// settings.rateLimitSharing = .acrossInstances(whenUnreachable: .countLocally) // each instance alone meanwhile
/// ```
public struct RateLimitSharing: Sendable, Hashable, CustomStringConvertible {
    /// What an instance does when the database that holds the budgets does not answer.
    public struct WhenUnreachable: Sendable, Hashable, CustomStringConvertible {
        /// Refuse requests of keys with a limit with 503, as verification does when the key store
        /// is down: no request goes over a limit. The default.
        public static let refuse = WhenUnreachable(description: "refuse")
        /// Count each key's requests in this instance alone until the database answers again: with
        /// `n` instances, a key may then get up to `n` times its limit.
        public static let countLocally = WhenUnreachable(description: "count locally")

        /// `refuse` or `count locally`.
        public let description: String
    }

    /// Each process counts the requests it serves: exact with one instance, and what SQLite
    /// apps run. The default.
    public static let perInstance = RateLimitSharing(unreachable: nil)

    /// Every instance on the app's database counts against one budget per key and window.
    ///
    /// - Parameter whenUnreachable: What to do while the database cannot lease; 503 by default.
    public static func acrossInstances(whenUnreachable: WhenUnreachable = .refuse) -> RateLimitSharing {
        RateLimitSharing(unreachable: whenUnreachable)
    }

    /// `nil` per instance; what to do when the budgets cannot be reached, across instances.
    package let unreachable: WhenUnreachable?

    /// Whether budgets are leased from the database.
    package var isAcrossInstances: Bool { unreachable != nil }

    /// `per instance`, or `across instances (when unreachable: refuse)`.
    public var description: String {
        unreachable.map { "across instances (when unreachable: \($0))" } ?? "per instance"
    }
}
