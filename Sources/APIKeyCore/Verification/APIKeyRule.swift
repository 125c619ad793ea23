/// A rule every key must pass, for an app's own needs: checked on every request once the key's
/// secret matched and the library's own rules passed (not revoked, usable, not expired), on a
/// cache hit exactly as on a miss.
///
/// It runs on the thread that read the request, often for a key the cache already knew: keep it
/// to the record and the facts, with no I/O and no waiting.
///
/// ```swift
/// struct BusinessHoursOnly: APIKeyRule {
///     static let closed = APIKeyDenial(code: "outside_business_hours", statusCode: 403)
///     func check(_ key: some APIKeyRecord, _ facts: APIKeyRequestFacts) -> APIKeyDenial? {
///         Calendar.current.component(.hour, from: facts.now) < 8 ? Self.closed : nil
///     }
/// }
/// app.apiKeys.rules.append(BusinessHoursOnly())
/// ```
public protocol APIKeyRule: Sendable {
    /// Why `key` is refused for this request, or `nil` to let it through.
    func check(_ key: some APIKeyRecord, _ facts: APIKeyRequestFacts) -> APIKeyDenial?
}
