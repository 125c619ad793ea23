public import APIKeyCore
public import APIKeyFluent
public import Hummingbird
import HTTPTypes

/// A refusal thrown from a handler or middleware is answered in Hummingbird's error shape
/// (`{"error":{"message":…}}`), with its status and challenge.
extension APIKeyRefusal: HTTPResponseError {
    /// 401, 403 or 503.
    public var status: HTTPResponse.Status { HTTPResponse.Status(code: statusCode) }

    /// The response, with `WWW-Authenticate` for a 401.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        for field in headerFields { headers.append(HTTPField(name: HTTPField.Name(field.name)!, value: field.value)) }
        return try HTTPError(status, headers: headers, message: reason).response(from: request, context: context)
    }
}

/// A manager's refusal is the client's to fix, or a conflict: 400, 404 or 409, never 500, with
/// the message for people (as on Vapor).
extension APIKeyManagerError: HTTPResponseError {
    /// 400 for a bad name or expiry, 404 for an unknown key, 409 for a change the key's state forbids.
    public var status: HTTPResponse.Status { HTTPResponse.Status(code: statusCode) }

    /// The response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try HTTPError(status, message: description).response(from: request, context: context)
    }
}

/// A key store that does not answer: 503, the request is never granted. The store's own error
/// is logged, never sent.
extension APIKeyStoreUnavailable: HTTPResponseError {
    /// 503.
    public var status: HTTPResponse.Status { .serviceUnavailable }

    /// The response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try APIKeyRefusal.unavailable.response(from: request, context: context)
    }
}
