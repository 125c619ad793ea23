/// What the checks of one request found out about its credentials, so that a refusal says the
/// right thing: 503 when a key could not be checked, 403 when credentials were accepted but a rule
/// says no, 401 otherwise, with the challenge.
///
/// Framework glue keeps one per request and updates it as authenticators run.
///
/// ```swift
/// var credentials = PresentedCredentials()
/// credentials.record(.denied(.revoked))
/// credentials.refusal(challenge: "Api-Key")   // 401, "The API key is not valid."
/// ```
public struct PresentedCredentials: Sendable, Hashable {
    /// A valid key, or another identity (a signed-in user), was accepted.
    public var accepted = false
    /// A key was presented and refused.
    public var refusedKey = false
    /// A key was presented but could not be checked.
    public var unavailable = false

    /// Nothing seen yet.
    public init() {}

    /// Notes what a verification found: a valid key is accepted; a refused one is noted.
    public mutating func record<Record>(_ verification: APIKeyVerification<Record>) {
        switch verification {
        case .valid: accepted = true
        case .denied(let reason): record(reason)
        }
    }

    /// Notes a refused key, for any reason but ``APIKeyDenial/missing``: no key at all is no
    /// credential, so other checks may still ask for one.
    public mutating func record(_ denial: APIKeyDenial) {
        if denial != .missing { refusedKey = true }
    }

    /// How to refuse the request: 503 if a key could not be checked (it might have been valid), 403
    /// if credentials were accepted, 401 for a refused key, and 401 asking for credentials otherwise.
    public func refusal(challenge: String) -> APIKeyRefusal {
        if unavailable { return .unavailable }
        if accepted { return .forbidden }
        return refusedKey ? .invalidKey(challenge: challenge) : .noCredentials(challenge: challenge)
    }
}
