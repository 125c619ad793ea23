import Foundation
package import HTTPTypes
import Logging
package import OpenAPIRuntime

/// Answers every failure as problem details, so that no input ever gets a 500 or the runtime's
/// own text: a ``ManagementProblem`` as it is; a request the generated code could not read
/// (a parameter or body of the wrong shape) as a 400 that names what was wrong; anything else,
/// which is a bug, as a logged 500 problem.
package struct ProblemMiddleware: ServerMiddleware {
    private let logger = Logger(label: "api-keys.management")

    package init() {}

    package func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        do {
            return try await next(request, body, metadata)
        } catch {
            let problem = Self.problem(for: error, logger: logger, operationID: operationID)
            return (HTTPResponse(status: problem.httpStatus, headerFields: problem.httpHeaderFields), problem.httpBody)
        }
    }

    /// The problem `error` stands for.
    static func problem(for error: any Error, logger: Logger, operationID: String) -> ManagementProblem {
        if let problem = error as? ManagementProblem { return problem }
        guard let error = error as? ServerError else { return bug(error, logger: logger, operationID: operationID) }
        if let problem = error.underlyingError as? ManagementProblem { return problem }
        // The runtime's own refusal of the answer's format: an Accept header this API cannot meet.
        if error.httpStatus == .notAcceptable {
            return ManagementProblem(
                "not-acceptable", status: 406, title: "No answer in an accepted format",
                detail: "This API answers with application/json (problems with application/problem+json): send Accept: application/json, or none.")
        }
        // No input yet: the generated code failed to read the request.
        guard error.operationInput == nil else { return bug(error.underlyingError, logger: logger, operationID: operationID) }
        if let decoding = error.underlyingError as? DecodingError {
            return .invalidRequest(Self.describe(decoding))
        }
        // The runtime's own sentences ("The required header field named 'Idempotency-Key' is
        // missing.", "Unexpected content type, expected: application/json, …") say what was wrong.
        return .invalidRequest("\(error.causeDescription) See the API's contract (openapi.yaml) for what is accepted.")
    }

    private static func bug(_ error: any Error, logger: Logger, operationID: String) -> ManagementProblem {
        logger.error("The management API failed", metadata: ["operation": .string(operationID), "error": "\(String(reflecting: error))"])
        return ManagementProblem("internal", status: 500, title: "The server failed", detail: "The request could not be handled; it has been logged.")
    }

    /// Which field, and what is wrong with it, without Swift's own description of the error.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let names = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return names.isEmpty ? "the body" : "`" + names.joined(separator: ".").replacingOccurrences(of: ".[", with: "[") + "`"
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "The body" : path(context)
            return "\(parent) lacks the required field `\(key.stringValue)`."
        case .typeMismatch(let type, let context):
            return "\(path(context)) has the wrong type: \(Self.name(of: type)) is expected."
        case .valueNotFound(let type, let context):
            return "\(path(context)) is null or missing: \(Self.name(of: type)) is expected."
        case .dataCorrupted(let context):
            if context.debugDescription.hasPrefix("Additional properties") {
                return "\(path(context)) is not a field this operation takes: see the contract for the fields it does."
            }
            if context.codingPath.isEmpty { return "The body is not valid JSON, or is not the JSON object this operation takes." }
            return "\(path(context)) has a value that is not accepted: \(context.debugDescription.hasPrefix("Unknown") ? "it is not one of the listed values" : "see the contract for its format")."
        @unknown default:
            return "The body does not have the shape this operation takes."
        }
    }

    private static func name(of type: Any.Type) -> String {
        let name = "\(type)"
        if name.contains("String") { return "a string" }
        if name.contains("Int") || name.contains("Double") { return "a number" }
        if name.contains("Bool") { return "true or false" }
        if name.contains("Array") || name.hasPrefix("[") { return "an array" }
        if name.contains("Date") { return "an RFC 3339 date-time" }
        return "an object"
    }
}
