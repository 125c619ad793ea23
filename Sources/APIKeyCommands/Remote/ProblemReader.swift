import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Turns the management API's problem details into the command's one-line error: what the
/// server said was wrong, and its status.
struct ProblemReader: ClientMiddleware {
    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let (response, responseBody) = try await next(request, body, baseURL)
        guard response.status.code >= 400 else { return (response, responseBody) }
        var said = "no explanation"
        if let responseBody, let bytes = try? await Data(collecting: responseBody, upTo: 65_536),
            let problem = try? JSONDecoder().decode(Problem.self, from: bytes)
        {
            said = problem.detail ?? problem.title ?? said
        }
        if response.status.code == 401 {
            throw APIKeyCommandError("the server refused \(RemoteKeyActions.keyVariable) (401): \(said)")
        }
        throw APIKeyCommandError("the server refused (\(response.status.code)): \(said)")
    }

    private struct Problem: Decodable {
        let detail: String?
        let title: String?
    }
}
