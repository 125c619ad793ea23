public import APIKeyFluent
import APIKeyCore
import Fluent
public import Vapor

extension Application.APIKeys {
    /// Mounts the leak endpoint at `path` (`POST`): reports of leaked keys in GitHub's secret
    /// scanning format (`[{"token", "type", "url", "source"}]`), checked against GitHub's
    /// signature when `reporting` has GitHub's keys. Every reported token that is a valid key of
    /// one of `models` is revoked at once (an `APIKeyEvent` of kind `leakRevoked`); the answer is
    /// `200 []` whatever the tokens were. See `LeakReporting`.
    ///
    /// ```swift
    /// app.apiKeys.mountLeakReports(at: "api", "leaked-keys", models: APIKey.self, OrganizationAPIKey.self)
    /// ```
    /// - Parameters:
    ///   - path: Where, under the application's routes.
    ///   - reporting: Who may report, how much and how often.
    ///   - models: The key models whose keys may be revoked; the built-in one if none.
    public func mountLeakReports(at path: PathComponent..., reporting: LeakReporting = LeakReporting(), models: any APIKeyModel.Type...) {
        let handler = LeakReportHandler(reporting, models: models.isEmpty ? [APIKey.self] : models)
        // Streamed, so that an oversized body is answered with the endpoint's own 413.
        application.on(.POST, path, body: .stream) { request async throws -> Response in
            let configuration = request.application.apiKeys.configuration
            // `nil`: larger than allowed (an empty body is no bytes).
            let body: [UInt8]?
            do {
                // A body that came whole (as in tests) is not measured by `collect`: measured here.
                let collected = try await request.body.collect(max: reporting.maximumBodySize).get().map { Array(buffer: $0) } ?? []
                body = collected.count <= reporting.maximumBodySize ? collected : nil
            } catch {
                body = nil
            }
            let proxies = configuration.services.settings.trustedProxies
            let client = proxies.clientAddress(
                peer: request.remoteAddress.flatMap(IPAddress.init(socketAddress:)), headerValues: request.headers[proxies.header.name])
            let answer = await handler.answer(
                body: body, header: { request.headers.first(name: $0) }, client: client,
                services: configuration.services, on: request.application.db(configuration.database))
            var headers = HTTPHeaders()
            for field in answer.headers { headers.add(name: field.name, value: field.value) }
            return Response(status: HTTPResponseStatus(statusCode: answer.status), headers: headers, body: .init(string: answer.body))
        }
    }
}
