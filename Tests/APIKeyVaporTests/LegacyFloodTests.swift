import APIKeyFluent
import APIKeyVapor
import APIKeyVaporTesting
import Fluent
import Foundation
import TestSupport
import Testing
import VaporTesting

/// One client flooding a legacy prefix with wrong secrets must not stall everyone else.
@Suite("A flood of wrong secrets for a legacy key")
struct LegacyFloodTests {
    /// A row as djangorestframework-api-key 2.x wrote it with Django 5.2's PBKDF2 (1,000,000
    /// iterations: about 0.1 s of CPU per check in a release build).
    static let legacyKey = "abcdEFGH.0123456789abcdefghijABCDEFGHIJkl"
    static let legacyHash = "pbkdf2_sha256$1000000$fixedsalt0123456789abc$742zqQmNoguS0fKEURAVStdZphadBSAJrvg/7b7uQHI="

    @Test("past the queue, 503 at once, never 500 and never a grant; SHA-512 keys are served throughout; the legacy key still verifies afterwards")
    func flood() async throws {
        try await withTestApp(.sqlite) { app in
            app.logger.logLevel = .critical  // the flood's refusals would drown the output
            app.apiKeys.scheme = KeyScheme(legacyHashes: LegacyHashing(maximumConcurrentVerifications: 1, maximumQueuedVerifications: 2))
            app.grouped(HasAPIKey()).get("p") { _ in "ok" }
            let legacy = APIKey()
            legacy.prefix = "abcdEFGH"
            legacy.hashedKey = Self.legacyHash
            legacy.name = "legacy"
            legacy.isRevoked = false
            try await legacy.create(on: app.db)
            let (_, valid) = try await app.apiKeys.manager().createKey(name: "fast")

            let statuses = await withTaskGroup(of: (String, UInt).self) { group in
                for index in 0..<24 {
                    group.addTask {
                        let wrong = "abcdEFGH." + String(format: "%032d", index)
                        var status: UInt = 0
                        _ = try? await app.testing().test(.GET, "p", headers: .apiKey(wrong)) { res in status = res.status.code }
                        return ("flood", status)
                    }
                    group.addTask {
                        var status: UInt = 0
                        _ = try? await app.testing().test(.GET, "p", headers: .apiKey(valid)) { res in status = res.status.code }
                        return ("valid", status)
                    }
                }
                return await group.reduce(into: [String: [UInt: Int]]()) { $0[$1.0, default: [:]][$1.1, default: 0] += 1 }
            }
            #expect(statuses["valid"] == [200: 24], "\(statuses)")
            let flood = statuses["flood"] ?? [:]
            #expect(Set(flood.keys).isSubset(of: [401, 503]), "\(flood)")
            #expect((flood[503] ?? 0) >= 1 && (flood[401] ?? 0) >= 1, "\(flood)")
            // Once the flood is over, the right key is checked, granted and upgraded.
            try await app.testing().test(.GET, "p", headers: .apiKey(Self.legacyKey)) { res in #expect(res.status == .ok) }
            #expect(try await APIKey.query(on: app.db).filter(\.$prefix == "abcdEFGH").first()?.hashedKey.hasPrefix("sha512$$") == true)
        }
    }
}
