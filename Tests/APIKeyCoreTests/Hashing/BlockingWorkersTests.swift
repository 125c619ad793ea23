@_spi(Internals) @testable import APIKeyCore
import Dispatch
import Foundation
import Testing

/// The pool's rules, checked without relying on timing: work blocks on a gate the test opens, and
/// the test waits until the pool reports the state it needs before going on.
@Suite("The pool that runs slow hashes")
struct BlockingWorkersTests {
    final class Gauge: Sendable {
        private let state = Locked((current: 0, peak: 0, runs: 0))
        var peak: Int { state.withLock { $0.peak } }
        var runs: Int { state.withLock { $0.runs } }
        func enter() { state.withLock { $0.current += 1; $0.runs += 1; $0.peak = max($0.peak, $0.current) } }
        func leave() { state.withLock { $0.current -= 1 } }
    }

    /// Work that blocks until the test opens the gate once for it, as a slow hash blocks a thread.
    final class Gate: Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        let gauge = Gauge()
        func work() -> Bool {
            gauge.enter()
            semaphore.wait()
            gauge.leave()
            return true
        }
        func open(_ times: Int = 1) { for _ in 0..<times { semaphore.signal() } }
    }

    /// Waits (at most 10 s) until `condition` holds.
    static func until(_ condition: () -> Bool) async throws {
        for _ in 0..<1_000 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition())
    }

    @Test("never runs more than its limit at once, and runs everything it is given", arguments: [1, 2, 3])
    func bound(limit: Int) async throws {
        let workers = BlockingWorkers(limit: limit, queueLimit: 12)
        let gauge = Gauge()
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<12 {
                group.addTask {
                    try await workers.run {
                        gauge.enter()
                        usleep(5_000)
                        gauge.leave()
                        return index
                    }
                }
            }
            return try await group.reduce(into: Set<Int>()) { $0.insert($1) }
        }
        #expect(results == Set(0..<12))
        #expect(gauge.peak >= 1 && gauge.peak <= limit)
    }

    @Test("past its queue, a verification is refused at once, not queued")
    func queueBound() async throws {
        let workers = BlockingWorkers(limit: 1, queueLimit: 2)
        let gate = Gate()
        let admitted = (0..<3).map { _ in Task { try await workers.run { gate.work() } } }
        try await Self.until { gate.gauge.runs == 1 && workers.waitingCount == 2 }
        for _ in 0..<7 {
            await #expect(throws: LegacyHashError.busy) { try await workers.run { gate.work() } }
        }
        gate.open(3)
        for task in admitted { #expect(try await task.value) }
        #expect(gate.gauge.runs == 3)
    }

    @Test("a waiter whose request went away is dropped: its work never runs, and its place is freed")
    func cancellation() async throws {
        let workers = BlockingWorkers(limit: 1, queueLimit: 10)
        let gate = Gate()
        let running = Task { try await workers.run { gate.work() } }
        try await Self.until { gate.gauge.runs == 1 }
        let waiting = Task { try await workers.run { gate.work() } }
        try await Self.until { workers.waitingCount == 1 }
        waiting.cancel()
        await #expect(throws: LegacyHashError.cancelled) { try await waiting.value }
        #expect(workers.waitingCount == 0)
        gate.open()
        #expect(try await running.value)
        #expect(gate.gauge.runs == 1)
        #expect(try await workers.run { true })
    }

    @Test("the same key for the same row, asked for at once, is computed once")
    func sharing() async throws {
        let workers = BlockingWorkers(limit: 2, queueLimit: 10)
        let gate = Gate()
        let same = (0..<20).map { _ in Task { try await workers.verify(sharing: "row\u{0}key") { gate.work() } } }
        let other = Task { try await workers.verify(sharing: "row\u{0}other") { gate.work() } }
        try await Self.until { workers.waiters(sharing: "row\u{0}key") == 20 && gate.gauge.runs == 2 }
        gate.open(2)
        for task in same { #expect(try await task.value) }
        #expect(try await other.value)
        #expect(gate.gauge.runs == 2)
        #expect(workers.waiters(sharing: "row\u{0}key") == 0)
    }

    @Test("a shared computation goes on while one of its waiters remains, and is dropped when the last one leaves")
    func sharedCancellation() async throws {
        let workers = BlockingWorkers(limit: 1, queueLimit: 10)
        let gate = Gate()
        let blocker = Task { try await workers.run { gate.work() } }
        try await Self.until { gate.gauge.runs == 1 }
        let first = Task { try await workers.verify(sharing: "k") { gate.work() } }
        let second = Task { try await workers.verify(sharing: "k") { gate.work() } }
        try await Self.until { workers.waiters(sharing: "k") == 2 && workers.waitingCount == 1 }
        first.cancel()
        try await Self.until { workers.waiters(sharing: "k") == 1 }
        #expect(workers.waitingCount == 1, "still queued for the other waiter")
        gate.open(2)
        #expect(try await second.value)
        #expect(try await blocker.value)
        #expect(gate.gauge.runs == 2)

        let blocker2 = Task { try await workers.run { gate.work() } }
        try await Self.until { gate.gauge.runs == 3 }
        let alone = Task { try await workers.verify(sharing: "gone") { gate.work() } }
        try await Self.until { workers.waitingCount == 1 }
        alone.cancel()
        await #expect(throws: LegacyHashError.cancelled) { try await alone.value }
        try await Self.until { workers.waitingCount == 0 }
        gate.open()
        #expect(try await blocker2.value)
        #expect(gate.gauge.runs == 3, "the abandoned computation never ran")
    }

    @Test("the default pool leaves a core for everything else")
    func defaultLimit() {
        #expect(BlockingWorkers.defaultLimit == max(1, System.activeProcessorCount - 1))
        #expect(BlockingWorkers.shared.queueLimit == max(32, 16 * BlockingWorkers.defaultLimit))
    }
}
