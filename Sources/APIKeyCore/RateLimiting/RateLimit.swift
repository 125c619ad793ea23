/// A key's rate limit: a number of requests per second, minute or hour, and how many of them may
/// come at once (the burst; a whole period's worth by default).
///
/// Enforced with the generic cell rate algorithm (GCRA): requests are admitted at the sustained
/// rate, one every `period / requests`, and a client that was quiet may spend up to `burst` at
/// once. A client that never exceeds the rate is never refused.
///
/// Written as `100/min`, `10/s`, `5000/hour` or `100/min burst 20`: how the commands, the admin
/// panel and the database spell it.
///
/// ```swift
/// let limit = try RateLimit(100, per: .minute)            // 100/min
/// let parsed = try RateLimit(parsing: "100/min burst 20")
/// ```
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
    /// The period a limit counts over.
    public struct Period: Sendable, Hashable, CustomStringConvertible {
        /// Its length in seconds.
        public let seconds: Int
        /// `s`, `min` or `hour`.
        public let description: String

        /// One second.
        public static let second = Period(seconds: 1, description: "s")
        /// One minute.
        public static let minute = Period(seconds: 60, description: "min")
        /// One hour.
        public static let hour = Period(seconds: 3_600, description: "hour")

        /// The period a word names: `s`, `sec`, `second`; `m`, `min`, `minute`; `h`, `hr`, `hour`.
        static func named(_ word: Substring) -> Period? {
            switch word.lowercased() {
            case "s", "sec", "second": .second
            case "m", "min", "minute": .minute
            case "h", "hr", "hour": .hour
            default: nil
            }
        }
    }

    /// How many requests per ``period``, sustained.
    public let requests: Int
    /// The period.
    public let period: Period
    /// How many requests may come at once after a quiet spell; at least 1, ``requests`` by
    /// default.
    public let burst: Int

    /// The largest number of requests or burst accepted: a limit above it is no limit.
    static let maximum = 1_000_000_000
    /// The longest time a burst may stand for, in nanoseconds (10 years).
    static let longestBurstSpan: Int64 = 10 * 366 * 86_400 * 1_000_000_000

    /// A limit of `requests` per `period`, `burst` at once (a whole period's worth if `nil`).
    ///
    /// - Throws: `APIKeyFieldError` for `rate_limit` when a number is below 1 or above a billion.
    public init(_ requests: Int, per period: Period, burst: Int? = nil) throws(APIKeyFieldError) {
        guard (1...Self.maximum).contains(requests) else {
            throw Self.invalid("A rate limit allows 1 to 1000000000 requests per period, got \(requests).")
        }
        let burst = burst ?? requests
        guard (1...Self.maximum).contains(burst) else {
            throw Self.invalid("A rate limit's burst is 1 to 1000000000 requests, got \(burst).")
        }
        // The burst's span of time is kept in nanoseconds: a burst of a billion at one an hour
        // would not fit, nor would the limiter's arithmetic on it.
        let interval = Int64(period.seconds) * 1_000_000_000 / Int64(requests)
        let (span, overflow) = interval.multipliedReportingOverflow(by: Int64(burst))
        guard !overflow, span <= Self.longestBurstSpan else {
            throw Self.invalid(
                "A rate limit's burst may span at most 10 years at its rate; \(burst) requests at \(requests)/\(period) span more. Give a smaller burst.")
        }
        self.requests = requests
        self.period = period
        self.burst = burst
    }

    /// The limit `text` names: `100/min`, `10/s`, `5000/hour`, `100/min burst 20`.
    ///
    /// - Throws: `APIKeyFieldError` for `rate_limit`, saying what is accepted.
    public init(parsing text: some StringProtocol) throws(APIKeyFieldError) {
        let text = String(text)
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count == 1 || (words.count == 3 && words[1].lowercased() == "burst") else { throw Self.unreadable(text) }
        let parts = words[0].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let requests = Self.number(parts[0]), let period = Period.named(parts[1]) else { throw Self.unreadable(text) }
        var burst: Int?
        if words.count == 3 {
            guard let value = Self.number(words[2]) else { throw Self.unreadable(text) }
            burst = value
        }
        try self.init(requests, per: period, burst: burst)
    }

    /// `100/min`, or `100/min burst 20` when the burst is not a whole period's worth.
    public var description: String {
        let base = "\(requests)/\(period)"
        return burst == requests ? base : "\(base) burst \(burst)"
    }

    /// The time between two requests at the sustained rate, in nanoseconds.
    package var emissionInterval: Int64 { Int64(period.seconds) * 1_000_000_000 / Int64(requests) }

    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 10, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    private static func invalid(_ message: String) -> APIKeyFieldError {
        APIKeyFieldError(field: .rateLimit, description: message)
    }

    private static func unreadable(_ text: some StringProtocol) -> APIKeyFieldError {
        invalid(
            "'\(APIKeyFieldError.printable(text))' is not a rate limit: use requests per second, minute or hour, "
                + "such as 100/min, 10/s or 5000/hour, optionally with a burst: 100/min burst 20.")
    }
}
