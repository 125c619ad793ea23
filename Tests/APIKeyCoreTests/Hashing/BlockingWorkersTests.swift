import APIKeyCore
@testable import APIKeyCore
import Foundation
import Testing

@Suite("The pool that runs slow hashes")
struct BlockingWorkersTests {
    final class Gauge: Sendable {
        private let state = Locked((current: 0, peak: 0))
        var peak: Int { state.withLock { $0.peak } }
        func enter() { state.withLock { $0.current += 1; $0.peak = max($0.peak, $0.current) } }
        func leave() { state.withLock { $0.current -= 1 } }
    }

    @Test("never runs more than its limit at once, and runs everything it is given", arguments: [1, 2, 3])
    func bound(limit: Int) async {
        let workers = BlockingWorkers(limit: limit)
        let gauge = Gauge()
        let results = await withTaskGroup(of: Int.self) { group in
            for index in 0..<12 {
                group.addTask {
                    await workers.run {
                        gauge.enter()
                        usleep(20_000)  // blocking work, as a slow hash is
                        gauge.leave()
                        return index
                    }
                }
            }
            return await group.reduce(into: Set<Int>()) { $0.insert($1) }
        }
        #expect(results == Set(0..<12))
        #expect(gauge.peak >= 1 && gauge.peak <= limit)
    }
}
