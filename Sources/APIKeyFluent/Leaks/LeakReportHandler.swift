@_spi(Internals) import APIKeyCore
package import FluentKit
import Logging

/// The leak endpoint, for any framework: checks the sender's pace, the body's size and shape and
/// GitHub's signature, then revokes every reported token that is a valid key of one of the
/// app's key models. Glue reads the request and sends the ``LeakReportAnswer``.
package struct LeakReportHandler: Sendable {
    package let reporting: LeakReporting
    /// One per key model: revokes the token if it is one of that model's valid keys.
    private let revokers: [@Sendable (LeakReport, String, APIKeyServices, any Database) async throws -> Bool]
    private let limiter = RateLimiter(capacity: 10_000)
    private let logger = Logger(label: "api-keys.leaks")

    /// A handler revoking the keys of `models`.
    package init(_ reporting: LeakReporting, models: [any APIKeyModel.Type]) {
        self.reporting = reporting
        self.revokers = models.map { model in Self.revoker(model) }
    }

    private static func revoker<Model: APIKeyModel>(
        _ model: Model.Type
    ) -> @Sendable (LeakReport, String, APIKeyServices, any Database) async throws -> Bool {
        { report, reporter, services, database in
            try await services.service(for: model).manager(on: database).revokeLeaked(report, reporter: reporter)
        }
    }

    /// The answer to one report.
    ///
    /// - Parameters:
    ///   - body: The body, or `nil` when it was longer than `reporting.maximumBodySize`.
    ///   - header: A request header's value by name (case-insensitive).
    ///   - client: The client's address, for the rate limit.
    ///   - services: The app's services, whose caches forget what is revoked.
    ///   - database: Where the keys are.
    package func answer(
        body: [UInt8]?, header: (String) -> String?, client: IPAddress?, services: APIKeyServices, on database: @autoclosure () -> any Database
    ) async -> LeakReportAnswer {
        let pace = limiter.admit(client.map { "\($0)" } ?? "-", reporting.rateLimit, at: services.settings.clock.elapsed())
        if let retryAfter = pace.retryAfter {
            return .refused(429, "Too many reports from this address: try again in \(retryAfter) s.", headers: [(name: "Retry-After", value: String(retryAfter))])
        }
        guard let body else {
            return .refused(413, "The body is larger than \(reporting.maximumBodySize) bytes: send at most \(reporting.maximumReports) reports at a time.")
        }
        let reporter: String
        if let keys = reporting.githubKeys {
            guard keys.verify(body, identifier: header("Github-Public-Key-Identifier"), signature: header("Github-Public-Key-Signature")) else {
                return .refused(401, "Reports must be signed by GitHub: Github-Public-Key-Identifier and Github-Public-Key-Signature are missing or do not match the body.")
            }
            reporter = "github"
        } else {
            reporter = "leak report"
        }
        let reports: [LeakReport]
        do {
            reports = try LeakReport.parse(body, maximum: reporting.maximumReports)
        } catch {
            return .refused(400, error.message)
        }
        do {
            let database = database()
            for report in reports {
                for revoke in revokers where try await revoke(report, reporter, services, database) { break }
            }
        } catch {
            logger.error("Leaked API keys could not be checked: the key store is unavailable", metadata: ["error": "\(String(reflecting: error))"])
            return .refused(503, "The reports could not be processed now: send them again later.", headers: [(name: "Retry-After", value: "30")])
        }
        return .received
    }
}
