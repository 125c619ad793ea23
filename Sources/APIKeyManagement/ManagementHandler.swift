package import APIKeyManagementContract
import APIKeyCore
import APIKeyFluent
import FluentKit
import Logging
import OpenAPIRuntime
import Foundation

/// The management API's operations (the contract's `APIProtocol`), for any framework: reads the
/// generated input, checks what the generated code does not (lengths, ranges, patterns), runs
/// the operation on the caller's ``KeySpace`` and answers with the generated output. Every
/// failure is a ``ManagementProblem``.
package struct ManagementHandler: APIProtocol {
    private let ledger = IdempotencyLedger()
    private let logger = Logger(label: "api-keys.management")

    package init() {}

    // MARK: Operations

    package func listKeys(_ input: Operations.ListKeys.Input) async throws -> Operations.ListKeys.Output {
        let session = try Self.session()
        let query = input.query
        let limit = try Self.limit(query.limit)
        var position = ListCursor(offset: 0, snapshot: session.keys.now)
        if let token = query.cursor {
            guard let cursor = ListCursor(token: token) else {
                throw ManagementProblem.invalidRequest("The cursor is not one this API gave: pass a page's next_cursor as it is, or leave it out for the first page.")
            }
            position = cursor
        }
        let offset = position.offset
        var keyQuery = APIKeyQuery(limit: limit)
        keyQuery.offset = offset
        if let q = query.q {
            guard q.count <= 100 else { throw ManagementProblem.invalidRequest("q is \(q.count) characters long: at most 100 are accepted.") }
            keyQuery.search = q
        }
        if let status = query.status { keyQuery.status = APIKeyQuery.Status(named: status.rawValue) ?? .all }
        if let scope = query.scope {
            guard scope.count <= 100 else { throw ManagementProblem.invalidRequest("scope is \(scope.count) characters long: at most 100 are accepted.") }
            keyQuery.scope = scope
        }
        if let days = query.idleDays {
            guard (1...3660).contains(days) else { throw ManagementProblem.invalidRequest("idle_days must be 1 to 3660, got \(days).") }
            keyQuery.notUsedSince = session.keys.now.addingTimeInterval(-Double(days) * 86_400)
            keyQuery.order = .longestIdle
        }
        if let sort = query.sort { keyQuery.order = APIKeyQuery.Order(named: sort.rawValue) ?? .newestFirst }
        do {
            let (keys, total) = try await session.keys.list(keyQuery, madeBy: position.snapshot)
            let next = offset + keys.count < total && !keys.isEmpty ? ListCursor(offset: offset + keys.count, snapshot: position.snapshot).token : nil
            return .ok(.init(body: .json(.init(items: try keys.map(Components.Schemas.Key.init), nextCursor: next))))
        } catch {
            throw problem(for: error)
        }
    }

    package func createKey(_ input: Operations.CreateKey.Input) async throws -> Operations.CreateKey.Output {
        let session = try Self.session()
        guard case .json(let body) = input.body else { throw ManagementProblem.invalidRequest("The body must be JSON (application/json).") }
        let fields = try Self.newKeyFields(body)
        return try await idempotently(
            input.headers.idempotencyKey, operation: "createKey", body: body, session: session,
            replay: { outcome in
                guard case .key(let prefix) = outcome else { throw ManagementProblem.conflict("The key this request made is gone.") }
                return .ok(.init(body: .json(.init(key: try await Components.Schemas.Key(session.keys.summary(of: prefix))))))
            },
            work: {
                let (summary, key) = try await session.keys.create(fields)
                return (.created(.init(body: .json(.init(key: try Components.Schemas.Key(summary), secret: key.reveal())))), .key(prefix: summary.prefix))
            })
    }

    package func getKey(_ input: Operations.GetKey.Input) async throws -> Operations.GetKey.Output {
        let session = try Self.session()
        let prefix = try Self.prefix(input.path.prefix)
        do {
            return .ok(.init(body: .json(try await Components.Schemas.Key(session.keys.summary(of: prefix)))))
        } catch {
            throw problem(for: error)
        }
    }

    package func updateKey(_ input: Operations.UpdateKey.Input) async throws -> Operations.UpdateKey.Output {
        let session = try Self.session()
        let prefix = try Self.prefix(input.path.prefix)
        guard case .json(let body) = input.body else { throw ManagementProblem.invalidRequest("The body must be JSON (application/json).") }
        let edit = try Self.edit(body)
        return try await idempotently(
            input.headers.idempotencyKey, operation: "updateKey \(prefix)", body: body, session: session,
            replay: { _ in .ok(.init(body: .json(try await Components.Schemas.Key(session.keys.summary(of: prefix))))) },
            work: {
                let summary = try await session.keys.update(prefix, edit)
                return (.ok(.init(body: .json(try Components.Schemas.Key(summary)))), .key(prefix: prefix))
            })
    }

    package func deleteKey(_ input: Operations.DeleteKey.Input) async throws -> Operations.DeleteKey.Output {
        let session = try Self.session()
        let prefix = try Self.prefix(input.path.prefix)
        return try await idempotently(
            input.headers.idempotencyKey, operation: "deleteKey \(prefix)", body: "", session: session,
            replay: { _ in .noContent(.init()) },
            work: {
                try await session.keys.delete(prefix)
                return (.noContent(.init()), .deleted)
            })
    }

    package func rotateKey(_ input: Operations.RotateKey.Input) async throws -> Operations.RotateKey.Output {
        let session = try Self.session()
        let prefix = try Self.prefix(input.path.prefix)
        guard case .json(let body) = input.body else { throw ManagementProblem.invalidRequest("The body must be JSON (application/json).") }
        guard (0...31_622_400).contains(body.graceSeconds) else {
            throw ManagementProblem.invalidRequest("grace_seconds must be 0 to 31622400 (366 days), got \(body.graceSeconds).")
        }
        return try await idempotently(
            input.headers.idempotencyKey, operation: "rotateKey \(prefix)", body: body, session: session,
            replay: { outcome in
                guard case .key(let newPrefix) = outcome else { throw ManagementProblem.conflict("The key this request made is gone.") }
                return .ok(.init(body: .json(.init(key: try await Components.Schemas.Key(session.keys.summary(of: newPrefix))))))
            },
            work: {
                let (summary, key) = try await session.keys.rotate(prefix, grace: .seconds(body.graceSeconds), expiresAt: body.expiresAt)
                return (.created(.init(body: .json(.init(key: try Components.Schemas.Key(summary), secret: key.reveal())))), .key(prefix: summary.prefix))
            })
    }

    package func suspendKey(_ input: Operations.SuspendKey.Input) async throws -> Operations.SuspendKey.Output {
        let session = try Self.session()
        let prefix = try Self.prefix(input.path.prefix)
        do {
            return .ok(.init(body: .json(try await Components.Schemas.Key(session.keys.suspend(prefix)))))
        } catch {
            throw problem(for: error)
        }
    }

    package func resumeKey(_ input: Operations.ResumeKey.Input) async throws -> Operations.ResumeKey.Output {
        let session = try Self.session()
        let prefix = try Self.prefix(input.path.prefix)
        do {
            return .ok(.init(body: .json(try await Components.Schemas.Key(session.keys.resume(prefix)))))
        } catch {
            throw problem(for: error)
        }
    }

    package func revokeKey(_ input: Operations.RevokeKey.Input) async throws -> Operations.RevokeKey.Output {
        let session = try Self.session()
        let prefix = try Self.prefix(input.path.prefix)
        do {
            return .ok(.init(body: .json(try await Components.Schemas.Key(session.keys.revoke(prefix)))))
        } catch {
            throw problem(for: error)
        }
    }

    package func getKeyUsage(_ input: Operations.GetKeyUsage.Input) async throws -> Operations.GetKeyUsage.Output {
        let session = try Self.session()
        let prefix = try Self.prefix(input.path.prefix)
        let days = input.query.days ?? 30
        guard (1...366).contains(days) else { throw ManagementProblem.invalidRequest("days must be 1 to 366, got \(days).") }
        do {
            return .ok(.init(body: .json(.init(try await session.keys.usage(of: prefix, days: days)))))
        } catch {
            throw problem(for: error)
        }
    }

    package func listKeyEvents(_ input: Operations.ListKeyEvents.Input) async throws -> Operations.ListKeyEvents.Output {
        let session = try Self.session()
        let prefix = try Self.prefix(input.path.prefix)
        let limit = try Self.limit(input.query.limit)
        do {
            return .ok(.init(body: .json(.init(items: try await session.keys.events(of: prefix, limit: limit).map(Components.Schemas.Event.init)))))
        } catch {
            throw problem(for: error)
        }
    }

    // MARK: Reading input

    /// The session ``ManagementGate`` bound; fails closed without one.
    private static func session() throws(ManagementProblem) -> ManagementSession {
        guard let session = ManagementSession.current else { throw .unavailable }
        return session
    }

    /// A prefix as the contract accepts it: 1 to 32 letters and digits.
    private static func prefix(_ prefix: String) throws(ManagementProblem) -> String {
        guard (1...32).contains(prefix.count), prefix.unicodeScalars.allSatisfy({ $0.isASCII && CharacterSet.alphanumerics.contains($0) }) else {
            throw .invalidRequest("A key's prefix, its public part, is 1 to 32 letters and digits (C7oAzBnJ, say); this one is not.")
        }
        return prefix
    }

    private static func limit(_ limit: Int?) throws(ManagementProblem) -> Int {
        let limit = limit ?? 25
        guard (1...100).contains(limit) else { throw .invalidRequest("limit must be 1 to 100, got \(limit).") }
        return limit
    }

    private static func listLimits(scopes: [String]?, allowedIPs: [String]?) throws(ManagementProblem) {
        if let scopes {
            guard scopes.count <= 100, scopes.allSatisfy({ $0.count <= 100 }) else {
                throw .invalidRequest("scopes takes at most 100 names of at most 100 characters each.")
            }
        }
        if let allowedIPs {
            guard allowedIPs.count <= 100, allowedIPs.allSatisfy({ $0.count <= 64 }) else {
                throw .invalidRequest("allowed_ips takes at most 100 addresses or ranges of at most 64 characters each.")
            }
        }
    }

    private static func rateLimit(_ text: String) throws(ManagementProblem) -> RateLimit {
        guard text.count <= 32 else { throw .invalidRequest("rate_limit is at most 32 characters, such as 100/min.") }
        do {
            return try RateLimit(parsing: text)
        } catch {
            throw .unprocessable(field: "rate_limit", error.description)
        }
    }

    private static func metadata(_ container: OpenAPIObjectContainer) throws(ManagementProblem) -> APIKeyMetadata {
        do {
            return try APIKeyMetadata(container)
        } catch {
            throw .unprocessable(field: "metadata", error.description)
        }
    }

    private static func newKeyFields(_ body: Components.Schemas.NewKey) throws(ManagementProblem) -> NewKeyFields {
        try listLimits(scopes: body.scopes, allowedIPs: body.allowedIps)
        return NewKeyFields(
            name: body.name, expiresAt: body.expiresAt, scopes: body.scopes ?? [], allowedIPs: body.allowedIps ?? [],
            metadata: try body.metadata.map { (payload) throws(ManagementProblem) in try metadata(payload.additionalProperties) },
            rateLimit: try body.rateLimit.map { (text) throws(ManagementProblem) in try rateLimit(text) })
    }

    private static func edit(_ body: Components.Schemas.KeyChanges) throws(ManagementProblem) -> KeyEdit {
        try listLimits(scopes: body.scopes, allowedIPs: body.allowedIps)
        let clear = Set(body.clear ?? [])
        for (field, given) in [(Components.Schemas.KeyChanges.ClearPayloadPayload.expiresAt, body.expiresAt != nil), (.rateLimit, body.rateLimit != nil), (.metadata, body.metadata != nil)]
        where clear.contains(field) && given {
            throw .invalidRequest("\(field.rawValue) is both given and cleared: give a value, or clear it, not both.")
        }
        var edit = KeyEdit()
        edit.name = body.name
        edit.scopes = body.scopes
        edit.allowedIPs = body.allowedIps
        if let expiresAt = body.expiresAt { edit.expiresAt = .some(expiresAt) } else if clear.contains(.expiresAt) { edit.expiresAt = .some(nil) }
        if let text = body.rateLimit { edit.rateLimit = .some(try rateLimit(text)) } else if clear.contains(.rateLimit) { edit.rateLimit = .some(nil) }
        if let payload = body.metadata {
            edit.metadata = .some(try metadata(payload.additionalProperties))
        } else if clear.contains(.metadata) {
            edit.metadata = .some(nil)
        }
        guard edit.name != nil || edit.expiresAt != nil || edit.scopes != nil || edit.allowedIPs != nil || edit.metadata != nil || edit.rateLimit != nil else {
            throw .invalidRequest("Give at least one change: name, expires_at, scopes, allowed_ips, rate_limit, metadata, or clear.")
        }
        return edit
    }

    // MARK: Idempotency

    /// Runs a write once per `Idempotency-Key` (per owner): a retry of the same request answers
    /// with `replay` of what the first did; without the header, the write just runs.
    private func idempotently<Output>(
        _ header: String?, operation: String, body: some Encodable, session: ManagementSession,
        replay: (IdempotencyLedger.Outcome) async throws -> Output, work: () async throws -> (Output, IdempotencyLedger.Outcome)
    ) async throws -> Output {
        // As sent, checked by the gate (the generated input has it decoded as a URI component).
        guard header != nil, let header = session.idempotencyKey else {
            do {
                return try await work().0
            } catch {
                throw problem(for: error)
            }
        }
        let caller = session.caller
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        let request = operation + "\u{0}" + String(decoding: (try? encoder.encode(body)) ?? Data(), as: UTF8.self)
        let claim: IdempotencyLedger.Claim
        do {
            switch try await ledger.begin(
                scope: "\(caller.keyTable) \(caller.owner ?? "")", key: header, request: request, on: session.database, now: session.keys.now)
            {
            case .run(let claimed): claim = claimed
            case .replay(let outcome): return try await replay(outcome)
            }
        } catch {
            throw problem(for: error)
        }
        do {
            let (output, outcome) = try await work()
            // The write is done: if its record fails, a retry finds the row running and waits.
            try? await ledger.finish(claim, outcome: outcome, on: session.database)
            return output
        } catch {
            await ledger.abandon(claim, on: session.database)
            throw problem(for: error)
        }
    }

    // MARK: Errors

    /// The problem a failure stands for; a failure of the database is a 503, logged.
    private func problem(for error: any Error) -> ManagementProblem {
        switch error {
        case let problem as ManagementProblem:
            return problem
        case let error as APIKeyFieldError:
            return .unprocessable(field: error.field.name, error.description)
        case let error as APIKeyManagerError:
            switch error.code {
            case .invalidName: return .unprocessable(field: "name", error.description)
            case .invalidExpiry: return .unprocessable(field: "expires_at", error.description)
            case .invalidGrace: return .unprocessable(field: "grace_seconds", error.description)
            case .invalidField: return .unprocessable(field: error.field?.name ?? "body", error.description)
            case .notSupported: return .unprocessable(field: "body", error.description)
            case .notFound, .denied: return ManagementProblem("not-found", status: 404, title: "No such key", detail: "No API key with this prefix is yours to manage.")
            case .revocationIsFinal, .stillReferenced, .notRotatable: return .conflict(error.description)
            default: break
            }
        default:
            break
        }
        logger.error("The key store failed a management request", metadata: ["error": "\(String(reflecting: error))"])
        return .unavailable
    }
}
