import APIKeyCore
import Foundation

/// Lengths of time typed by people (`30d`, `12h`, `90m`, `45s`), in the commands and the admin
/// panels: a whole number and one unit, nothing else.
package enum DurationInput {
    package struct Invalid: Error, CustomStringConvertible {
        let text: String
        package var description: String {
            "\"\(APIKeyFieldError.printable(SecretRedaction.redact(text)))\" is not a length of time: use a whole number and a unit, such as 30d, 12h, 90m or 45s"
        }
    }

    /// The length `text` names: `30d` is 30 days. At most 100 years.
    package static func parse(_ text: String) throws(Invalid) -> Duration {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let unit = trimmed.last, let count = Int(trimmed.dropLast()), count >= 0, !trimmed.dropLast().hasPrefix("+"),
              trimmed.dropLast().allSatisfy(\.isASCII)
        else { throw Invalid(text: text) }
        let seconds: Int
        switch unit {
        case "s": seconds = 1
        case "m": seconds = 60
        case "h": seconds = 3_600
        case "d": seconds = 86_400
        default: throw Invalid(text: text)
        }
        let (total, overflow) = count.multipliedReportingOverflow(by: seconds)
        guard !overflow, total <= 100 * 366 * 86_400 else { throw Invalid(text: text) }
        return .seconds(total)
    }
}
