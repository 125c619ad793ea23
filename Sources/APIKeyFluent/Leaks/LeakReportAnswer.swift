import Foundation

/// What the leak endpoint answers, for framework glue to send: a status, its fields and a JSON
/// body.
package struct LeakReportAnswer: Sendable, Equatable {
    package let status: Int
    package let headers: [(name: String, value: String)]
    package let body: String

    /// Accepted: `[]`, whatever the tokens were (GitHub takes an empty array as no feedback).
    static let received = LeakReportAnswer(status: 200, body: "[]")

    init(status: Int, headers: [(name: String, value: String)] = [], body: String) {
        self.status = status
        self.headers = [(name: "Content-Type", value: "application/json"), (name: "Cache-Control", value: "no-store")] + headers
        self.body = body
    }

    /// A refusal, with a message for the sender.
    static func refused(_ status: Int, _ message: String, headers: [(name: String, value: String)] = []) -> LeakReportAnswer {
        let body = (try? JSONEncoder().encode(["error": message])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return LeakReportAnswer(status: status, headers: headers, body: body)
    }

    package static func == (lhs: LeakReportAnswer, rhs: LeakReportAnswer) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body && lhs.headers.map(\.name) == rhs.headers.map(\.name)
            && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }
}
