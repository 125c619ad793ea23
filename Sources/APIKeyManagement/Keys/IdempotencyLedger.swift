import APIKeyCore
#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// The writes done with an `Idempotency-Key`, for 24 hours: a retry answers with what the first
/// request did (the key it made or changed, never its secret again) instead of doing it twice.
/// A key reused for a different request, or sent again while the first is still running, is a 409.
///
/// Kept in this instance's memory: at most ``capacity`` writes, the oldest forgotten first.
package final class IdempotencyLedger: Sendable {
    /// What a write did, to answer its retries with.
    package enum Outcome: Sendable, Hashable {
        /// The key it made or changed.
        case key(prefix: String)
        /// The key it deleted.
        case deleted
    }

    private enum Entry: Sendable {
        case running(fingerprint: String, since: Date)
        case done(fingerprint: String, outcome: Outcome, at: Date)

        var fingerprint: String {
            switch self {
            case .running(let fingerprint, _), .done(let fingerprint, _, _): fingerprint
            }
        }
        var time: Date {
            switch self {
            case .running(_, let since): since
            case .done(_, _, let at): at
            }
        }
    }

    package static let lifetime: TimeInterval = 24 * 3600
    package static let capacity = 10_000
    private let entries = Locked<[String: Entry]>([:])

    package init() {}

    /// `nil` when the write with this key is new (it is marked running); what it did when it was
    /// done before with the same request.
    ///
    /// - Throws: 409 when the key came with another request, or its first request is still running.
    package func begin(_ id: String, fingerprint: String, now: Date) throws(ManagementProblem) -> Outcome? {
        let result: Result<Outcome?, ManagementProblem> = entries.withLock { entries in
            if let entry = entries[id], now.timeIntervalSince(entry.time) < Self.lifetime {
                guard entry.fingerprint == fingerprint else {
                    return .failure(.idempotencyConflict(
                        "This Idempotency-Key was used for a different request in the last 24 hours. Use a new key for each distinct write."))
                }
                guard case .done(_, let outcome, _) = entry else {
                    return .failure(.idempotencyConflict("A request with this Idempotency-Key is still being handled: wait for its answer, then retry."))
                }
                return .success(outcome)
            }
            if entries.count >= Self.capacity { Self.forgetOldest(&entries, now: now) }
            entries[id] = .running(fingerprint: fingerprint, since: now)
            return .success(nil)
        }
        return try result.get()
    }

    /// Records what the write with this key did.
    package func finish(_ id: String, fingerprint: String, outcome: Outcome, now: Date) {
        entries.withLock { $0[id] = .done(fingerprint: fingerprint, outcome: outcome, at: now) }
    }

    /// Forgets a write that failed, so that a retry does it.
    package func abandon(_ id: String) {
        entries.withLock { _ = $0.removeValue(forKey: id) }
    }

    private static func forgetOldest(_ entries: inout [String: Entry], now: Date) {
        entries = entries.filter { now.timeIntervalSince($0.value.time) < lifetime }
        guard entries.count >= capacity else { return }
        let oldest = entries.sorted { $0.value.time < $1.value.time }.prefix(entries.count - capacity + capacity / 10)
        for (id, _) in oldest { entries.removeValue(forKey: id) }
    }
}
