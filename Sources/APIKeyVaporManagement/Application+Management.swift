import APIKeyCore
import APIKeyFluent
public import APIKeyManagement
public import APIKeyVapor
import Fluent
import OpenAPIVapor
public import Vapor

extension Application.APIKeys {
    /// Mounts the management API at `path`: its operations under `path/keys`, and its contract
    /// at `path/openapi.yaml`. Requests need a key that may manage keys (see
    /// `APIKeyManagementAPI`), read from the app's key source.
    ///
    /// ```swift
    /// try app.apiKeys.mountManagement(
    ///     APIKeyManagementAPI().managing(APIKey.self).managing(OrganizationAPIKey.self, ownedBy: byOrganization),
    ///     at: "api", "v1")
    /// // GET /api/v1/keys, POST /api/v1/keys, … and GET /api/v1/openapi.yaml
    /// ```
    /// - Parameters:
    ///   - api: The managed models and the permission rule; the built-in model's keys by default.
    ///   - path: Where, under the application's routes.
    public func mountManagement(_ api: APIKeyManagementAPI = APIKeyManagementAPI(), at path: PathComponent...) throws {
        let group = application.grouped(path)
        try api.register(on: VaporTransport(routesBuilder: group.grouped(ManagementRequestBinding())))
        // Methods the contract does not list: 405 with Allow, not 404.
        for path in APIKeyManagementAPI.paths {
            let components = path.components.map { $0.hasPrefix("{") ? PathComponent.parameter(String($0.dropFirst().dropLast())) : .constant($0) }
            let refusal = APIKeyManagementAPI.methodNotAllowed(allowing: path.methods)
            for method in APIKeyManagementAPI.methods where !path.methods.contains(method) {
                group.on(HTTPMethod(rawValue: method), components) { _ in
                    var headers = HTTPHeaders()
                    for field in refusal.headers { headers.add(name: field.name, value: field.value) }
                    headers.contentType = HTTPMediaType(type: "application", subType: "problem+json")
                    return Response(status: .methodNotAllowed, headers: headers, body: .init(string: refusal.json))
                }
            }
        }
        group.get("openapi.yaml") { _ in
            Response(status: .ok, headers: ["Content-Type": "application/yaml; charset=utf-8"], body: .init(string: APIKeyManagementAPI.contract))
        }
    }
}

/// Binds what the generated code cannot see of a request (its key, its peer, the app's
/// services and database) for the operation: the task-local value swift-openapi-vapor's guide
/// uses to inject requests.
struct ManagementRequestBinding: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let configuration = request.application.apiKeys.configuration
        let headers = request.headers
        let facts = ManagementRequest(
            extraction: configuration.keySource.key(in: request), peer: request.remoteAddress.flatMap(IPAddress.init(socketAddress:)),
            forwarded: { headers[$0.name] }, challenge: configuration.keySource.challenge, services: configuration.services,
            database: request.db(configuration.database), logger: request.logger)
        return try await ManagementRequest.$current.withValue(facts) { try await next.respond(to: request) }
    }
}
