import APIKeyCore
import Testing

@Suite("Rate limits: how they are written, and the generic cell rate algorithm")
struct RateLimitTests {
    @Test("written as people type them, read back the same; anything else is refused saying what is accepted")
    func parsing() throws {
        #expect(try RateLimit(parsing: "100/min").description == "100/min")
        #expect(try RateLimit(parsing: "10/s") == RateLimit(10, per: .second))
        #expect(try RateLimit(parsing: "5000/hour").period == .hour)
        #expect(try RateLimit(parsing: "100/minute  burst 20") == RateLimit(100, per: .minute, burst: 20))
        #expect(try RateLimit(parsing: "100/min burst 20").description == "100/min burst 20")
        #expect(try RateLimit(parsing: "100/min burst 100").description == "100/min", "a whole period's burst is the default")
        for bad in ["", "100", "100/day", "0/min", "-1/min", "+5/min", "1.5/min", "100/min burst", "100/min burst 0", "100/min bursts 5",
                    "99999999999/min", "１００/min", "100/min\u{0}",
                    "1/hour burst 1000000000"] {  // its span would overflow the limiter's nanoseconds
            #expect(throws: APIKeyFieldError.self, "\(bad)") { try RateLimit(parsing: bad) }
        }
        do {
            _ = try RateLimit(parsing: "100/day")
        } catch {
            #expect(error.field == .rateLimit)
            #expect(error.description == "'100/day' is not a rate limit: use requests per second, minute or hour, such as 100/min, 10/s or 5000/hour, optionally with a burst: 100/min burst 20.")
        }
    }

    @Test("a burst at once, then one request per interval; Retry-After says when; a client at the rate is never refused")
    func gcra() throws {
        let limiter = RateLimiter()
        let limit = try RateLimit(6, per: .minute, burst: 3)  // one every 10 s, 3 at once
        var now = Duration.seconds(1_000)
        let first = (1...3).map { _ in limiter.admit("aaaaaaaa", limit, at: now) }
        #expect(first.map(\.isLimited) == [false, false, false])
        #expect(first.map(\.remaining) == [2, 1, 0])
        let refused = limiter.admit("aaaaaaaa", limit, at: now)
        #expect(refused.isLimited && refused.retryAfter == 10 && refused.remaining == 0)
        #expect(refused.headerFields.map(\.name) == ["RateLimit-Policy", "RateLimit", "Retry-After"])
        #expect(refused.headerFields[0].value == #""key";q=6;w=60"# && refused.headerFields[1].value == #""key";r=0;t=10"#)
        #expect(limiter.admit("bbbbbbbb", limit, at: now).remaining == 2, "each key its own")
        now += .seconds(9)
        #expect(limiter.admit("aaaaaaaa", limit, at: now).retryAfter == 1)
        now += .seconds(1)
        #expect(!limiter.admit("aaaaaaaa", limit, at: now).isLimited)
        // At the sustained rate, forever: never refused.
        for _ in 0..<100 {
            now += .seconds(10)
            #expect(!limiter.admit("aaaaaaaa", limit, at: now).isLimited)
        }
        // Quiet for a minute: the whole burst again.
        now += .seconds(60)
        #expect((1...3).map { _ in limiter.admit("aaaaaaaa", limit, at: now).isLimited } == [false, false, false])
    }

    @Test("over a long run, at most the rate plus one burst are admitted")
    func bound() throws {
        let limiter = RateLimiter()
        let limit = try RateLimit(100, per: .second, burst: 10)
        var admitted = 0
        var now = Duration.zero
        for _ in 0..<100_000 {  // 10 s of a request every 100 µs
            now += .microseconds(100)
            if !limiter.admit("k", limit, at: now).isLimited { admitted += 1 }
        }
        #expect(admitted >= 1_000 && admitted <= 1_010, "\(admitted)")
    }

    @Test("keys whose time has passed are swept: memory follows the keys in use")
    func sweeps() throws {
        let limiter = RateLimiter(capacity: 100)
        let limit = try RateLimit(1, per: .second)
        for index in 0..<1_000 { _ = limiter.admit("key\(index)", limit, at: .seconds(index)) }
        #expect(limiter.count <= 201)
    }
}
