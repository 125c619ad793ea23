/// One instance's share of its keys' budgets when limits are counted across instances
/// (``RateLimitSharing/acrossInstances(whenUnreachable:)``): for each key, how many requests of
/// the current window this instance leased and has not spent yet.
///
/// Leases are coalesced: however many requests of one key find its share empty at once, one
/// lease is in flight for them, and each then spends from what it brought. A lease asks for one
/// request at first, and twice the last while the key stays busy (leases less than a second
/// apart), up to a sixteenth of the window's budget; a key that went quiet starts again at one.
package final class SharedRateBudget: Sendable {
    /// A key's window: its prefix and when the window starts, in seconds since 1970.
    package struct Window: Hashable, Sendable {
        package let prefix: String
        package let start: Int64

        package init(prefix: String, start: Int64) {
            self.prefix = prefix
            self.start = start
        }
    }

    /// What spending from this instance's share found.
    package enum Spending: Sendable, Equatable {
        /// One request spent.
        case spent
        /// Nothing left here: lease more.
        case leaseNeeded
        /// The last lease found the window's budget spent, less than a second ago: refuse
        /// without asking the database again (other instances give back only after going quiet).
        case budgetSpent
    }

    private struct Share: Sendable {
        var window: Int64
        var unspent = 0
        var slice = 0
        var lastLease: Duration?
        var lastSpend: Duration
        /// Until when the window's budget is known to be spent.
        var spentUntil: Duration?
    }

    /// How long a lease that found nothing left stands for.
    static let spentFor = Duration.seconds(1)

    private struct State: Sendable {
        var shares: [String: Share] = [:]
        var leasing: [Window: Task<Int, any Error>] = [:]
    }

    private let state = Locked(State())

    package init() {}

    /// Spends one request of this instance's share of `window`, if it holds one.
    package func spend(_ window: Window, at now: Duration) -> Spending {
        state.withLock { state in
            guard var share = state.shares[window.prefix], share.window == window.start else { return .leaseNeeded }
            guard share.unspent > 0 else {
                if let until = share.spentUntil, now < until { return .budgetSpent }
                return .leaseNeeded
            }
            share.unspent -= 1
            share.lastSpend = now
            state.shares[window.prefix] = share
            return .spent
        }
    }

    /// Leases more of `window`'s budget with `lease` (which is given how many to ask for and
    /// answers how many it got, the exact remainder when less is left), or joins the lease already
    /// in flight; answers how many that lease got. What it got is this instance's to spend.
    package func lease(
        _ window: Window, budget: Int, at now: Duration, with lease: @escaping @Sendable (Int) async throws -> Int
    ) async throws -> Int {
        let task = state.withLock { state -> Task<Int, any Error> in
            if let inFlight = state.leasing[window] { return inFlight }
            var share = state.shares[window.prefix].flatMap { $0.window == window.start ? $0 : nil }
                ?? Share(window: window.start, lastSpend: now)
            let busy = share.lastLease.map { now - $0 < .seconds(1) } ?? false
            share.slice = busy ? min(share.slice * 2, max(1, budget / 16)) : 1
            share.lastLease = now
            state.shares[window.prefix] = share
            let size = share.slice
            // A task of its own: a request that gives up waiting must not cancel a lease that
            // others wait for, nor lose what it brings.
            let task = Task {
                do {
                    let granted = try await lease(size)
                    self.credit(window, granted)
                    return granted
                } catch {
                    self.credit(window, nil)
                    throw error
                }
            }
            state.leasing[window] = task
            return task
        }
        return try await task.value
    }

    /// Adds what a lease got (`nil`: it failed) to the share, and ends the lease.
    private func credit(_ window: Window, _ granted: Int?) {
        state.withLock { state in
            state.leasing[window] = nil
            guard var share = state.shares[window.prefix], share.window == window.start else { return }
            share.unspent += granted ?? 0
            share.spentUntil = granted == 0 ? share.lastLease.map { $0 + Self.spentFor } : nil
            state.shares[window.prefix] = share
        }
    }

    /// Takes back the unspent shares of keys that spent nothing for `quiet` (all of them when
    /// `quiet` is `nil`: at shutdown), to give back to their budgets, and forgets those keys.
    package func takeUnspent(quietFor quiet: Duration?, at now: Duration) -> [(window: Window, unspent: Int)] {
        state.withLock { state in
            var taken: [(window: Window, unspent: Int)] = []
            for (prefix, share) in state.shares {
                let window = Window(prefix: prefix, start: share.window)
                guard state.leasing[window] == nil else { continue }
                if let quiet, now - share.lastSpend < quiet { continue }
                if share.unspent > 0 { taken.append((window, share.unspent)) }
                state.shares[prefix] = nil
            }
            return taken
        }
    }

    /// How many requests this instance holds unspent for `prefix` in the window starting at
    /// `start`.
    package func unspent(_ window: Window) -> Int {
        state.withLock { state in
            state.shares[window.prefix].flatMap { $0.window == window.start ? $0.unspent : nil } ?? 0
        }
    }
}
