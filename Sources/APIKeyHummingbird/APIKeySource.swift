public import APIKeyCore
public import Hummingbird
import HTTPTypes

/// Where a request carries its key: a `KeyHeader` (upstream's `KeyParser` and
/// `API_KEY_CUSTOM_HEADER`), or a rule of your own (upstream's overridable `get_key`).
///
/// ```swift
/// let apiKeys = APIKeys(fluent: fluent, keySource: .header(.custom("X-Api-Key")))
/// let fromCookie = APIKeySource.custom { request in
///     request.cookies["api_key"].map { .key($0.value) } ?? .missing
/// }
/// ```
public struct APIKeySource: Sendable {
    /// What a 401 response's `WWW-Authenticate` header says: the keyword, by default `Api-Key`.
    public let challenge: String
    private let extract: @Sendable (Request) -> KeyExtraction

    /// A rule of your own.
    ///
    /// - Parameters:
    ///   - challenge: The `WWW-Authenticate` value of a 401.
    ///   - extract: Finds the key; return `.missing` when there is none, never throw.
    public static func custom(challenge: String = "Api-Key", _ extract: @escaping @Sendable (Request) -> KeyExtraction) -> APIKeySource {
        APIKeySource(challenge: challenge, extract: extract)
    }

    /// The key in `header`; the default is `Authorization: Api-Key <key>`.
    public static func header(_ header: KeyHeader) -> APIKeySource {
        // A header name HTTP cannot carry is read as no key at all.
        guard let name = HTTPField.Name(header.name) else { return APIKeySource(challenge: header.challenge) { _ in .missing } }
        // Lazily, not `headers[values:]`: its array would be an allocation on every request.
        return APIKeySource(challenge: header.challenge) { request in
            header.extract(values: request.headers.lazy.filter { $0.name == name }.map { $0.value })
        }
    }

    /// What `request` carries.
    package func key(in request: Request) -> KeyExtraction { extract(request) }
}
