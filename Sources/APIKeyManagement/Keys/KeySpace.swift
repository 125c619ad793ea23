package import APIKeyCore
package import APIKeyFluent
#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// The keys one caller manages (its model's, its owner's), whatever the model: what each
/// operation of the API does, apart from reading requests and writing answers.
///
/// A key outside the caller's owner is never found, so that no answer tells it exists.
package protocol KeySpace: Sendable {
    /// Now, by the app's clock.
    var now: Date { get }
    /// One page of keys made at `snapshot` or before, and how many the query finds in all.
    func list(_ query: APIKeyQuery, madeBy snapshot: Date) async throws -> (keys: [APIKeySummary], total: Int)
    /// One key, as it is now.
    func summary(of prefix: String) async throws -> APIKeySummary
    /// A new key of the caller's owner.
    func create(_ fields: NewKeyFields) async throws -> (summary: APIKeySummary, key: PlaintextAPIKey)
    /// The key, changed.
    func update(_ prefix: String, _ edit: KeyEdit) async throws -> APIKeySummary
    func delete(_ prefix: String) async throws
    func rotate(_ prefix: String, grace: Duration, expiresAt: Date?) async throws -> (summary: APIKeySummary, key: PlaintextAPIKey)
    func suspend(_ prefix: String) async throws -> APIKeySummary
    func resume(_ prefix: String) async throws -> APIKeySummary
    func revoke(_ prefix: String) async throws -> APIKeySummary
    func usage(of prefix: String, days: Int) async throws -> APIKeyUsage
    /// The key's recorded events, newest first; none when the app records none.
    func events(of prefix: String, limit: Int) async throws -> [APIKeyEvent]
}
