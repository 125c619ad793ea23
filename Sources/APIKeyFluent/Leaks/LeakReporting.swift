public import APIKeyCore

/// How an app's leak endpoint takes reports of leaked keys, in the manner of GitHub's secret
/// scanning partner program: who may report (anyone, or GitHub alone when its keys are given),
/// how much, and how often.
///
/// Mount the endpoint with your framework's glue (`app.apiKeys.leakReports(_:models:)` on
/// Vapor, `apiKeys.leakReports(_:models:)` on Hummingbird); it is off until you do. A reported
/// token that is one of the app's valid keys is revoked at once, and the revocation is an
/// `APIKeyEvent` of kind `leakRevoked` whose detail says where the key was found. The answer is
/// the same whatever the tokens were, so the endpoint tells nobody whether a key existed.
///
/// ```swift
/// var reporting = LeakReporting()
/// reporting.githubKeys = try GitHubSigningKeys([keyIdentifier: pem])   // GitHub's reports only
/// ```
public struct LeakReporting: Sendable {
    /// GitHub's secret scanning keys: when set, a report must carry GitHub's signature (else
    /// 401). `nil` (the default) accepts any report: a token must still be a valid key to be
    /// revoked, so a stranger can only revoke a key they hold.
    public var githubKeys: GitHubSigningKeys?
    /// The most reports one request may carry: 100 by default (GitHub sends a few at a time).
    public var maximumReports = 100
    /// The largest body taken, in bytes: 64 KiB by default; more is answered 413.
    public var maximumBodySize = 65_536
    /// How many requests one client address may send: 60 a minute by default; more is answered
    /// 429 with `Retry-After`.
    public var rateLimit: RateLimit

    /// Settings that accept reports from anyone, 60 requests a minute per client address.
    public init(githubKeys: GitHubSigningKeys? = nil) {
        self.githubKeys = githubKeys
        // 60 a minute is a valid limit.
        self.rateLimit = try! RateLimit(60, per: .minute)
    }
}
