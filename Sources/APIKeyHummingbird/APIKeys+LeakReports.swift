public import APIKeyFluent
import APIKeyCore
import HTTPTypes
public import Hummingbird
import NIOCore

extension APIKeys {
    /// Adds the leak endpoint to `router` at `path` (`POST`): reports of leaked keys in GitHub's
    /// secret scanning format (`[{"token", "type", "url", "source"}]`), checked against GitHub's
    /// signature when `reporting` has GitHub's keys. Every reported token that is a valid key of
    /// one of `models` is revoked at once (an `APIKeyEvent` of kind `leakRevoked`); the answer is
    /// `200 []` whatever the tokens were. See `LeakReporting`.
    ///
    /// ```swift
    /// apiKeys.mountLeakReports(on: router, at: "api/leaked-keys", models: APIKey.self, OrganizationAPIKey.self)
    /// ```
    /// - Parameters:
    ///   - router: A router or a group.
    ///   - path: Where, under it.
    ///   - reporting: Who may report, how much and how often.
    ///   - models: The key models whose keys may be revoked; the built-in one if none.
    public func mountLeakReports<Context: APIKeyAuthRequestContext>(
        on router: some RouterMethods<Context>, at path: RouterPath, reporting: LeakReporting = LeakReporting(), models: any APIKeyModel.Type...
    ) {
        let handler = LeakReportHandler(reporting, models: models.isEmpty ? [APIKey.self] : models)
        let (services, database) = (self.services, self.database)
        router.post(path) { request, context -> Response in
            // `nil`: larger than allowed.
            let body = try? await request.body.collect(upTo: reporting.maximumBodySize)
            let proxies = services.settings.trustedProxies
            let client = proxies.clientAddress(
                peer: context.peerAddress.flatMap(IPAddress.init(socketAddress:)),
                headerValues: request.headers[values: proxies.header == .forwarded ? .forwarded : .xForwardedFor])
            let answer = await handler.answer(
                body: body.map { Array($0.readableBytesView) },
                header: { name in HTTPField.Name(name).flatMap { request.headers[$0] } }, client: client, services: services,
                on: database(context.logger))
            var headers = HTTPFields()
            for field in answer.headers {
                if let name = HTTPField.Name(field.name) { headers.append(HTTPField(name: name, value: field.value)) }
            }
            return Response(status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: answer.body)))
        }
    }
}
