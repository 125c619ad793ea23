import APIKeyCore
import APIKeyFluent
import APIKeyTesting
import FluentKit
import Foundation
import InMemoryTracing
import Logging
import MetricsTestKit
import TestSupport
import Testing
import Tracing

/// What a service reports to swift-metrics and swift-distributed-tracing: counts by outcome and
/// reason, cache hits and misses, usage writes, a timer, and a span for each database lookup.
@Suite("Metrics and traces")
struct ObservabilityTests {
    static let logger = Logger(label: "test")

    @Test("verifications by outcome and reason, cache hits and misses, a timer, usage writes; no label holds a key or a prefix", arguments: TestDatabase.all)
    func metrics(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let metrics = TestMetrics()
            var settings = APIKeySettings()
            // An hour-long cache: on a loaded machine a lookup may outlast the default second.
            settings.cache = try VerificationCachePolicy(timeToLive: .seconds(3600))
            settings.metricsFactory = metrics
            let services = APIKeyServices(settings: settings)
            services.startRecordingUsage()
            let service = services.service(for: APIKey.self)
            let (record, key) = try await service.manager(on: db).createKey(name: "counted", rateLimit: try RateLimit(2, per: .hour))
            for _ in 0..<3 { _ = await service.authenticate(.key(key.reveal()), on: db, logger: Self.logger) }  // miss, hit, 429
            _ = await service.authenticate(.key(PlaintextAPIKey(prefix: key.prefix, secret: String(repeating: "w", count: 32)).reveal()), on: db, logger: Self.logger)
            _ = await service.authenticate(.key("garbage"), on: db, logger: Self.logger)
            _ = await service.authenticate(.missing, on: db, logger: Self.logger)

            func count(_ label: String, _ dimensions: [(String, String)]) throws -> Int64 {
                try metrics.expectCounter(label, dimensions).totalValue
            }
            let verifications = "api_key_verifications_total"
            #expect(try count(verifications, [("key_table", "api_keys"), ("outcome", "granted"), ("reason", "none")]) == 2)
            #expect(try count(verifications, [("key_table", "api_keys"), ("outcome", "refused"), ("reason", "rate_limited")]) == 1)
            #expect(try count(verifications, [("key_table", "api_keys"), ("outcome", "refused"), ("reason", "mismatch")]) == 1)
            #expect(try count(verifications, [("key_table", "api_keys"), ("outcome", "refused"), ("reason", "malformed")]) == 1)
            #expect(try count(verifications, [("key_table", "api_keys"), ("outcome", "refused"), ("reason", "missing")]) == 1)
            #expect(try count("api_key_cache_lookups_total", [("key_table", "api_keys"), ("result", "miss")]) == 1)
            #expect(try count("api_key_cache_lookups_total", [("key_table", "api_keys"), ("result", "hit")]) == 3)
            #expect(try metrics.expectTimer("api_key_verification_duration_seconds", [("key_table", "api_keys")]).values.count == 6)

            await services.flushUsage(on: db, logger: Self.logger)
            #expect(try count("api_key_usage_writes_total", [("key_table", "api_keys"), ("result", "written")]) == 1)
            #expect(try metrics.expectRecorder("api_key_usage_written_keys", [("key_table", "api_keys")]).lastValue == 1)

            for counter in metrics.counters {
                for (_, value) in counter.dimensions { #expect(!value.contains(record.prefix) && !value.contains(key.reveal())) }
            }
        }
    }

    @Test("a verification that asks the database is one span with the key's prefix; a cache hit makes none", arguments: TestDatabase.all)
    func traces(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let tracer = InMemoryTracer()
            var settings = APIKeySettings()
            settings.cache = try VerificationCachePolicy(timeToLive: .seconds(3600))
            settings.tracer = tracer
            let service = APIKeyServices(settings: settings).service(for: APIKey.self)
            let (record, key) = try await service.manager(on: db).createKey(name: "traced")
            _ = await service.authenticate(.key(key.reveal()), on: db, logger: Self.logger)
            _ = await service.authenticate(.key(key.reveal()), on: db, logger: Self.logger)
            let spans = tracer.finishedSpans
            #expect(spans.map(\.operationName) == ["api_key.verify"])
            #expect(spans.first?.attributes.get("api_key.prefix") == .string(record.prefix))
            #expect(spans.first?.attributes.get("api_key.outcome") == .string("granted"))
            #expect(spans.allSatisfy { span in !"\(span.attributes)".contains(key.reveal()) })
        }
    }
}
