#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One leaked credential, as GitHub's secret scanning partner program reports it:
/// `{"token": "…", "type": "…", "url": "…", "source": "content"}`.
package struct LeakReport: Sendable, Decodable, Equatable {
    /// The credential found; never logged, never stored.
    package let token: String
    /// The pattern's name at the reporter (`acme_api_key`).
    package let type: String?
    /// Where it was found.
    package let url: String?
    /// What kind of place (`content`, `commit`, `npm`, …).
    package let source: String?

    package init(token: String, type: String? = nil, url: String? = nil, source: String? = nil) {
        (self.token, self.type, self.url, self.source) = (token, type, url, source)
    }

    /// The longest token, URL, type or source taken: a key is far shorter, and a URL longer than
    /// this is cut.
    package static let longestToken = 512
    static let longestText = 2048

    /// Why a body is not a report: said to its sender as a 400.
    package struct Problem: Error, Equatable {
        package let message: String
    }

    /// The reports in `body`: a JSON array of 1 to `maximum` objects, each with a string
    /// `token`. Anything else is a ``Problem`` that says what is accepted.
    package static func parse(_ body: [UInt8], maximum: Int) throws(Problem) -> [LeakReport] {
        let accepted = "a JSON array of 1 to \(maximum) objects such as {\"token\": \"…\", \"type\": \"…\", \"url\": \"…\", \"source\": \"content\"}"
        let reports: [LeakReport]
        do {
            reports = try JSONDecoder().decode([LeakReport].self, from: Data(body))
        } catch {
            throw Problem(message: "The body must be \(accepted).")
        }
        guard (1...maximum).contains(reports.count) else {
            throw Problem(message: "The body must be \(accepted); it has \(reports.count).")
        }
        guard reports.allSatisfy({ !$0.token.isEmpty && $0.token.utf8.count <= longestToken }) else {
            throw Problem(message: "Each token must be 1 to \(longestToken) bytes.")
        }
        return reports.map { report in
            LeakReport(token: report.token, type: report.type.map(cut), url: report.url.map(cut), source: report.source.map(cut))
        }
    }

    private static func cut(_ text: String) -> String {
        text.utf8.count <= longestText ? text : String(decoding: text.utf8.prefix(longestText), as: UTF8.self)
    }
}
