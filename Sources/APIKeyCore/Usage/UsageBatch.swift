#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// The uses gathered between two writes: each key's latest use, and how many requests each key
/// had per day and outcome.
package struct UsageBatch: Sendable, Equatable {
    /// One count: a key, a day, an outcome.
    package struct CountKey: Sendable, Hashable {
        /// The key's prefix.
        package let prefix: String
        /// Days since 1970-01-01, in UTC.
        package let day: Int
        /// `granted`, a denial's code, or `rate_limited`.
        package let outcome: String

        package init(prefix: String, day: Int, outcome: String) {
            self.prefix = prefix
            self.day = day
            self.outcome = outcome
        }
    }

    /// Each granted key's latest use.
    package var lastUsed: [String: Date] = [:]
    /// Requests per key, day and outcome.
    package var counts: [CountKey: Int] = [:]
    /// Uses dropped because too many keys were pending.
    package var dropped = 0

    package init() {}

    /// Whether there is nothing to write.
    package var isEmpty: Bool { lastUsed.isEmpty && counts.isEmpty }

    /// The keys with something to write.
    package var prefixCount: Int {
        Set(lastUsed.keys).union(counts.keys.map(\.prefix)).count
    }

    /// The UTC day of `date`, in days since 1970-01-01.
    package static func day(of date: Date) -> Int {
        Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }
}
