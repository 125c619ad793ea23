import APIKeyCore
import APIKeyFluent
public import APIKeyHummingbird
public import APIKeyManagement
import HTTPTypes
public import Hummingbird
import NIOCore
import OpenAPIHummingbird

extension APIKeys {
    /// Adds the management API to `router` at `path`: its operations under `path/keys`, and its
    /// contract at `path/openapi.yaml`. Requests need a key that may manage keys (see
    /// `APIKeyManagementAPI`), read from the app's key source.
    ///
    /// ```swift
    /// try apiKeys.mountManagement(
    ///     APIKeyManagementAPI().managing(APIKey.self).managing(OrganizationAPIKey.self, ownedBy: byOrganization),
    ///     on: router, at: "api/v1")
    /// // GET /api/v1/keys, POST /api/v1/keys, … and GET /api/v1/openapi.yaml
    /// ```
    /// - Parameters:
    ///   - api: The managed models and the permission rule; the built-in model's keys by default.
    ///   - router: A router or a group.
    ///   - path: Where, under it.
    public func mountManagement<Context: APIKeyAuthRequestContext>(
        _ api: APIKeyManagementAPI = APIKeyManagementAPI(), on router: some RouterMethods<Context>, at path: RouterPath
    ) throws {
        let group = router.group(path)
        try api.register(on: group.group().add(middleware: ManagementRequestBinding<Context>(apiKeys: self)))
        // Methods the contract does not list: 405 with Allow, not 404.
        for path in APIKeyManagementAPI.paths {
            let route = RouterPath(path.components.map { $0.hasPrefix("{") ? ":" + $0.dropFirst().dropLast() : $0 }.joined(separator: "/"))
            let refusal = APIKeyManagementAPI.methodNotAllowed(allowing: path.methods)
            for method in APIKeyManagementAPI.methods where !path.methods.contains(method) {
                guard let method = HTTPRequest.Method(method) else { continue }
                group.on(route, method: method) { _, _ in
                    var headers: HTTPFields = [.contentType: "application/problem+json"]
                    for field in refusal.headers {
                        if let name = HTTPField.Name(field.name) { headers.append(HTTPField(name: name, value: field.value)) }
                    }
                    return Response(status: .methodNotAllowed, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: refusal.json)))
                }
            }
        }
        group.get("openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: APIKeyManagementAPI.contract)))
        }
    }
}

/// Binds what the generated code cannot see of a request (its key, its peer, the app's
/// services and database) for the operation, as a task-local value.
struct ManagementRequestBinding<Context: APIKeyAuthRequestContext>: RouterMiddleware {
    let apiKeys: APIKeys

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let headers = request.headers
        let facts = ManagementRequest(
            extraction: apiKeys.keySource.key(in: request), peer: context.peerAddress.flatMap(IPAddress.init(socketAddress:)),
            forwarded: { header in HTTPField.Name(header.name).map { headers[values: $0] } ?? [] }, challenge: apiKeys.keySource.challenge,
            services: apiKeys.services, database: apiKeys.database(context.logger), logger: context.logger)
        return try await ManagementRequest.$current.withValue(facts) { try await next(request, context) }
    }
}
