/// How an app keeps track of its keys' use: each key's last use and its counts per day, gathered
/// in memory and written in batches, never on a request.
///
/// Every ``flushInterval`` (and when the app shuts down cleanly) what was gathered is written in
/// a few statements, whatever the number of keys; a crash loses at most one interval's uses. A
/// request never waits for a write.
///
/// ```swift
/// app.apiKeys.usage = try APIKeyUsagePolicy(flushInterval: .seconds(30))
/// app.apiKeys.usage = nil   // keep no usage at all
/// ```
public struct APIKeyUsagePolicy: Sendable, Hashable {
    /// How often what was gathered is written: also the most a crash can lose.
    public let flushInterval: Duration
    /// How many keys' uses are held between two writes at most; uses of further keys are dropped
    /// (and the drop logged) until the next write.
    public let maximumPendingKeys: Int

    /// Every minute, up to 100,000 keys between writes.
    public static let standard = APIKeyUsagePolicy(checkedFlushInterval: .seconds(60), maximumPendingKeys: 100_000)

    /// A policy.
    ///
    /// - Throws: ``APIKeyConfigurationError`` if `flushInterval` is not positive or
    ///   `maximumPendingKeys` is below 1.
    public init(flushInterval: Duration = .seconds(60), maximumPendingKeys: Int = 100_000) throws(APIKeyConfigurationError) {
        guard flushInterval > .zero else {
            throw APIKeyConfigurationError(
                "The usage flush interval must be positive, got \(flushInterval). To keep no usage, set the usage policy to nil.")
        }
        guard maximumPendingKeys >= 1 else {
            throw APIKeyConfigurationError("The usage policy must hold at least 1 key between writes, got \(maximumPendingKeys).")
        }
        self.init(checkedFlushInterval: flushInterval, maximumPendingKeys: maximumPendingKeys)
    }

    private init(checkedFlushInterval: Duration, maximumPendingKeys: Int) {
        self.flushInterval = checkedFlushInterval
        self.maximumPendingKeys = maximumPendingKeys
    }
}
