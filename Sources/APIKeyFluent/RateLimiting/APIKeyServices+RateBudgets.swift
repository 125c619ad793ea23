import APIKeyCore
package import FluentKit
package import Logging
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension APIKeyServices {
    /// How long a key must spend nothing before this instance gives back what it leased.
    static let quietBeforeGivingBack = Duration.seconds(2)

    /// Gives back to their budgets what this instance leased and did not spend: for keys quiet for
    /// two seconds, or all of them when `everything` (at shutdown). A give-back that fails is
    /// logged and dropped: the window's end frees it all the same.
    package func giveBackUnspentBudgets(on database: any Database, everything: Bool = false, logger: Logger) async {
        var cleaned = false
        for service in allServices() {
            guard let budget = service.sharedBudget else { continue }
            let now = service.settings.clock.elapsed()
            for (window, unspent) in budget.takeUnspent(quietFor: everything ? nil : Self.quietBeforeGivingBack, at: now) {
                do {
                    try await RateBudgetTable.giveBack(unspent, of: window, table: service.keyTable, on: database)
                } catch {
                    logger.warning(
                        "API key rate limit: unspent requests could not be given back; the window's end frees them",
                        metadata: [APIKeyLog.prefixKey: .string(window.prefix), "error": "\(String(reflecting: error))"])
                }
            }
            if !cleaned {
                cleaned = true
                await deleteEndedWindows(on: database, at: service.settings.clock.now(), logger: logger)
            }
        }
    }

    /// Deletes budgets of windows that ended an hour ago, at most every ten minutes.
    private func deleteEndedWindows(on database: any Database, at now: Date, logger: Logger) async {
        let seconds = Int64(now.timeIntervalSince1970.isFinite ? now.timeIntervalSince1970 : 0)
        let due = lastBudgetCleanup.withLock { last in
            guard seconds - last >= 600 else { return false }
            last = seconds
            return true
        }
        guard due else { return }
        do {
            try await RateBudgetTable.deleteWindows(endedBefore: seconds - 3_600, on: database)
        } catch {
            logger.warning("API key rate limit: ended windows could not be deleted", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}
