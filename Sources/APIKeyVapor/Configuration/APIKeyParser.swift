public import APIKeyCore
public import Vapor

/// How a request's key is found: a ``APIKeyCore/KeyHeader`` (upstream's `KeyParser` and
/// `API_KEY_CUSTOM_HEADER`), or your own rule (upstream's overridable `get_key`).
///
/// ```swift
/// app.apiKeys.parser = .header(.authorization(keyword: "Bearer"))
/// app.apiKeys.parser = .header(.custom("X-Api-Key"))
/// app.apiKeys.parser = .custom { req in
///     req.cookies["api_key"].map { .key($0.string) } ?? .missing
/// }
/// ```
public struct APIKeyParser: Sendable {
    /// What a 401 response's `WWW-Authenticate` header says: the keyword, by default `Api-Key`.
    public let challenge: String
    private let extract: @Sendable (Request) -> KeyExtraction

    /// A rule of your own.
    ///
    /// - Parameters:
    ///   - challenge: The `WWW-Authenticate` value of a 401.
    ///   - extract: Finds the key; return `.missing` when there is none, never throw.
    public static func custom(
        challenge: String = "Api-Key", _ extract: @escaping @Sendable (Request) -> KeyExtraction
    ) -> APIKeyParser {
        APIKeyParser(challenge: challenge, extract: extract)
    }

    /// The key in `header`; the default is `Authorization: Api-Key <key>`.
    public static func header(_ header: KeyHeader) -> APIKeyParser {
        APIKeyParser(challenge: header.keyword ?? "Api-Key") { request in
            header.extract(from: request.headers[header.name].map(fieldValue))
        }
    }

    /// `raw` without the spaces and tabs around it. HTTP says they are not part of a field value
    /// (RFC 9110 §5.5), and servers in front of Django strip them, but NIO keeps trailing ones:
    /// without this, `Api-Key <key> ` would be refused here and granted by upstream.
    static func fieldValue(_ raw: String) -> String {
        let isWhitespace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = raw.utf8.first, let last = raw.utf8.last, isWhitespace(first) || isWhitespace(last) else { return raw }
        guard let start = raw.utf8.firstIndex(where: { !isWhitespace($0) }),
            let end = raw.utf8.lastIndex(where: { !isWhitespace($0) })
        else { return "" }
        return String(Substring(raw.utf8[start...end]))
    }

    /// The key of `request`.
    public func key(in request: Request) -> KeyExtraction { extract(request) }
}
