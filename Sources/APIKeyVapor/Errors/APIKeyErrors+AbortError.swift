public import APIKeyCore
public import APIKeyFluent
public import Vapor

/// A refusal thrown from a handler (``Vapor/Request/requireAPIKey(_:)``,
/// ``Vapor/Request/checkObjectPermissions(_:)``) becomes its status, reason and challenge.
extension APIKeyRefusal: AbortError {
    /// 401, 403 or 503.
    public var status: HTTPResponseStatus { HTTPResponseStatus(statusCode: statusCode) }

    /// `WWW-Authenticate` for a 401.
    public var headers: HTTPHeaders {
        HTTPHeaders(headerFields.map { ($0.name, $0.value) })
    }

    /// The response ErrorMiddleware would make for this error, without encoding anything.
    var response: Response {
        var headers = self.headers
        headers.contentType = .json
        // The reasons are fixed strings without quotes or backslashes: no escaping needed.
        return Response(status: status, headers: headers, body: .init(string: #"{"error":true,"reason":"\#(reason)"}"#))
    }
}

/// A manager's refusal is the client's to fix, or a conflict: 400, 404 or 409, never 500.
extension APIKeyManagerError: AbortError {
    /// 400 for a bad name or expiry, 404 for an unknown key, 409 for a change the key's state forbids.
    public var status: HTTPResponseStatus { HTTPResponseStatus(statusCode: statusCode) }

    /// The message for people.
    public var reason: String { description }
}

/// A key store that does not answer: 503, the request is never granted. The store's own error
/// is logged, never sent.
extension APIKeyStoreUnavailable: AbortError {
    /// 503.
    public var status: HTTPResponseStatus { .serviceUnavailable }

    /// What the client is told.
    public var reason: String { APIKeyRefusal.unavailable.reason }
}
