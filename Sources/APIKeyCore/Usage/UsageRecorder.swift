#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// Gathers the uses of one key model's keys in memory, for a writer to take in batches: a request
/// only updates one dictionary entry under a lock, and never waits for the database.
///
/// It gathers nothing until a writer starts (``start()``), so that an app that never writes
/// usage never holds it.
package final class UsageRecorder: Sendable {
    /// One key's uses since the last take: its counts on the day of its latest request (the
    /// common case, updated in place), and any earlier day's.
    private struct KeyUses: Sendable {
        var lastUsed: Date?
        var day: Int
        var granted = 0
        var rateLimited = 0
        var refused: [String: Int] = [:]
        var earlierDays: [UsageBatch.CountKey: Int] = [:]

        init(day: Int) { self.day = day }

        /// Moves the counts of `day` to ``earlierDays`` when a request of another day comes.
        mutating func moveTo(_ newDay: Int, prefix: String) {
            for (outcome, count) in counts where count > 0 {
                earlierDays[UsageBatch.CountKey(prefix: prefix, day: day, outcome: outcome), default: 0] += count
            }
            (day, granted, rateLimited, refused) = (newDay, 0, 0, [:])
        }

        var counts: [(String, Int)] {
            [(UsageRecorder.granted, granted), (UsageRecorder.rateLimited, rateLimited)] + refused.map { ($0.key, $0.value) }
        }
    }

    private struct State: Sendable {
        var isRecording = false
        var keys: [String: KeyUses] = [:]
        var dropped = 0
    }

    private let state = Locked(State())
    /// How many keys' uses are held between two writes at most.
    package let maximumPendingKeys: Int

    package init(maximumPendingKeys: Int) {
        self.maximumPendingKeys = maximumPendingKeys
    }

    /// Starts gathering: a writer now takes what is gathered.
    package func start() {
        state.withLock { $0.isRecording = true }
    }

    /// Counts one granted request of the key with `prefix`, and moves its last use to `date`.
    package func recordGranted(prefix: String, at date: Date) {
        record(prefix: prefix, at: date) { uses in
            uses.granted += 1
            if uses.lastUsed.map({ $0 < date }) ?? true { uses.lastUsed = date }
        }
    }

    /// Counts one request of the key with `prefix` refused over its rate limit.
    package func recordRateLimited(prefix: String, at date: Date) {
        record(prefix: prefix, at: date) { $0.rateLimited += 1 }
    }

    /// Counts one request with the prefix of a key, refused for `reason` (a denial's code).
    package func recordRefused(prefix: String, reason: String, at date: Date) {
        record(prefix: prefix, at: date) { $0.refused[reason, default: 0] += 1 }
    }

    /// Counts one request of the key with `prefix` by its outcome's name: `granted`,
    /// `rate_limited`, or a denial's code.
    package func record(prefix: String, outcome: String, at date: Date) {
        switch outcome {
        case Self.granted: recordGranted(prefix: prefix, at: date)
        case Self.rateLimited: recordRateLimited(prefix: prefix, at: date)
        default: recordRefused(prefix: prefix, reason: outcome, at: date)
        }
    }

    private func record(prefix: String, at date: Date, _ count: (inout KeyUses) -> Void) {
        let day = UsageBatch.day(of: date)
        state.withLock { state in
            guard state.isRecording else { return }
            // One hash of the prefix, and the entry changed in place: this runs on every request.
            if let index = state.keys.index(forKey: prefix) {
                if state.keys.values[index].day != day { state.keys.values[index].moveTo(day, prefix: prefix) }
                count(&state.keys.values[index])
                return
            }
            guard state.keys.count < maximumPendingKeys else {
                state.dropped += 1
                return
            }
            var uses = KeyUses(day: day)
            count(&uses)
            state.keys[prefix] = uses
        }
    }

    /// What was gathered since the last take, leaving nothing behind.
    package func take() -> UsageBatch {
        let (keys, dropped) = state.withLock { state in
            defer { (state.keys, state.dropped) = ([:], 0) }
            return (state.keys, state.dropped)
        }
        var batch = UsageBatch()
        batch.dropped = dropped
        for (prefix, var uses) in keys {
            if let lastUsed = uses.lastUsed { batch.lastUsed[prefix] = lastUsed }
            uses.moveTo(uses.day, prefix: prefix)
            batch.counts.merge(uses.earlierDays, uniquingKeysWith: +)
        }
        return batch
    }

    /// Gives back a batch that could not be written, to be written with the next one.
    package func putBack(_ batch: UsageBatch) {
        state.withLock { state in
            for (prefix, lastUsed) in batch.lastUsed {
                let later = max(state.keys[prefix]?.lastUsed ?? lastUsed, lastUsed)
                state.keys[prefix, default: KeyUses(day: UsageBatch.day(of: lastUsed))].lastUsed = later
            }
            for (key, count) in batch.counts {
                state.keys[key.prefix, default: KeyUses(day: key.day)].earlierDays[key, default: 0] += count
            }
        }
    }

    /// The outcome of a granted request.
    package static let granted = "granted"
    /// The outcome of a request over its key's rate limit.
    package static let rateLimited = "rate_limited"
}
