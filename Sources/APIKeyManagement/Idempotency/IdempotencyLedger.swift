import APIKeyCore
import Crypto
package import FluentKit
import SQLKit
#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// The writes done with an `Idempotency-Key`, for 24 hours, in the database
/// (`CreateAPIKeyIdempotency`), so that every instance sees them: a retry answers with what the
/// first request did (the key it made or changed, never its secret again) instead of doing it
/// twice. A key reused for a different request, or sent again while the first still runs, is a 409.
package final class IdempotencyLedger: Sendable {
    /// What a write did, to answer its retries with.
    package enum Outcome: Sendable, Hashable {
        /// The key it made or changed.
        case key(prefix: String)
        /// The key it deleted.
        case deleted

        var stored: String {
            switch self {
            case .key(let prefix): "key:\(prefix)"
            case .deleted: "deleted"
            }
        }

        init?(stored: String) {
            if stored == "deleted" {
                self = .deleted
            } else if stored.hasPrefix("key:") {
                self = .key(prefix: String(stored.dropFirst(4)))
            } else {
                return nil
            }
        }
    }

    /// A write the ledger lets run: what its retries are matched by.
    package struct Claim: Sendable {
        let scope: String
        let key: String
        let fingerprint: String
        let token: String
    }

    /// What to do with a write: run it, or answer with what it did before.
    package enum Start: Sendable {
        case run(Claim)
        case replay(Outcome)
    }

    package static let lifetime: TimeInterval = 24 * 3600
    /// A write still marked running after this long crashed with its instance: a retry may run it.
    package static let abandonedAfter: TimeInterval = 120
    /// When this instance last deleted rows older than ``lifetime``.
    private let lastCleanup = Locked<Date>(.distantPast)

    package init() {}

    /// A claim to run the write, or what it did when the same request was done before.
    ///
    /// - Throws: 409 when the key came with another request or its first request still runs;
    ///   database errors as they come.
    package func begin(
        scope: String, key: String, request: String, on database: any Database, now: Date
    ) async throws -> Start {
        guard let sql = database as? any SQLDatabase else { throw ManagementProblem.unavailable }
        try await cleanUp(sql, now: now)
        let fingerprint = SHA256.hash(data: Data(request.utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let claim = Claim(scope: scope, key: key, fingerprint: fingerprint, token: UUID().uuidString)
        // Two tries: the second after clearing a row that expired or was abandoned.
        for _ in 1...2 {
            try await sql.insert(into: IdempotencyTable.name)
                .columns(IdempotencyTable.scope.description, IdempotencyTable.key.description, IdempotencyTable.fingerprint.description,
                         IdempotencyTable.claim.description, IdempotencyTable.createdAt.description)
                .values(SQLBind(scope), SQLBind(key), SQLBind(fingerprint), SQLBind(claim.token), SQLBind(now))
                .ignoringConflicts(with: [IdempotencyTable.scope.description, IdempotencyTable.key.description])
                .run()
            guard let row = try await sql.select()
                .columns(IdempotencyTable.fingerprint.description, IdempotencyTable.claim.description, IdempotencyTable.outcome.description,
                         IdempotencyTable.createdAt.description)
                .from(IdempotencyTable.name)
                .where(SQLIdentifier(IdempotencyTable.scope.description), .equal, SQLBind(scope))
                .where(SQLIdentifier(IdempotencyTable.key.description), .equal, SQLBind(key))
                .first()
            else { continue }
            let token = try row.decode(column: IdempotencyTable.claim.description, as: String.self)
            if token == claim.token { return .run(claim) }
            let createdAt = try row.decode(column: IdempotencyTable.createdAt.description, as: Date.self)
            let outcome = try row.decode(column: IdempotencyTable.outcome.description, as: String?.self)
            let age = now.timeIntervalSince(createdAt)
            if age >= Self.lifetime || (outcome == nil && age >= Self.abandonedAfter) {
                try await delete(scope: scope, key: key, token: token, on: sql)
                continue
            }
            guard try row.decode(column: IdempotencyTable.fingerprint.description, as: String.self) == fingerprint else {
                throw ManagementProblem.idempotencyConflict(
                    "This Idempotency-Key was used for a different request in the last 24 hours. Use a new key for each distinct write.")
            }
            guard let outcome, let done = Outcome(stored: outcome) else {
                throw ManagementProblem.idempotencyConflict("A request with this Idempotency-Key is still being handled: wait for its answer, then retry.")
            }
            return .replay(done)
        }
        throw ManagementProblem.idempotencyConflict("A request with this Idempotency-Key is still being handled: wait for its answer, then retry.")
    }

    /// Records what the claimed write did.
    package func finish(_ claim: Claim, outcome: Outcome, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.update(IdempotencyTable.name)
            .set(SQLIdentifier(IdempotencyTable.outcome.description), to: SQLBind(outcome.stored))
            .where(SQLIdentifier(IdempotencyTable.scope.description), .equal, SQLBind(claim.scope))
            .where(SQLIdentifier(IdempotencyTable.key.description), .equal, SQLBind(claim.key))
            .where(SQLIdentifier(IdempotencyTable.claim.description), .equal, SQLBind(claim.token))
            .run()
    }

    /// Forgets a claimed write that failed, so that a retry runs it.
    package func abandon(_ claim: Claim, on database: any Database) async {
        guard let sql = database as? any SQLDatabase else { return }
        try? await delete(scope: claim.scope, key: claim.key, token: claim.token, on: sql)
    }

    private func delete(scope: String, key: String, token: String, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: IdempotencyTable.name)
            .where(SQLIdentifier(IdempotencyTable.scope.description), .equal, SQLBind(scope))
            .where(SQLIdentifier(IdempotencyTable.key.description), .equal, SQLBind(key))
            .where(SQLIdentifier(IdempotencyTable.claim.description), .equal, SQLBind(token))
            .run()
    }

    /// Deletes rows past their 24 hours, at most once a minute per instance.
    private func cleanUp(_ sql: any SQLDatabase, now: Date) async throws {
        let due = lastCleanup.withLock { last in
            guard now.timeIntervalSince(last) >= 60 else { return false }
            last = now
            return true
        }
        guard due else { return }
        try await sql.delete(from: IdempotencyTable.name)
            .where(SQLIdentifier(IdempotencyTable.createdAt.description), .lessThan, SQLBind(now.addingTimeInterval(-Self.lifetime)))
            .run()
    }
}
