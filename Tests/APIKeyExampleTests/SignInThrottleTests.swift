@testable import APIKeyExampleShared
import Foundation
import Testing

/// The examples' sign-in throttle, on a clock the tests move.
@Suite("Sign-in throttle")
struct SignInThrottleTests {
    let start = Date(timeIntervalSince1970: 2_000_000_000)

    /// One password check from `address` at `seconds` after the start: whether it was allowed.
    @discardableResult
    func attempt(_ throttle: SignInThrottle, _ address: String, at seconds: TimeInterval, succeeds: Bool = false) -> SignInThrottle.Decision {
        let now = start.addingTimeInterval(seconds)
        let decision = throttle.begin(address, now: now)
        if decision == .proceed { throttle.finished(address, succeeded: succeeds, now: now) }
        return decision
    }

    @Test("an IPv6 /64 is one source; an IPv4-mapped address is its IPv4 address")
    func sources() {
        #expect(SignInThrottle.source(of: "2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64")
        #expect(SignInThrottle.source(of: "2001:DB8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::/64")
        #expect(SignInThrottle.source(of: "::ffff:192.0.2.7") == "192.0.2.7")
        #expect(SignInThrottle.source(of: "192.0.2.7") == "192.0.2.7")
        #expect(SignInThrottle.source(of: "unknown") == "unknown")
    }

    @Test("rotating addresses within one /64 does not reset the count; another /64 is another source")
    func rotatingWithinA64() {
        let throttle = SignInThrottle()
        for host in 1...5 { #expect(attempt(throttle, "2001:db8:0:7::\(host)", at: Double(host)) == .proceed) }
        guard case .wait(let seconds) = attempt(throttle, "2001:db8:0:7::ffff", at: 6) else {
            Issue.record("a sixth address in the same /64 was checked")
            return
        }
        #expect(seconds > 800 && seconds <= 900)
        #expect(attempt(throttle, "2001:db8:0:8::1", at: 7) == .proceed)
        // The window passes: the /64 may try again.
        #expect(attempt(throttle, "2001:db8:0:7::1", at: 901 + 5) == .proceed)
    }

    @Test("one check at a time per source, and a few at once overall")
    func concurrency() {
        let throttle = SignInThrottle()
        #expect(throttle.begin("192.0.2.1", now: start) == .proceed)
        #expect(throttle.begin("192.0.2.1", now: start) == .wait(seconds: 1))
        #expect(throttle.begin("192.0.2.2", now: start) == .proceed)
        #expect(throttle.begin("192.0.2.3", now: start) == .wait(seconds: 1), "two checks at once, at most")
        throttle.finished("192.0.2.1", succeeded: false, now: start)
        #expect(throttle.begin("192.0.2.3", now: start) == .proceed)
    }

    @Test("past the global budget, guessing from many addresses slows to one check per pace, and the administrator's fresh address still gets in")
    func globalBudget() {
        let throttle = SignInThrottle()
        let policy = throttle.policy
        // An attacker with addresses to spare: a new IPv4 address for every guess.
        var admitted = 0
        var guess = 0
        var clock: TimeInterval = 0
        while clock < 600 {
            guess += 1
            if attempt(throttle, "198.51.\(guess / 250).\(guess % 250)", at: clock) == .proceed { admitted += 1 }
            clock += 0.05
        }
        // 50 wrong passwords came quickly; after that, one guess per pace at most.
        #expect(admitted <= policy.failureBudget + Int(600 / policy.attackPace) + 1, "\(admitted) guesses in 10 minutes")
        #expect(admitted < guess / 10)
        // An address that already failed waits out the window.
        guard case .wait = attempt(throttle, "198.51.0.1", at: clock) else {
            Issue.record("an address that failed during the attack was checked again")
            return
        }
        // The administrator, from an address that never failed, is slowed, never locked out.
        var waited: TimeInterval = 0
        while case .wait(let seconds) = throttle.begin("203.0.113.9", now: start.addingTimeInterval(clock + waited)) {
            waited += Double(seconds)
        }
        throttle.finished("203.0.113.9", succeeded: true, now: start.addingTimeInterval(clock + waited))
        #expect(waited <= policy.attackPace)
    }

    @Test("a full table forgets the sources with the fewest failures first: the worst offenders stay blocked")
    func boundedTable() {
        var policy = SignInThrottle.Policy()
        policy.capacity = 100
        policy.failureBudget = 1_000_000
        let throttle = SignInThrottle(policy)
        let offenders = (1...10).map { "192.0.2.\($0)" }
        for offender in offenders {
            for index in 0..<policy.allowedFailures { attempt(throttle, offender, at: Double(index)) }
        }
        // Then thousands of addresses fail once each.
        for index in 0..<5_000 { attempt(throttle, "10.\(index / 65_536).\(index / 256 % 256).\(index % 256)", at: 10) }
        #expect(throttle.rememberedSources <= policy.capacity)
        for offender in offenders {
            guard case .wait = attempt(throttle, offender, at: 20) else {
                Issue.record("\(offender) was forgotten")
                continue
            }
        }
    }
}
