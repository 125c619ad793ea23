// Shared by both examples: the metrics they serve at GET /metrics, in Prometheus's text format.
package import CoreMetrics
import Prometheus

/// The examples' metrics: the API key library's counters and timers (given to it through
/// `APIKeySettings.metricsFactory`), kept in one registry per process and served as text at
/// `GET /metrics`. A real service would serve them on an internal port only.
package enum ExampleMetrics {
    /// Every metric of the process.
    static let registry = PrometheusCollectorRegistry()

    /// Where the library reports.
    package static let factory: any MetricsFactory = PrometheusMetricsFactory(registry: registry)

    /// Everything, in Prometheus's text format.
    package static func text() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// The content type of ``text()``.
    package static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
