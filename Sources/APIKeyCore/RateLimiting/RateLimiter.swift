/// One process's rate limiting of keys: for each key, the generic cell rate algorithm's
/// theoretical arrival time, under one lock. Exact for the requests this process sees.
///
/// A key whose time has passed is as good as forgotten, so entries are swept when there are
/// many: memory follows the keys in use, not every key ever seen.
package final class RateLimiter: Sendable {
    private struct State: Sendable {
        /// Each key's theoretical arrival time, in nanoseconds of the clock's elapsed time.
        var arrival: [String: Int64] = [:]
        /// The count past which the next admission sweeps.
        var sweepAt: Int
    }

    private let state: Locked<State>
    private let capacity: Int

    package init(capacity: Int = 100_000) {
        self.capacity = capacity
        self.state = Locked(State(sweepAt: capacity))
    }

    /// Admits or refuses one request of the key with `prefix` at `now` (the clock's elapsed time).
    package func admit(_ prefix: String, _ limit: RateLimit, at now: Duration) -> APIKeyRateLimitStatus {
        let now = Self.nanoseconds(now)
        let interval = limit.emissionInterval
        let tolerance = interval * Int64(limit.burst - 1)
        return state.withLock { state in
            let arrival = max(state.arrival[prefix] ?? now, now)
            if arrival - now > tolerance {
                let wait = arrival - tolerance - now
                return APIKeyRateLimitStatus(
                    limit: limit, remaining: 0, resetAfter: Self.seconds(arrival - now), retryAfter: max(1, Self.seconds(wait)))
            }
            let next = arrival + interval
            state.arrival[prefix] = next
            if state.arrival.count > state.sweepAt {
                state.arrival = state.arrival.filter { $0.value > now }
                state.sweepAt = max(capacity, state.arrival.count * 2)
            }
            let remaining = Int(max(0, min(Int64(limit.burst), (now + tolerance + interval - next) / interval)))
            return APIKeyRateLimitStatus(limit: limit, remaining: remaining, resetAfter: Self.seconds(next - now), retryAfter: nil)
        }
    }

    /// Undoes one admission of the key with `prefix`: for a request admitted at this instance's
    /// pace that the key's shared budget then refused, so that it does not count twice.
    package func refund(_ prefix: String, _ limit: RateLimit) {
        state.withLock { state in
            if let arrival = state.arrival[prefix] { state.arrival[prefix] = arrival - limit.emissionInterval }
        }
    }

    /// How many keys are tracked now.
    package var count: Int { state.withLock { $0.arrival.count } }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// Whole seconds, rounded up.
    private static func seconds(_ nanoseconds: Int64) -> Int {
        Int((nanoseconds + 999_999_999) / 1_000_000_000)
    }
}
