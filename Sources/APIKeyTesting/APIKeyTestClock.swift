import APIKeyCore
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A clock that stands still until a test moves it: expiry without sleeping.
///
/// ```swift
/// let clock = APIKeyTestClock()
/// app.apiKeys.now = clock.now
/// let (_, key) = try await app.apiKeys.manager().createKey(name: "ci", expiresAt: clock.now().addingTimeInterval(60))
/// clock.advance(by: 61)   // the key has expired
/// ```
public final class APIKeyTestClock: Sendable {
    private let current: Locked<Date>

    /// A clock showing `start`, by default the moment it is made.
    public init(_ start: Date = Date()) {
        current = Locked(start)
    }

    /// What the clock shows. Pass the method itself where a clock is expected: `app.apiKeys.now = clock.now`.
    @Sendable public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward (or back, for a negative interval).
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// Sets the clock to `date`.
    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}
