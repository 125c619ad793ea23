import APIKeyCore
import FluentKit
import Logging
#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// A granted key's rate limit: this instance's pace (GCRA), and when limits are counted across
/// instances, the key's budget for the window, spent from what this instance leased.
extension APIKeyService {
    /// `outcome` once the key's rate limit has had its say, when that is known without waiting:
    /// `nil` when this instance must lease more of the key's budget first.
    func admittedWithoutWaiting(
        _ outcome: APIKeyOutcome<APIKeyIdentity<Model>>, facts: APIKeyRequestFacts, logger: Logger
    ) -> APIKeyOutcome<APIKeyIdentity<Model>>? {
        guard let identity = outcome.identity, let limit = identity.rateLimit ?? defaultRateLimit else { return outcome }
        let now = settings.clock.elapsed()
        let status = rateLimiter.admit(identity.prefix, limit, at: now)
        if status.isLimited { return .rateLimited(status) }
        guard let sharedBudget else { return .granted(identity, rateLimit: status) }
        let window = Self.window(of: identity.prefix, limit, at: facts.now)
        switch sharedBudget.spend(window, at: now) {
        case .spent: return .granted(identity, rateLimit: status)
        case .budgetSpent:
            rateLimiter.refund(identity.prefix, limit)
            return .rateLimited(Self.budgetSpent(limit, window, at: facts.now))
        case .leaseNeeded: break
        }
        if let until = budgetsUnreachableUntil.withLock({ $0 }), now < until {
            return whileUnreachable(identity, limit, status)
        }
        // Counted again once the lease is in.
        rateLimiter.refund(identity.prefix, limit)
        return nil
    }

    /// `outcome` once the key's rate limit has had its say, leasing more of its budget from
    /// `database` when this instance's share is spent.
    func admitted(
        _ outcome: APIKeyOutcome<APIKeyIdentity<Model>>, facts: APIKeyRequestFacts, on database: @autoclosure () -> any Database,
        logger: Logger
    ) async -> APIKeyOutcome<APIKeyIdentity<Model>> {
        if let decided = admittedWithoutWaiting(outcome, facts: facts, logger: logger) { return decided }
        // Only a granted key with a limit, counted across instances, gets here.
        guard let identity = outcome.identity, let limit = identity.rateLimit ?? defaultRateLimit, let sharedBudget else { return outcome }
        let status = rateLimiter.admit(identity.prefix, limit, at: settings.clock.elapsed())
        if status.isLimited { return .rateLimited(status) }
        let window = Self.window(of: identity.prefix, limit, at: facts.now)
        let end = window.start + Int64(limit.period.seconds)
        let (database, table) = (database(), keyTable)
        // Each lease that brings something lets at least its first waiter spend; the slices
        // double, so a busy key needs few rounds.
        for _ in 0..<16 {
            let granted: Int
            do {
                granted = try await sharedBudget.lease(window, budget: limit.requests, at: settings.clock.elapsed()) { size in
                    try await RateBudgetTable.lease(size, of: window, end: end, budget: limit.requests, table: table, on: database)
                }
            } catch {
                budgetsUnreachableUntil.withLock { $0 = settings.clock.elapsed() + .seconds(1) }
                logger.error(
                    "API key rate limit: the budgets' database did not answer. Is the CreateAPIKeyRateBudgets migration in place?",
                    metadata: [
                        APIKeyLog.prefixKey: .string(identity.prefix), "when_unreachable": .string(settings.rateLimitSharing.description),
                        "error": "\(String(reflecting: error))",
                    ])
                return whileUnreachable(identity, limit, status)
            }
            if sharedBudget.spend(window, at: settings.clock.elapsed()) == .spent { return .granted(identity, rateLimit: status) }
            if granted == 0 { break }
        }
        // The window's budget is spent, across instances.
        rateLimiter.refund(identity.prefix, limit)
        return .rateLimited(Self.budgetSpent(limit, window, at: facts.now))
    }

    /// A refusal because `window`'s budget is spent: come back when the next window starts.
    private static func budgetSpent(_ limit: RateLimit, _ window: SharedRateBudget.Window, at date: Date) -> APIKeyRateLimitStatus {
        let wait = Int(max(1, window.start + Int64(limit.period.seconds) - CivilTime.seconds(date)))
        return APIKeyRateLimitStatus(limit: limit, remaining: 0, resetAfter: wait, retryAfter: wait)
    }

    /// What the app chose for when the budgets cannot be leased: this instance's count alone, or
    /// 503 (the admission at this instance's pace is undone).
    private func whileUnreachable(
        _ identity: APIKeyIdentity<Model>, _ limit: RateLimit, _ status: APIKeyRateLimitStatus
    ) -> APIKeyOutcome<APIKeyIdentity<Model>> {
        if settings.rateLimitSharing.unreachable == .countLocally { return .granted(identity, rateLimit: status) }
        rateLimiter.refund(identity.prefix, limit)
        return .unavailable
    }

    /// The window of `limit` that `date` falls in, aligned to the clock: every instance names the
    /// same one.
    package static func window(of prefix: String, _ limit: RateLimit, at date: Date) -> SharedRateBudget.Window {
        let seconds = CivilTime.seconds(date)
        let period = Int64(limit.period.seconds)
        return SharedRateBudget.Window(prefix: prefix, start: seconds - ((seconds % period) + period) % period)
    }
}
