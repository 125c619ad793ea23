import APIKeyCore
import Foundation
import Testing

@Suite("Usage gathered in memory")
struct UsageRecorderTests {
    let day = Date(timeIntervalSince1970: 1_764_806_400)  // 2025-12-04T00:00:00Z

    @Test("nothing is gathered before a writer starts; then counts per day and outcome, and the latest granted use")
    func gathers() {
        let recorder = UsageRecorder(maximumPendingKeys: 10)
        recorder.record(prefix: "aaaaaaaa", outcome: UsageRecorder.granted, at: day)
        #expect(recorder.take().isEmpty, "no writer: nothing held")

        recorder.start()
        recorder.record(prefix: "aaaaaaaa", outcome: UsageRecorder.granted, at: day.addingTimeInterval(30))
        recorder.record(prefix: "aaaaaaaa", outcome: UsageRecorder.granted, at: day.addingTimeInterval(10))
        recorder.record(prefix: "aaaaaaaa", outcome: "mismatch", at: day.addingTimeInterval(86_400 + 5))
        recorder.record(prefix: "bbbbbbbb", outcome: "expired", at: day)
        let batch = recorder.take()
        #expect(batch.lastUsed == ["aaaaaaaa": day.addingTimeInterval(30)], "the latest use, whatever the order; refusals are no use")
        let today = UsageBatch.day(of: day)
        #expect(batch.counts == [
            .init(prefix: "aaaaaaaa", day: today, outcome: "granted"): 2,
            .init(prefix: "aaaaaaaa", day: today + 1, outcome: "mismatch"): 1,
            .init(prefix: "bbbbbbbb", day: today, outcome: "expired"): 1,
        ])
        #expect(recorder.take().isEmpty, "taken once")
    }

    @Test("past the pending limit, uses of further keys are dropped and counted; known keys still count")
    func bounded() {
        let recorder = UsageRecorder(maximumPendingKeys: 2)
        recorder.start()
        for prefix in ["aaaaaaaa", "bbbbbbbb", "cccccccc", "dddddddd"] { recorder.record(prefix: prefix, outcome: "granted", at: day) }
        recorder.record(prefix: "aaaaaaaa", outcome: "granted", at: day)
        let batch = recorder.take()
        #expect(batch.prefixCount == 2 && batch.dropped == 2)
        #expect(batch.counts[.init(prefix: "aaaaaaaa", day: UsageBatch.day(of: day), outcome: "granted")] == 2)
    }

    @Test("a batch given back after a failed write is merged with what came since: nothing lost, nothing twice")
    func putBack() {
        let recorder = UsageRecorder(maximumPendingKeys: 10)
        recorder.start()
        recorder.record(prefix: "aaaaaaaa", outcome: "granted", at: day.addingTimeInterval(50))
        let failed = recorder.take()
        recorder.record(prefix: "aaaaaaaa", outcome: "granted", at: day.addingTimeInterval(20))
        recorder.putBack(failed)
        let batch = recorder.take()
        #expect(batch.lastUsed["aaaaaaaa"] == day.addingTimeInterval(50))
        #expect(batch.counts.values.reduce(0, +) == 2)
    }

    @Test("UTC days: the instant before midnight and midnight are two days")
    func days() {
        #expect(UsageBatch.day(of: day) - UsageBatch.day(of: day.addingTimeInterval(-1)) == 1)
        #expect(UsageBatch.day(of: Date(timeIntervalSince1970: 0)) == 0)
        #expect(UsageBatch.day(of: Date(timeIntervalSince1970: -1)) == -1)
    }
}
