#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// The time the checks read: the wall clock, which expiries are compared with, and a clock that
/// only moves forward, which measures how long the cache trusts what it learned. Tests use one
/// they move by hand (APIKeyTesting's `APIKeyTestClock`), so that nothing sleeps for time to pass.
///
/// ```swift
/// let clock = APIKeyTestClock()
/// app.apiKeys.clock = clock.clock
/// clock.advance(by: 61)   // keys that expired a minute from now have; cache entries are stale
/// ```
public struct APIKeyClock: Sendable {
    /// The wall-clock time.
    public var now: @Sendable () -> Date
    /// Time elapsed since a fixed instant, never moving backwards.
    public var elapsed: @Sendable () -> Duration

    /// A clock of your own.
    ///
    /// - Parameters:
    ///   - now: The wall-clock time.
    ///   - elapsed: Time elapsed since a fixed instant of your choosing; it must never decrease.
    public init(now: @escaping @Sendable () -> Date, elapsed: @escaping @Sendable () -> Duration) {
        self.now = now
        self.elapsed = elapsed
    }

    /// The system's clocks: `Date()` and the continuous clock.
    public static let system: APIKeyClock = {
        let start = ContinuousClock.now
        return APIKeyClock(now: { Date() }, elapsed: { ContinuousClock.now - start })
    }()
}
