public import APIKeyCore
@_exported public import APIKeyTesting
public import Vapor

extension HTTPHeaders {
    /// Headers that carry `key` as a client sends it: `Authorization: Api-Key <key>` by default,
    /// or in the header an app reads.
    ///
    /// ```swift
    /// let (_, key) = try await app.apiKeys.manager().createKey(name: "test")
    /// try await app.testing().test(.GET, "hello", headers: .apiKey(key)) { res in
    ///     #expect(res.status == .ok)
    /// }
    /// try await app.testing().test(.GET, "hello", headers: .apiKey(key, in: .custom("X-Api-Key"))) { … }
    /// ```
    public static func apiKey(_ key: PlaintextAPIKey, in header: KeyHeader = .authorization()) -> HTTPHeaders {
        apiKey(key.reveal(), in: header)
    }

    /// Headers that carry `presentedKey` verbatim, e.g. a wrong or malformed one.
    ///
    /// ```swift
    /// try await app.testing().test(.GET, "hello", headers: .apiKey("not-a-key")) { res in
    ///     #expect(res.status == .unauthorized)
    /// }
    /// ```
    public static func apiKey(_ presentedKey: String, in header: KeyHeader = .authorization()) -> HTTPHeaders {
        let value = header.keyword.map { "\($0) \(presentedKey)" } ?? presentedKey
        return [header.name: value]
    }
}
