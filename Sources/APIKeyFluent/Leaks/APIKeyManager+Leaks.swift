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
        case .mismatch, .unverifiable, .notChecked: return false
        }
        guard !key.isRevoked else { return true }
        try await Model.query(on: database).filter(prefix: prefix).filter(revoked: false).set(revocationColumns()).update()
        service.forget(prefix: prefix)
        let place = [report.url, report.source.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
        Logger(label: "api-keys.leaks").notice(
            "Leaked API key revoked", metadata: [APIKeyLog.prefixKey: .string(prefix), "found_at": .string(place), "reporter": .string(reporter)])
        await service.publish(
            .leakRevoked, prefixes: [prefix], name: key.name, detail: place.isEmpty ? "reported leaked" : "found at \(place)", source: reporter,
            on: database)
        return true
    }
}
