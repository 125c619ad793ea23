// Shared by both examples (Sources/APIKeyHummingbirdExample links to this file).
import APIKeyCore
import Foundation

/// Slows password guessing at the example's sign-in: after ``allowedFailures`` wrong passwords
/// from one address within ``window``, that address waits for the window to pass; and at most
/// ``concurrentChecks`` passwords are checked at once, so that a burst of sign-ins cannot keep
/// the thread pool (which SQLite and password hashing share) busy for everyone else.
///
/// Addresses are the TCP peer's: behind a proxy that is the proxy, so put the throttle (or the
/// proxy's own) where the client's address is known. At most ``capacity`` addresses are
/// remembered.
final class SignInThrottle: Sendable {
    static let allowedFailures = 5
    static let window: TimeInterval = 15 * 60
    static let concurrentChecks = 2
    static let capacity = 10_000

    enum Decision: Equatable {
        case proceed
        /// Refused; try again after this many seconds.
        case wait(seconds: Int)
    }

    private struct State {
        var failures: [String: [Date]] = [:]
        var checking = 0
    }

    private let state = Locked(State())

    /// Whether `address` may try a password now; `.proceed` reserves a check, which
    /// ``finished(_:succeeded:)`` releases.
    func begin(_ address: String, now: Date = Date()) -> Decision {
        state.withLock { state in
            let recent = (state.failures[address] ?? []).filter { now.timeIntervalSince($0) < Self.window }
            state.failures[address] = recent.isEmpty ? nil : recent
            if recent.count >= Self.allowedFailures, let oldest = recent.first {
                return .wait(seconds: max(1, Int((Self.window - now.timeIntervalSince(oldest)).rounded(.up))))
            }
            guard state.checking < Self.concurrentChecks else { return .wait(seconds: 1) }
            state.checking += 1
            return .proceed
        }
    }

    /// Releases the check `begin` reserved, and remembers a failure.
    func finished(_ address: String, succeeded: Bool, now: Date = Date()) {
        state.withLock { state in
            state.checking -= 1
            if succeeded {
                state.failures[address] = nil
                return
            }
            if state.failures[address] == nil, state.failures.count >= Self.capacity {
                state.failures = state.failures.filter { $0.value.contains { now.timeIntervalSince($0) < Self.window } }
                if state.failures.count >= Self.capacity { state.failures.removeAll(keepingCapacity: true) }
            }
            state.failures[address, default: []].append(now)
        }
    }
}
