import APIKeyCore
package import CoreMetrics

/// What one key model's service reports to swift-metrics, made once: on the request path a
/// report is one counter increment and one timer record, with no lookup but the refusal's code.
///
/// Every metric has the dimension `key_table`; verifications add `outcome` (`granted`,
/// `refused`, `unavailable`) and `reason` (the refusal's code, `none` otherwise). No label ever
/// holds a key, a secret or a prefix.
///
/// - `api_key_verifications_total`: verifications by outcome and reason (`rate_limited` for a key
///   over its limit).
/// - `api_key_verification_duration_seconds`: how long a verification took (a timer).
/// - `api_key_cache_lookups_total`: `result` `hit` (answered from memory) or `miss` (the database
///   was asked).
/// - `api_key_legacy_upgrades_total`: legacy hashes rewritten to the preferred format.
/// - `api_key_usage_writes_total`: usage writes by `result` (`written`, `failed`), and
///   `api_key_usage_written_keys` (a recorder: keys per write), `api_key_usage_dropped_total`.
package final class APIKeyMetrics: Sendable {
    private let granted: Counter
    private let unavailable: Counter
    /// By code, for the library's own reasons: made up front.
    private let refusals: [String: Counter]
    /// An app's own reasons, made when first seen.
    private let otherRefusals = Locked<[String: Counter]>([:])
    private let duration: CoreMetrics.Timer
    private let cacheHits: Counter
    private let cacheMisses: Counter
    package let legacyUpgrades: Counter
    private let usageWritten: Counter
    private let usageFailed: Counter
    private let usageKeys: Recorder
    private let usageDropped: Counter
    private let table: String
    private let factory: any MetricsFactory

    package init(table: String, factory: any MetricsFactory) {
        self.table = table
        self.factory = factory
        let verifications = "api_key_verifications_total"
        granted = Counter(label: verifications, dimensions: [("key_table", table), ("outcome", "granted"), ("reason", "none")], factory: factory)
        unavailable = Counter(label: verifications, dimensions: [("key_table", table), ("outcome", "unavailable"), ("reason", "none")], factory: factory)
        refusals = Dictionary(uniqueKeysWithValues: APIKeyDenial.libraryReasons.map { denial in
            (denial.code, Counter(label: verifications, dimensions: [("key_table", table), ("outcome", "refused"), ("reason", denial.code)], factory: factory))
        })
        duration = CoreMetrics.Timer(label: "api_key_verification_duration_seconds", dimensions: [("key_table", table)], preferredDisplayUnit: .seconds, factory: factory)
        cacheHits = Counter(label: "api_key_cache_lookups_total", dimensions: [("key_table", table), ("result", "hit")], factory: factory)
        cacheMisses = Counter(label: "api_key_cache_lookups_total", dimensions: [("key_table", table), ("result", "miss")], factory: factory)
        legacyUpgrades = Counter(label: "api_key_legacy_upgrades_total", dimensions: [("key_table", table)], factory: factory)
        usageWritten = Counter(label: "api_key_usage_writes_total", dimensions: [("key_table", table), ("result", "written")], factory: factory)
        usageFailed = Counter(label: "api_key_usage_writes_total", dimensions: [("key_table", table), ("result", "failed")], factory: factory)
        usageKeys = Recorder(label: "api_key_usage_written_keys", dimensions: [("key_table", table)], factory: factory)
        usageDropped = Counter(label: "api_key_usage_dropped_total", dimensions: [("key_table", table)], factory: factory)
    }

    /// Counts one verification's outcome, and how long it took from `start` (nanoseconds of the
    /// continuous clock).
    package func verified<Identity>(_ outcome: APIKeyOutcome<Identity>, nanoseconds: Int64) {
        duration.recordNanoseconds(nanoseconds)
        if outcome.isGranted {
            granted.increment()
        } else if let denial = outcome.denial {
            refusalCounter(denial.code).increment()
        } else {
            unavailable.increment()
        }
    }

    /// Counts a key looked up in memory (`hit`) or in the database.
    package func cacheLookup(hit: Bool) {
        (hit ? cacheHits : cacheMisses).increment()
    }

    /// Counts one usage write of `keys` keys, or its failure, and uses dropped before it.
    package func usageWrite(keys: Int, failed: Bool, dropped: Int) {
        if failed {
            usageFailed.increment()
        } else {
            usageWritten.increment()
            usageKeys.record(keys)
        }
        if dropped > 0 { usageDropped.increment(by: dropped) }
    }

    private func refusalCounter(_ code: String) -> Counter {
        if let counter = refusals[code] { return counter }
        let (table, factory) = (self.table, self.factory)
        return otherRefusals.withLock { others in
            if let counter = others[code] { return counter }
            let counter = Counter(
                label: "api_key_verifications_total", dimensions: [("key_table", table), ("outcome", "refused"), ("reason", code)], factory: factory)
            others[code] = counter
            return counter
        }
    }
}
