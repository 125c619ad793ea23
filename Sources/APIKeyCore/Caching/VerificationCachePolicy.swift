/// How long a ``VerificationCache`` trusts what it learned, and how many prefixes it keeps.
///
/// Made only with values that work: a time to live that is not positive, or a capacity below two,
/// is refused when the app is configured, with a message that says what is accepted.
///
/// ```swift
/// let policy = try VerificationCachePolicy(timeToLive: .milliseconds(250), capacity: 10_000)
/// ```
public struct VerificationCachePolicy: Sendable, Hashable {
    /// How long an entry is trusted: also how long another instance's change can go unnoticed.
    public let timeToLive: Duration
    /// How many prefixes are remembered at most, found and unknown together.
    public let capacity: Int

    /// One second and 100,000 prefixes.
    public static let standard = VerificationCachePolicy(checkedTimeToLive: .seconds(1), capacity: 100_000)

    /// A policy.
    ///
    /// - Throws: ``APIKeyConfigurationError`` if `timeToLive` is not positive or `capacity` is
    ///   below 2 (the cache keeps two generations of entries).
    public init(timeToLive: Duration = .seconds(1), capacity: Int = 100_000) throws(APIKeyConfigurationError) {
        guard timeToLive > .zero else {
            throw APIKeyConfigurationError(
                "The verification cache's time to live must be positive, got \(timeToLive). To turn the cache off, set it to nil.")
        }
        guard capacity >= 2 else {
            throw APIKeyConfigurationError("The verification cache's capacity must be at least 2 prefixes, got \(capacity).")
        }
        self.init(checkedTimeToLive: timeToLive, capacity: capacity)
    }

    private init(checkedTimeToLive: Duration, capacity: Int) {
        self.timeToLive = checkedTimeToLive
        self.capacity = capacity
    }
}

/// A setting that cannot work, refused when it is set: the message says what was wrong and what
/// is accepted.
///
/// ```swift
/// do {
///     _ = try VerificationCachePolicy(capacity: 1)
/// } catch {
///     print(error)   // The verification cache's capacity must be at least 2 prefixes, got 1.
/// }
/// ```
public struct APIKeyConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong and what is accepted.
    public let description: String

    /// An error with this message.
    package init(_ description: String) { self.description = description }
}
