public import APIKeyCore
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A clock that stands still until a test moves it: expiry, and the cache's time to live,
/// without sleeping.
///
/// ```swift
/// let clock = APIKeyTestClock()
/// app.apiKeys.clock = clock.clock
/// let (_, key) = try await app.apiKeys.manager().createKey(name: "ci", expiresAt: clock.now().addingTimeInterval(60))
/// clock.advance(by: 61)   // the key has expired, and every cache entry is stale
/// ```
public final class APIKeyTestClock: Sendable {
    /// The wall-clock time, and the time elapsed since the clock was made (moved forward only).
    private let current: Locked<(date: Date, elapsed: Duration)>

    /// A clock showing `start`, by default the moment it is made.
    public init(_ start: Date = Date()) {
        current = Locked((start, .zero))
    }

    /// The clock to set where the library reads time: `app.apiKeys.clock = clock.clock`.
    public var clock: APIKeyClock {
        APIKeyClock(now: { [current] in current.withLock { $0.date } }, elapsed: { [current] in current.withLock { $0.elapsed } })
    }

    /// What the clock shows.
    @Sendable public func now() -> Date { current.withLock { $0.date } }

    /// Moves the clock forward (or, for a negative interval, moves the wall clock back: the time
    /// elapsed never goes backwards).
    public func advance(by seconds: TimeInterval) {
        current.withLock { current in
            current.date = current.date.addingTimeInterval(seconds)
            if seconds > 0 { current.elapsed += .milliseconds(Int64((seconds * 1_000).rounded())) }
        }
    }

    /// Sets the wall clock to `date`.
    public func set(_ date: Date) {
        current.withLock { $0.date = date }
    }
}
