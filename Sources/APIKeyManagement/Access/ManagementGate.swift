import APIKeyCore
package import HTTPTypes
package import OpenAPIRuntime

/// Lets in the requests whose key may manage keys, before their input is read: finds the key in
/// each managed model, checks the API's permission rule, and binds the ``ManagementSession``.
/// Refuses with problem details otherwise: 401 (no key, or one that is not valid), 403 (a valid
/// key that may not manage keys, or used from an address it does not allow), 429, 503.
package struct ManagementGate: ServerMiddleware {
    let api: APIKeyManagementAPI

    package init(_ api: APIKeyManagementAPI) {
        self.api = api
    }

    package func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard let facts = ManagementRequest.current else {
            // Glue that does not bind the request: fail closed.
            throw ManagementProblem.unavailable
        }
        // The key's own model checks it (and logs, counts and rate-limits it); the first model
        // answers for a key no model knows.
        let models = api.managedModels
        var checking = models[0]
        if models.count > 1, await !checking.recognizes(facts) {
            for model in models.dropFirst() where await model.recognizes(facts) {
                checking = model
                break
            }
        }
        var credentials = PresentedCredentials()
        guard var session = await checking.session(for: facts, noting: &credentials) else {
            throw problem(for: credentials.refusal(challenge: facts.challenge))
        }
        guard await api.admits(session.caller) else {
            throw ManagementProblem.forbidden(
                api.permits == nil
                    ? "This key does not hold the \(api.requiredScope) scope, which managing keys takes. Use a key that holds it."
                    : "This key may not manage keys here (the app's own rule refuses it).")
        }
        session.idempotencyKey = try Self.idempotencyKey(of: request)
        var (response, responseBody) = try await ManagementSession.$current.withValue(session) { try await next(request, body, metadata) }
        for field in session.responseFields {
            if let name = HTTPField.Name(field.name), response.headerFields[name] == nil { response.headerFields[name] = field.value }
        }
        return (response, responseBody)
    }

    /// The request's `Idempotency-Key` as sent, if it has one: 1 to 255 visible ASCII characters,
    /// as the contract says.
    static func idempotencyKey(of request: HTTPRequest) throws(ManagementProblem) -> String? {
        guard let name = HTTPField.Name("Idempotency-Key"), let value = request.headerFields[name] else { return nil }
        guard (1...255).contains(value.utf8.count), value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw .invalidRequest("Idempotency-Key must be one value of 1 to 255 visible ASCII characters (no spaces), such as a UUID.")
        }
        return value
    }

    /// The problem for a refused key.
    func problem(for refusal: APIKeyRefusal) -> ManagementProblem {
        switch refusal.statusCode {
        case 503: return .unavailable
        case 429: return .rateLimited(headers: refusal.headerFields)
        case 403: return .forbidden("This key may not be used here: \(refusal.reason)")
        default:
            return .unauthorized(
                "\(refusal.reason) Send a key that may manage keys (one that holds the \(api.requiredScope) scope).",
                challenge: refusal.challenge)
        }
    }
}
