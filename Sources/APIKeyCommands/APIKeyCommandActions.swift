import APIKeyCore
package import APIKeyFluent
package import FluentKit
import Foundation

/// What `api-keys create|list|revoke|delete` do: the messages and the output of
/// ``APIKeysCommand``'s subcommands, apart from parsing.
///
/// ```swift
/// try await APIKeyCommandActions(manager: keys, output: .terminal).create(name: "billing", expires: "2027-01-31")
/// ```
package struct APIKeyCommandActions<Model: APIKeyModel>: Sendable {
    /// The keys it works on.
    package let manager: APIKeyManager<Model>
    /// Where it writes.
    package let output: CommandOutput

    /// Actions on `manager`'s keys, writing to `output`.
    package init(manager: APIKeyManager<Model>, output: CommandOutput = .terminal) {
        self.manager = manager.source == nil ? manager.acting(as: "commands") : manager
        self.output = output
    }

    /// Creates a key and prints it alone on standard output, once.
    ///
    /// - Parameters:
    ///   - name: 1 to 50 characters.
    ///   - expires: `YYYY-MM-DD` (midnight UTC), `YYYY-MM-DD HH:MM` (UTC) or an ISO 8601 date-time.
    ///   - access: Scopes, allowlist and metadata, as typed.
    ///   - prepare: Sets a custom model's own fields (an owner) before the key is saved.
    package func create(
        name: String, expires: String?, access: AccessOptions = AccessOptions(), prepare: (Model) async throws -> Void = { _ in }
    ) async throws {
        let expiresAt = try CommandPrinting.expiry(expires)
        try APIKeyManager<Model>.validate(newExpiry: expiresAt, now: manager.now())
        let metadata = try access.parsedMetadata()
        let rateLimit = try access.parsedRateLimit() ?? nil
        let model: Model
        let key: PlaintextAPIKey
        do {
            (model, key) = try await manager.createKey(
                name: name, expiresAt: expiresAt, scopes: access.scopes, allowedIPs: access.allowedIPs, metadata: metadata, rateLimit: rateLimit,
                configure: prepare)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // A column of the app's own that nothing filled (an owner): the database's message
            // names a column, not what to do.
            throw APIKeyCommandError(
                "the key could not be saved: the \(Model.schema) table needs a value that create did not give, such as an owner "
                    + "(the database refused the row). Give it with the app's own option (see api-keys create --help); "
                    + "an app adds one by implementing APIKeyCommandEnvironment.prepareNewKey")
        }
        // The app's lifetime policy may have given it an expiry: say so.
        let expiry = expiresAt == nil ? model.effectiveExpiry.map { " It expires \(DateInput.display($0)) (the app's default lifetime)." } ?? "" : ""
        output.standardError("Created API key \(model.prefix) (\"\(model.name)\").\(expiry) Store it somewhere safe: it will not be shown again.")
        output.standardOutput(key.reveal())
    }

    /// Changes one key: the fields given, and only those. Prints the key's prefix and what it
    /// holds now.
    package func update(
        _ input: String, name: String?, expires: String?, access: AccessOptions, clear: ClearOptions,
        narrowedBy narrow: (QueryBuilder<Model>) -> QueryBuilder<Model> = { $0 }
    ) async throws {
        let prefix = SecretRedaction.prefix(ofInput: input)
        try await requireExisting([prefix], narrowedBy: narrow)
        guard let model = try await manager.model(prefix: prefix) else { throw APIKeyCommandError("no API key has the prefix \(prefix); nothing was changed") }
        guard name != nil || expires != nil || !access.isEmpty || !clear.isEmpty else {
            throw APIKeyCommandError("give at least one change: --name, --expires, --scope, --allow-ip, --metadata, --rate-limit, or a --clear-… flag")
        }
        if let rateLimit = try access.parsedRateLimit() {
            guard let rated = model as? any RateLimitedAPIKeyModel else { throw APIKeyManagerError.rateLimitNotSupported(by: "\(Model.self)") }
            rated.rateLimit = rateLimit?.description
        }
        if let name { model.name = name }
        if let expires {
            let expiresAt = try CommandPrinting.expiry(expires)
            try APIKeyManager<Model>.validate(newExpiry: expiresAt, now: manager.now())
            model.expiresAt = expiresAt
        }
        if access.hasAccessFields || !clear.isEmpty {
            guard let limited = model as? any AccessControlledAPIKeyModel else { throw APIKeyManagerError.notSupported(by: "\(Model.self)") }
            // Given values replace the old ones; a --clear-… flag empties a field.
            if clear.clearScopes || !access.scopes.isEmpty { limited.scopes = access.scopes }
            if clear.clearAllowedIPs || !access.allowedIPs.isEmpty { limited.allowedIPs = access.allowedIPs }
            if clear.clearMetadata { limited.metadata = nil } else if let metadata = try access.parsedMetadata() { limited.metadata = metadata }
        }
        try await manager.update(model)
        output.standardOutput(CommandPrinting.updated(APIKeySummary(model, at: manager.now())))
    }

    /// Suspends, or resumes, the keys with these prefixes; changes nothing if one is unknown.
    package func setSuspended(
        _ suspended: Bool, _ inputs: [String], narrowedBy narrow: (QueryBuilder<Model>) -> QueryBuilder<Model> = { $0 }
    ) async throws {
        let prefixes = inputs.map(SecretRedaction.prefix(ofInput:))
        guard !prefixes.isEmpty else { throw APIKeyCommandError("give the prefix of at least one key to \(suspended ? "suspend" : "resume")") }
        try await requireExisting(prefixes, narrowedBy: narrow)
        if suspended {
            try await manager.suspend(prefixes: prefixes)
        } else {
            try await manager.resume(prefixes: prefixes)
        }
        for prefix in prefixes { output.standardOutput("\(suspended ? "Suspended" : "Resumed") \(prefix)") }
    }

    /// Lists keys, newest first: a table, or JSON (`APIKeySummary`). `scope` keeps only the keys
    /// that hold it; `idle` (`30d`) only those not used for that long, longest idle first.
    package func list(
        json: Bool, scope: String? = nil, idle: String? = nil, narrowedBy narrow: (QueryBuilder<Model>) -> QueryBuilder<Model> = { $0 }
    ) async throws {
        if let scope {
            _ = try Self.declaredOrThrow([scope], manager.service.settings.scopes)
        }
        var query = APIKeyQuery(scope: scope)
        if let idle {
            let length: Duration
            do {
                length = try DurationInput.parse(idle)
            } catch {
                throw APIKeyCommandError("--idle: \(error.description)")
            }
            query.notUsedSince = manager.now().addingTimeInterval(-Double(length.components.seconds))
            query.order = .longestIdle
        }
        let page = try await manager.list(query, narrowedBy: narrow)
        let unreadable = page.unreadablePrefixes
        if !unreadable.isEmpty {
            output.standardError(
                "Warning: the row\(unreadable.count == 1 ? "" : "s") of \(unreadable.joined(separator: ", ")) cannot be read and "
                    + "\(unreadable.count == 1 ? "is" : "are") not listed: a column holds a value of the wrong kind, such as an expiry that "
                    + "is not a date. Requests with such a key are refused; repair the row, or revoke or delete the key.")
        }
        let rows = page.summaries
        try CommandPrinting.keys(rows, json: json, to: output)
        if json { return }
        if rows.isEmpty, unreadable.isEmpty {
            output.standardError(
                idle != nil ? "No API key has been idle that long."
                    : scope == nil ? "No API keys yet. Create one with: api-keys create --name NAME" : "No API key holds the scope \(scope!).")
        }
    }

    /// Prints what the key with `input`'s prefix did over the last `days` days: a line per day,
    /// or JSON (`APIKeyUsage`).
    package func usage(
        _ input: String, days: Int, json: Bool, narrowedBy narrow: (QueryBuilder<Model>) -> QueryBuilder<Model> = { $0 }
    ) async throws {
        guard (1...366).contains(days) else { throw APIKeyCommandError("--days must be 1 to 366, got \(days)") }
        let prefix = SecretRedaction.prefix(ofInput: input)
        try await requireExisting([prefix], narrowedBy: narrow)
        let usage = try await manager.usage(of: prefix, days: days)
        try CommandPrinting.usage(usage, json: json, to: output)
        if json { return }
        if manager.service.settings.usage == nil {
            output.standardError("Note: this app keeps no usage (its usage policy is off).")
        }
    }

    /// Deletes keys revoked or expired longer ago than the given lengths (`90d`), or says what it
    /// would with `dryRun`; one line per key on standard output, a summary on standard error.
    package func prune(
        revokedBefore: String?, expiredBefore: String?, dryRun: Bool, narrowedBy narrow: @escaping (QueryBuilder<Model>) -> QueryBuilder<Model> = { $0 }
    ) async throws {
        guard revokedBefore != nil || expiredBefore != nil else {
            throw APIKeyCommandError("say what to prune: --revoked-before 90d, --expired-before 90d, or both")
        }
        let now = manager.now()
        func cutoff(_ text: String?, _ option: String) throws -> Date? {
            guard let text else { return nil }
            do {
                let length = try DurationInput.parse(text)
                return now.addingTimeInterval(-length.timeInterval)
            } catch {
                throw APIKeyCommandError("\(option): \(error.description)")
            }
        }
        let pruning = try await manager.prune(
            revokedBefore: try cutoff(revokedBefore, "--revoked-before"), expiredBefore: try cutoff(expiredBefore, "--expired-before"), dryRun: dryRun,
            narrowedBy: narrow)
        for key in pruning.deleted {
            output.standardOutput("\(dryRun ? "Would delete" : "Deleted") \(key.prefix) (\"\(key.name)\"): \(key.reason)")
        }
        let count = pruning.deleted.count
        output.standardError(dryRun
            ? "Would delete \(count) API key\(count == 1 ? "" : "s") (dry run: nothing was deleted)."
            : "Deleted \(count) API key\(count == 1 ? "" : "s").")
        if !pruning.stillReferenced.isEmpty {
            output.standardError("Kept \(pruning.stillReferenced.joined(separator: ", ")): other rows refer to them; revoke them instead, or remove what refers to them.")
        }
        if revokedBefore != nil, pruning.undatedRevocations > 0 {
            let count = pruning.undatedRevocations
            output.standardError(
                "Kept \(count) revoked key\(count == 1 ? "" : "s") whose revocation time is not recorded (revoked before revoked_at existed, "
                    + "or in a table without it, such as djangorestframework-api-key's): delete \(count == 1 ? "it" : "them") with api-keys delete PREFIX.")
        }
    }


    /// Prints the latest recorded events, newest first: one key's (which may be deleted since),
    /// or every key's of this model; as a table or as JSON.
    package func events(_ input: String?, limit: Int, json: Bool) async throws {
        guard (1...1000).contains(limit) else { throw APIKeyCommandError("--limit must be 1 to 1000, got \(limit)") }
        guard manager.service.settings.recordsEvents else {
            throw APIKeyCommandError(
                "this app records no key events: turn on APIKeySettings.recordsEvents (and run CreateAPIKeyEvents) to keep them in api_key_events")
        }
        let events = try await manager.events(prefix: input.map(SecretRedaction.prefix(ofInput:)), limit: limit)
        try CommandPrinting.events(events, json: json, to: output)
    }

    /// Replaces a key with a new one (its name, scopes, allowlist, metadata and limit copied) and
    /// prints the new key alone on standard output, once; the old one works for `grace` (`24h`,
    /// `0` for not at all).
    package func rotate(
        _ input: String, grace: String, expires: String?, narrowedBy narrow: (QueryBuilder<Model>) -> QueryBuilder<Model> = { $0 }
    ) async throws {
        let prefix = SecretRedaction.prefix(ofInput: input)
        let length = try CommandPrinting.grace(grace)
        let expiresAt = try CommandPrinting.expiry(expires)
        try await requireExisting([prefix], narrowedBy: narrow)
        let (model, key) = try await manager.rotate(prefix: prefix, grace: length, expiresAt: expiresAt)
        let old = try await manager.model(prefix: prefix)
        let until = old?.effectiveExpiry.map { "until \(DateInput.display($0))" } ?? "for its grace period"
        output.standardError(
            "Rotated API key \(prefix) to \(model.prefix) (\"\(model.name)\"). The old key works \(until). "
                + "Store the new key somewhere safe: it will not be shown again.")
        output.standardOutput(key.reveal())
    }

    /// Prints the gitleaks configuration and the regular expression of the keys' tagged format,
    /// or the regular expression alone; refuses a format without a tag, which no scanner can
    /// tell from other text.
    package func scannerRules(regexOnly: Bool) throws {
        guard let tagged = manager.scheme.generator as? TaggedKeyGenerator else {
            throw APIKeyCommandError(
                "these keys have no tag, so no scanner can tell them from other text: scanner-rules needs keys made by a "
                    + "TaggedKeyGenerator (tag_prefix_secret with a checksum, such as acme_live_…). Set one in the app's key scheme")
        }
        let rules = ScannerRules(tagged)
        output.standardOutput(regexOnly ? tagged.scannerPattern : rules.gitleaksConfiguration)
    }

    /// Revokes the keys with these prefixes, for good; changes nothing if one is unknown. A whole
    /// key is taken as its prefix, and only the prefix is ever printed.
    package func revoke(_ inputs: [String], narrowedBy narrow: (QueryBuilder<Model>) -> QueryBuilder<Model> = { $0 }) async throws {
        let prefixes = inputs.map(SecretRedaction.prefix(ofInput:))
        guard !prefixes.isEmpty else { throw APIKeyCommandError("give the prefix of at least one key to revoke") }
        try await requireExisting(prefixes, narrowedBy: narrow)
        try await manager.revoke(prefixes: prefixes)
        for prefix in prefixes { output.standardOutput("Revoked \(prefix)") }
    }

    /// Deletes the keys with these prefixes; changes nothing if one is unknown. A whole key is
    /// taken as its prefix, and only the prefix is ever printed.
    package func delete(_ inputs: [String], narrowedBy narrow: (QueryBuilder<Model>) -> QueryBuilder<Model> = { $0 }) async throws {
        let prefixes = inputs.map(SecretRedaction.prefix(ofInput:))
        guard !prefixes.isEmpty else { throw APIKeyCommandError("give the prefix of at least one key to delete") }
        try await requireExisting(prefixes, narrowedBy: narrow)
        for prefix in prefixes {
            try await manager.delete(prefix: prefix)
            output.standardOutput("Deleted \(prefix)")
        }
    }

    /// `names`, if all are declared; the manager's message otherwise.
    private static func declaredOrThrow(_ names: [String], _ declared: DeclaredScopes) throws -> [String] {
        do {
            return try declared.validate(names)
        } catch {
            throw APIKeyManagerError.invalidField(error)
        }
    }

    /// Fails, naming every unknown prefix (or one outside `narrow`), before anything is changed.
    private func requireExisting(_ prefixes: [String], narrowedBy narrow: (QueryBuilder<Model>) -> QueryBuilder<Model>) async throws {
        var unknown: [String] = []
        for prefix in prefixes where try await !manager.hasKey(prefix: prefix, narrowedBy: narrow) { unknown.append(prefix) }
        guard unknown.isEmpty else {
            throw APIKeyCommandError("no API key has the prefix \(unknown.joined(separator: ", ")); nothing was changed")
        }
    }
}
