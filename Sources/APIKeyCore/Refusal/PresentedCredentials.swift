/// What the checks of one request found out about its credentials, so that a refusal says the
/// right thing: 503 when a key could not be checked, 429 for a valid key over its rate limit, 403 naming the scopes a valid key lacks,
/// 403 when credentials were accepted but a rule says no (or a rule refused a valid key with
/// 403), 401 otherwise, with the challenge.
///
/// Framework glue keeps one per request and updates it as authenticators run.
///
/// ```swift
/// var credentials = PresentedCredentials()
/// credentials.record(APIKeyOutcome<StoredAPIKey>.refused(.revoked))
/// credentials.refusal(challenge: "Api-Key")   // 401, "The API key is not valid."
/// ```
package struct PresentedCredentials: Sendable, Hashable {
    /// A valid key, or another identity (a signed-in user), was accepted.
    package var accepted = false
    /// A key was presented and refused as not valid.
    package var refusedKey = false
    /// A valid key was presented, and a rule refused this request with 403.
    package var forbiddenKey = false
    /// A key was presented but could not be checked.
    package var unavailable = false
    /// A valid key was presented without the scopes a route requires: these (empty when the
    /// route wants a scope the key must not hold); `nil` when no scope was missing.
    package var missingScopes: [String]?
    /// A valid key was presented over its rate limit: where it stands.
    package var rateLimited: APIKeyRateLimitStatus?

    /// Nothing seen yet.
    package init() {}

    /// Notes what a check found: a valid key is accepted; a refused one is noted; one that could
    /// not be checked makes the request a 503.
    package mutating func record<Identity>(_ outcome: APIKeyOutcome<Identity>) {
        if outcome.identity != nil {
            accepted = true
        } else if outcome.isUnavailable {
            unavailable = true
        } else if let denial = outcome.denial {
            if denial == .rateLimited { rateLimited = outcome.rateLimit }
            record(denial)
        }
    }

    /// Notes a refused key, for any reason but ``APIKeyDenial/missing``: no key at all is no
    /// credential, so other checks may still ask for one.
    package mutating func record(_ denial: APIKeyDenial) {
        if denial.statusCode == 403 || denial.statusCode == 429 {
            forbiddenKey = true
        } else if denial != .missing {
            refusedKey = true
        }
    }

    /// How to refuse the request: 503 if a key could not be checked (it might have been valid), 403
    /// if credentials were accepted or a valid key was refused by a rule, 401 for a refused key, and
    /// 401 asking for credentials otherwise.
    package func refusal(challenge: String) -> APIKeyRefusal {
        if unavailable { return .unavailable }
        if let rateLimited { return .rateLimited(rateLimited) }
        if let missingScopes { return .insufficientScope(missingScopes, challenge: challenge) }
        if accepted || forbiddenKey { return .forbidden }
        return refusedKey ? .invalidKey(challenge: challenge) : .noCredentials(challenge: challenge)
    }
}
