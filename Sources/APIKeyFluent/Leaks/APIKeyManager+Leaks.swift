@_spi(Internals) import APIKeyCore
import FluentKit
import Logging

extension APIKeyManager {
    /// Revokes the key `report` holds if it is one of this model's keys and matches its hash;
    /// whether it did. A key revoked already, a token of another format, or one that does not
    /// match changes nothing. Published as `leakRevoked`, with where it was found.
    package func revokeLeaked(_ report: LeakReport, reporter: String) async throws -> Bool {
        guard let prefix = service.scheme.generator.prefix(ofPresentedKey: report.token) else { return false }
        let found: Model?
        do {
            found = try await Model.query(on: database).filter(prefix: prefix).first()
        } catch FluentError.invalidField {
            found = nil  // A row that cannot be read is refused anyway.
        }
        guard let key = found else {
            // Hashed anyway, as verification does: how long this takes tells nothing.
            _ = service.scheme.hasher.hash(report.token)
            return false
        }
        switch await service.scheme.check(report.token, against: key.hashedKey) {
        case .match, .matchNeedsUpgrade: break
        case .mismatch, .unverifiable: return false
        case .notChecked:
            // A legacy hash that could not be checked now: nothing is known, so the report is
            // answered 503 and sent again, never dropped as if the token were no key.
            throw LegacyHashError.busy
        }
        let place = [report.url, report.source.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
        Logger(label: "api-keys.leaks").notice(
            "Leaked API key reported", metadata: [APIKeyLog.prefixKey: .string(prefix), "found_at": .string(place), "reporter": .string(reporter)])
        try await acting(as: reporter).revoke(prefixes: [prefix], as: .leakRevoked, detail: place.isEmpty ? "reported leaked" : "found at \(place)")
        return true
    }
}
