@testable import APIKeyCore
import Foundation
import Testing

@Suite("The pool that runs slow hashes")
struct BlockingWorkersTests {
    final class Gauge: Sendable {
        private let state = Locked((current: 0, peak: 0, runs: 0))
        var peak: Int { state.withLock { $0.peak } }
        var runs: Int { state.withLock { $0.runs } }
        func enter() { state.withLock { $0.current += 1; $0.runs += 1; $0.peak = max($0.peak, $0.current) } }
        func leave() { state.withLock { $0.current -= 1 } }
    }

    /// Blocking work, as a slow hash is.
    static func slow(_ gauge: Gauge, milliseconds: UInt32 = 20) -> Bool {
        gauge.enter()
        usleep(milliseconds * 1_000)
        gauge.leave()
        return true
    }

    @Test("never runs more than its limit at once, and runs everything it is given", arguments: [1, 2, 3])
    func bound(limit: Int) async throws {
        let workers = BlockingWorkers(limit: limit, queueLimit: 12)
        let gauge = Gauge()
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<12 {
                group.addTask {
                    try await workers.run {
                        _ = Self.slow(gauge)
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
        let gauge = Gauge()
        let outcomes = await withTaskGroup(of: String.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    do {
                        return try await workers.run { Self.slow(gauge, milliseconds: 200) } ? "ran" : "?"
                    } catch {
                        return "\(error)"
                    }
                }
            }
            return await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
        }
        #expect(outcomes["ran"] == 3 && outcomes["busy"] == 7, "\(outcomes)")
        #expect(gauge.runs == 3)
    }

    @Test("a waiter whose request went away is dropped: its work never runs")
    func cancellation() async throws {
        let workers = BlockingWorkers(limit: 1, queueLimit: 10)
        let gauge = Gauge()
        let busy = Task { try await workers.run { Self.slow(gauge, milliseconds: 300) } }
        try await Task.sleep(for: .milliseconds(50))
        let waiting = Task { try await workers.run { Self.slow(gauge) } }
        try await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        await #expect(throws: LegacyHashError.cancelled) { try await waiting.value }
        #expect(try await busy.value)
        #expect(gauge.runs == 1)
        // The slot it would have used is free again.
        #expect(try await workers.run { Self.slow(gauge) })
    }

    @Test("the same key for the same row, asked for at once, is computed once")
    func sharing() async throws {
        let workers = BlockingWorkers(limit: 2, queueLimit: 10)
        let gauge = Gauge()
        let answers = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 { group.addTask { try await workers.verify(sharing: "row\u{0}key") { Self.slow(gauge, milliseconds: 200) } } }
            group.addTask { try await workers.verify(sharing: "row\u{0}other") { Self.slow(gauge, milliseconds: 200) } }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(answers.count == 21 && answers.allSatisfy { $0 })
        #expect(gauge.runs == 2)
    }

    @Test("a shared computation is dropped only when everyone who waits for it has gone")
    func sharedCancellation() async throws {
        let workers = BlockingWorkers(limit: 1, queueLimit: 10)
        let gauge = Gauge()
        let blocker = Task { try await workers.run { Self.slow(gauge, milliseconds: 300) } }
        try await Task.sleep(for: .milliseconds(50))
        let first = Task { try await workers.verify(sharing: "k") { Self.slow(gauge) } }
        let second = Task { try await workers.verify(sharing: "k") { Self.slow(gauge) } }
        try await Task.sleep(for: .milliseconds(50))
        first.cancel()
        #expect(try await second.value, "the other waiter still gets its answer")
        #expect(try await blocker.value)
        #expect(gauge.runs == 2)
        let third = Task { try await workers.verify(sharing: "gone") { Self.slow(gauge) } }
        let blocker2 = Task { try await workers.run { Self.slow(gauge, milliseconds: 300) } }
        third.cancel()
        _ = try? await third.value
        _ = try await blocker2.value
        #expect(gauge.runs <= 4)
    }

    @Test("the default pool leaves a core for everything else")
    func defaultLimit() {
        #expect(BlockingWorkers.defaultLimit == max(1, System.activeProcessorCount - 1))
        #expect(BlockingWorkers.shared.queueLimit == max(32, 16 * BlockingWorkers.defaultLimit))
    }
}
