#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// How an app's keys are made, checked and remembered: what every ``APIKeyService`` of the app
/// shares. Each value is valid by construction; ``APIKeyCore/VerificationCachePolicy`` refuses a
/// cache that cannot work when it is made.
///
/// ```swift
/// let settings = APIKeySettings(scheme: KeyScheme(), cache: try VerificationCachePolicy(timeToLive: .milliseconds(250)))
/// let service = APIKeyService(APIKey.self, settings: settings)
/// ```
public struct APIKeySettings: Sendable {
    /// How keys are made and checked; djangorestframework-api-key 3.x's by default.
    public var scheme: KeyScheme
    /// How long verified lookups are remembered in this process, and how many; `nil` asks the
    /// database on every request. One second and 100,000 prefixes by default.
    public var cache: VerificationCachePolicy?
    /// The clock that decides expiry; tests set a fixed one.
    public var now: @Sendable () -> Date

    /// Settings; the defaults match djangorestframework-api-key 3.x, with a one-second cache.
    public init(
        scheme: KeyScheme = KeyScheme(), cache: VerificationCachePolicy? = .standard,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.scheme = scheme
        self.cache = cache
        self.now = now
    }
}
