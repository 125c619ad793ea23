import APIKeyCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension APIKeyManager {
    /// What the key with `prefix` did over the last `days` days (today included), as last
    /// written: usage is written every interval of the usage policy, so the last minute or so is
    /// not in it yet.
    ///
    /// ```swift
    /// let usage = try await keys.usage(of: "C7oAzBnJ")
    /// let chart = usage.days.map(\.granted)
    /// ```
    ///
    /// - Parameters:
    ///   - prefix: The key's prefix (a whole key is taken as its prefix).
    ///   - days: How many days, 1 to 366 (a number outside is brought within).
    /// - Throws: ``APIKeyManagerError`` (not found) when no key has that prefix.
    public func usage(of prefix: String, days: Int = 30) async throws -> APIKeyUsage {
        let days = min(max(days, 1), 366)
        guard let key = try await model(prefix: prefix) else { throw APIKeyManagerError.notFound(prefix: prefix) }
        let prefix = key.prefix
        let today = UsageBatch.day(of: now())
        let firstDay = today - days + 1
        let table = service.keyTable
        let rows = try await UsageTables.dailyCounts(of: prefix, table: table, from: firstDay, on: database)
        let lastUse = try await UsageTables.lastUses(of: [prefix], table: table, on: database)[prefix]
        var byDay: [String: (granted: Int, rateLimited: Int, refused: [String: Int])] = [:]
        for row in rows {
            switch row.outcome {
            case UsageRecorder.granted: byDay[row.day, default: (0, 0, [:])].granted += row.requests
            case UsageRecorder.rateLimited: byDay[row.day, default: (0, 0, [:])].rateLimited += row.requests
            default: byDay[row.day, default: (0, 0, [:])].refused[row.outcome, default: 0] += row.requests
            }
        }
        let daily = (firstDay...today).map { day in
            let name = UsageTables.dayName(day)
            let counts = byDay[name] ?? (0, 0, [:])
            return APIKeyDailyUsage(day: name, granted: counts.granted, rateLimited: counts.rateLimited, refused: counts.refused)
        }
        return APIKeyUsage(prefix: prefix, lastUsedAt: lastUse, days: daily)
    }
}
