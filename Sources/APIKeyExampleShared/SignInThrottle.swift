// Shared by both examples: how the admin sign-in slows password guessing.
import APIKeyCore
package import Foundation

/// Slows password guessing at the examples' sign-in, without locking the administrator out.
///
/// - **Per source.** A source is an IPv4 address or an IPv6 /64 (one host or one customer line
///   can use every address of its /64, so they count as one). After
///   ``Policy/allowedFailures`` wrong passwords within ``Policy/window``, the source waits for the
///   oldest to age out. It has one check at a time.
/// - **Overall.** Past ``Policy/failureBudget`` wrong passwords within the window from all sources
///   together, the sign-in is under attack: a source that failed within the window waits for its
///   failures to age out, and every other source (a fresh address, such as the administrator's) is
///   checked at most once per ``Policy/attackPace``, for everyone together. Guessing then costs a
///   source that never failed and `attackPace` of time per guess, however many addresses an
///   attacker has, and the administrator is never locked out, only slowed.
/// - **Work.** At most ``Policy/concurrentChecks`` passwords are checked at once, so that a burst
///   of sign-ins cannot keep busy the thread pool that SQLite and bcrypt share.
/// - **Memory.** At most ``Policy/capacity`` sources are remembered. When full, the sources with
///   the fewest recent failures are forgotten first: the worst offenders stay blocked.
///
/// Addresses are the TCP peer's: behind a proxy that is the proxy, so put the throttle (or the
/// proxy's own) where the client's address is known.
package final class SignInThrottle: Sendable {
    /// The numbers above.
    package struct Policy: Sendable {
        package var allowedFailures = 5
        package var window: TimeInterval = 15 * 60
        package var failureBudget = 50
        package var attackPace: TimeInterval = 2
        package var concurrentChecks = 2
        package var capacity = 10_000

        package init() {}
    }

    /// Whether a password may be checked now.
    package enum Decision: Equatable, Sendable {
        /// Go ahead; call ``SignInThrottle/finished(_:succeeded:now:)`` afterwards.
        case proceed
        /// Refused; try again after this many seconds.
        case wait(seconds: Int)
    }

    private struct Source {
        /// Recent wrong passwords, oldest first, at most `allowedFailures` of them.
        var failures: [Date] = []
        var checking = false
    }

    private struct State {
        var sources: [String: Source] = [:]
        /// The latest wrong passwords from every source, oldest first, at most `failureBudget`.
        var failures: [Date] = []
        var checking = 0
        var lastPacedCheck: Date?
    }

    package let policy: Policy
    private let state = Locked(State())

    package init(_ policy: Policy = Policy()) {
        self.policy = policy
    }

    /// Whether `address` may try a password now; `.proceed` reserves a check, which
    /// ``finished(_:succeeded:now:)`` releases.
    package func begin(_ address: String, now: Date = Date()) -> Decision {
        let key = Self.source(of: address)
        return state.withLock { state in
            var source = state.sources[key] ?? Source()
            source.failures.removeAll { now.timeIntervalSince($0) >= policy.window }
            state.sources[key] = source.failures.isEmpty && !source.checking ? nil : source
            if source.failures.count >= policy.allowedFailures, let oldest = source.failures.first {
                return wait(until: oldest.addingTimeInterval(policy.window), now: now)
            }
            guard !source.checking, state.checking < policy.concurrentChecks else { return .wait(seconds: 1) }
            if isUnderAttack(state, now: now) {
                if let oldest = source.failures.first { return wait(until: oldest.addingTimeInterval(policy.window), now: now) }
                if let last = state.lastPacedCheck, now.timeIntervalSince(last) < policy.attackPace {
                    return wait(until: last.addingTimeInterval(policy.attackPace), now: now)
                }
                state.lastPacedCheck = now
            }
            source.checking = true
            state.sources[key] = source
            state.checking += 1
            return .proceed
        }
    }

    /// Releases the check ``begin(_:now:)`` reserved, and remembers a wrong password.
    package func finished(_ address: String, succeeded: Bool, now: Date = Date()) {
        let key = Self.source(of: address)
        state.withLock { state in
            state.checking = max(0, state.checking - 1)
            var source = state.sources[key] ?? Source()
            source.checking = false
            if succeeded {
                source.failures = []
            } else {
                source.failures.append(now)
                if source.failures.count > policy.allowedFailures { source.failures.removeFirst() }
                state.failures.append(now)
                if state.failures.count > policy.failureBudget { state.failures.removeFirst() }
            }
            guard !source.failures.isEmpty else {
                state.sources[key] = nil
                return
            }
            state.sources[key] = source
            if state.sources.count > policy.capacity { evict(&state, now: now) }
        }
    }

    /// How many sources are remembered now.
    package var rememberedSources: Int { state.withLock { $0.sources.count } }

    /// Whether `failureBudget` wrong passwords came within the window.
    private func isUnderAttack(_ state: State, now: Date) -> Bool {
        guard state.failures.count >= policy.failureBudget, let oldest = state.failures.first else { return false }
        return now.timeIntervalSince(oldest) < policy.window
    }

    /// Makes room: forgets sources whose failures aged out, then, if still full, the tenth with
    /// the fewest recent failures (the most recent last), never one being checked.
    private func evict(_ state: inout State, now: Date) {
        state.sources = state.sources.filter { _, source in
            source.checking || source.failures.contains { now.timeIntervalSince($0) < policy.window }
        }
        guard state.sources.count > policy.capacity else { return }
        let candidates = state.sources.filter { !$0.value.checking }.sorted { lhs, rhs in
            (lhs.value.failures.count, lhs.value.failures.last ?? .distantPast) < (rhs.value.failures.count, rhs.value.failures.last ?? .distantPast)
        }
        for (key, _) in candidates.prefix(max(1, policy.capacity / 10)) { state.sources[key] = nil }
    }

    private func wait(until date: Date, now: Date) -> Decision {
        .wait(seconds: max(1, Int(date.timeIntervalSince(now).rounded(.up))))
    }

    /// What an address counts as: an IPv4 address as it is; an IPv6 address as its /64 (an
    /// IPv4-mapped one as its IPv4 address); anything else as the text itself.
    package static func source(of address: String) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        guard address.contains(":"), inet_pton(AF_INET6, address, &bytes) == 1 else { return address }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            return bytes[12...].map(String.init).joined(separator: ".")
        }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }
}
