@_spi(Internals) import APIKeyCore
import Testing

@Suite("Refusals: 401, 403 or 503, decided below the frameworks")
struct PresentedCredentialsTests {
    @Test("nothing presented: 401 asking for credentials, with the challenge")
    func nothing() {
        let refusal = PresentedCredentials().refusal(challenge: "Api-Key")
        #expect(refusal == APIKeyRefusal(statusCode: 401, reason: "Authentication credentials were not provided.", challenge: "Api-Key"))
    }

    @Test("a refused key, whatever the reason: the same 401", arguments: [APIKeyDenial.malformed, .unknownPrefix, .mismatch, .revoked, .unusable, .expired, .unverifiableHash, .unreadableRecord])
    func refusedKey(reason: APIKeyDenial) {
        var credentials = PresentedCredentials()
        credentials.record(APIKeyOutcome<String>.refused(reason))
        #expect(credentials.refusal(challenge: "Bearer") == .invalidKey(challenge: "Bearer"))
        #expect(credentials.refusal(challenge: "Bearer").reason == "The API key is not valid.")
    }

    @Test("a missing key changes nothing")
    func missing() {
        var credentials = PresentedCredentials()
        credentials.record(APIKeyOutcome<String>.refused(.missing))
        #expect(credentials == PresentedCredentials())
    }

    @Test("accepted credentials that a rule refuses: 403, no challenge")
    func accepted() {
        var credentials = PresentedCredentials()
        credentials.record(APIKeyOutcome<String>.granted("key"))
        credentials.refusedKey = true  // another key model's check refused it
        let refusal = credentials.refusal(challenge: "Api-Key")
        #expect(refusal.statusCode == 403 && refusal.challenge == nil)
    }

    @Test("a key that could not be checked: 503, before anything else, so a request is never refused for good by an outage")
    func unavailable() {
        var credentials = PresentedCredentials()
        credentials.accepted = true
        credentials.unavailable = true
        #expect(credentials.refusal(challenge: "Api-Key") == .unavailable)
        #expect(APIKeyRefusal.unavailable.statusCode == 503)
    }
}

@Suite("Cache settings are refused when they are made, not on the first request")
struct VerificationCachePolicyTests {
    @Test("a time to live that is not positive is refused with a message that says what is accepted", arguments: [Duration.zero, .seconds(-1)])
    func timeToLive(_ timeToLive: Duration) {
        #expect {
            _ = try VerificationCachePolicy(timeToLive: timeToLive)
        } throws: { error in
            "\(error)".contains("must be positive") && "\(error)".contains("set it to nil")
        }
    }

    @Test("a capacity below two is refused", arguments: [Int.min, -1, 0, 1])
    func capacity(_ capacity: Int) {
        #expect(throws: APIKeyConfigurationError("The verification cache's capacity must be at least 2 prefixes, got \(capacity).")) {
            _ = try VerificationCachePolicy(capacity: capacity)
        }
    }

    @Test("the smallest cache that works, works")
    func smallest() async throws {
        let cache = VerificationCache<StoredAPIKey>(try VerificationCachePolicy(timeToLive: .nanoseconds(1), capacity: 2))
        #expect(cache.capacity == 2)
        #expect(VerificationCachePolicy.standard.timeToLive == .seconds(1) && VerificationCachePolicy.standard.capacity == 100_000)
    }
}
