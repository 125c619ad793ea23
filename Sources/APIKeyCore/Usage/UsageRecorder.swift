#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// Gathers the uses of one key model's keys in memory, for a writer to take in batches: a request
/// only updates a dictionary under a lock, and never waits for the database.
///
/// It gathers nothing until a writer starts (``start()``), so that an app that never writes
/// usage never holds it.
package final class UsageRecorder: Sendable {
    private struct State: Sendable {
        var isRecording = false
        var batch = UsageBatch()
        var pendingPrefixes = Set<String>()
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

    /// Counts one request of the key with `prefix`: `granted` moves its last use to `date`.
    package func record(prefix: String, outcome: String, at date: Date) {
        let key = UsageBatch.CountKey(prefix: prefix, day: UsageBatch.day(of: date), outcome: outcome)
        let granted = outcome == Self.granted
        state.withLock { state in
            guard state.isRecording else { return }
            if !state.pendingPrefixes.contains(prefix) {
                guard state.pendingPrefixes.count < maximumPendingKeys else {
                    state.batch.dropped += 1
                    return
                }
                state.pendingPrefixes.insert(prefix)
            }
            state.batch.counts[key, default: 0] += 1
            if granted {
                if let last = state.batch.lastUsed[prefix], last >= date { return }
                state.batch.lastUsed[prefix] = date
            }
        }
    }

    /// What was gathered since the last take, leaving nothing behind.
    package func take() -> UsageBatch {
        state.withLock { state in
            let batch = state.batch
            state.batch = UsageBatch()
            state.pendingPrefixes.removeAll(keepingCapacity: true)
            return batch
        }
    }

    /// Gives back a batch that could not be written, to be written with the next one.
    package func putBack(_ batch: UsageBatch) {
        var batch = batch
        batch.dropped = 0  // already reported
        state.withLock { state in
            state.batch.merge(batch)
            state.pendingPrefixes.formUnion(batch.lastUsed.keys)
            state.pendingPrefixes.formUnion(batch.counts.keys.map(\.prefix))
        }
    }

    /// The outcome of a granted request.
    package static let granted = "granted"
    /// The outcome of a request over its key's rate limit.
    package static let rateLimited = "rate_limited"
}
