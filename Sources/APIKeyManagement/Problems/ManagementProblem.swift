package import HTTPTypes
package import OpenAPIRuntime
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A failure of the management API, as RFC 9457 problem details (`application/problem+json`):
/// a stable `type` per failure, a title, the status, and a detail that says what was wrong and
/// what is accepted. Thrown anywhere in the API; ``ProblemMiddleware`` writes it.
package struct ManagementProblem: Error, Sendable, HTTPResponseConvertible {
    /// The last part of the `type` URI, e.g. `not-found`.
    package let slug: String
    package let status: Int
    package let title: String
    package let detail: String
    /// For 422: each field that is not accepted, and why.
    package var fieldErrors: [FieldError] = []
    /// `Retry-After`, the rate-limit fields, `WWW-Authenticate`.
    package var headers: [(name: String, value: String)] = []

    package struct FieldError: Sendable, Encodable, Hashable {
        package let field: String
        package let detail: String
    }

    package init(_ slug: String, status: Int, title: String, detail: String) {
        self.slug = slug
        self.status = status
        self.title = title
        self.detail = detail
    }

    /// The `type` URI of a problem. A URN: stable, and no host of ours that might go away.
    package static func type(_ slug: String) -> String { "urn:api-keys:problem:\(slug)" }

    // MARK: The problems

    /// 400: a parameter or the body does not have the contract's shape.
    package static func invalidRequest(_ detail: String) -> Self {
        Self("invalid-request", status: 400, title: "The request cannot be read", detail: detail)
    }

    /// 401: no key, or a key that is not valid (never which).
    package static func unauthorized(_ detail: String, challenge: String?) -> Self {
        var problem = Self("unauthorized", status: 401, title: "An API key is required", detail: detail)
        if let challenge { problem.headers = [(name: "WWW-Authenticate", value: challenge)] }
        return problem
    }

    /// 403: a valid key that may not manage keys.
    package static func forbidden(_ detail: String) -> Self {
        Self("forbidden", status: 403, title: "This key may not manage keys", detail: detail)
    }

    /// 403: a key asking to give scopes it does not hold.
    package static func scopeEscalation(_ missing: [String]) -> Self {
        Self(
            "scope-escalation", status: 403, title: "A key cannot give scopes it does not hold",
            detail: "This key does not hold \(missing.joined(separator: ", ")), so it cannot give \(missing.count == 1 ? "it" : "them") to a key. "
                + "Ask for the scopes it holds, or use a key that holds these.")
    }

    /// 404: no key of the caller's owner has this prefix (another owner's key is not found either).
    package static func notFound(prefix: String) -> Self {
        Self("not-found", status: 404, title: "No such key", detail: "No API key with the prefix \(prefix) is yours to manage.")
    }

    /// 409: the key's state does not allow the change.
    package static func conflict(_ detail: String) -> Self {
        Self("conflict", status: 409, title: "The key's state does not allow this", detail: detail)
    }

    /// 409: an Idempotency-Key already used for another request, or one still in progress.
    package static func idempotencyConflict(_ detail: String) -> Self {
        Self("idempotency-conflict", status: 409, title: "The Idempotency-Key does not fit this request", detail: detail)
    }

    /// 422: a field's value is not accepted.
    package static func unprocessable(field: String, _ detail: String) -> Self {
        var problem = Self("invalid-field", status: 422, title: "A field's value is not accepted", detail: detail)
        problem.fieldErrors = [FieldError(field: field, detail: detail)]
        return problem
    }

    /// 429: the caller's key is over its rate limit.
    package static func rateLimited(headers: [(name: String, value: String)]) -> Self {
        var problem = Self(
            "rate-limited", status: 429, title: "Too many requests with this key",
            detail: "This key is over its rate limit: try again after the seconds in Retry-After.")
        problem.headers = headers
        return problem
    }

    /// 503: the key store did not answer.
    package static var unavailable: Self {
        var problem = Self("unavailable", status: 503, title: "The key store is unavailable", detail: "The keys could not be read or changed now: try again later.")
        problem.headers = [(name: "Retry-After", value: "5")]
        return problem
    }

    // MARK: HTTPResponseConvertible

    package var httpStatus: HTTPResponse.Status { HTTPResponse.Status(code: status) }

    package var httpHeaderFields: HTTPFields {
        var fields = HTTPFields()
        fields[.contentType] = "application/problem+json"
        for header in headers {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        return fields
    }

    package var httpBody: HTTPBody? { HTTPBody(json) }

    /// The problem as JSON.
    package var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = Body(
            type: Self.type(slug), title: title, status: status, detail: detail, errors: fieldErrors.isEmpty ? nil : fieldErrors)
        // Strings and integers only: encoding cannot fail.
        return (try? encoder.encode(body)).map { String(decoding: $0, as: UTF8.self) } ?? #"{"status":\#(status)}"#
    }

    private struct Body: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String
        let errors: [FieldError]?
    }
}
