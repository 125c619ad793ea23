import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Sends a management key with every request of the generated ``Client``, as
/// `Authorization: Api-Key <key>`.
///
/// ```swift
/// import APIKeyManagementClient
/// import OpenAPIURLSession
///
/// let client = Client(
///     serverURL: URL(string: "https://keys.example.com/api/v1")!,
///     transport: URLSessionTransport(),
///     middlewares: [ManagementKeyMiddleware(key: ProcessInfo.processInfo.environment["API_KEY_MANAGEMENT_KEY"]!)])
/// let page = try await client.listKeys(query: .init(limit: 25)).ok.body.json
/// ```
public struct ManagementKeyMiddleware: ClientMiddleware {
    private let key: String
    private let header: HTTPField.Name
    private let keyword: String?

    /// Sends `key` in `Authorization: <keyword> <key>` (the library's default header), or alone in
    /// the header named `header` when the app reads keys from another one (`X-Api-Key`).
    ///
    /// ```swift
    /// let middleware = ManagementKeyMiddleware(key: managementKey, header: "X-Api-Key")
    /// ```
    public init(key: String, header: String = "Authorization", keyword: String? = "Api-Key") {
        self.key = key
        self.header = HTTPField.Name(header) ?? .authorization
        self.keyword = header.lowercased() == "authorization" ? keyword : nil
    }

    /// Adds the key to `request`: what the client calls for every operation.
    public func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[header] = keyword.map { "\($0) \(key)" } ?? key
        return try await next(request, body, baseURL)
    }
}
