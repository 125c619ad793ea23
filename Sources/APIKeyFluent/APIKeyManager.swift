public import APIKeyCore
public import FluentKit
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Issues, checks, revokes and deletes the keys of one model: upstream's `BaseAPIKeyManager`.
///
/// Get one from the app (Vapor: `req.apiKeys.manager()`; Hummingbird: `apiKeys.manager()`), so that its changes
/// reach the cache that requests read at once. One made on its own has no cache.
///
/// ```swift
/// let keys = service.manager(on: db)
/// let (record, key) = try await keys.createKey(name: "billing-service")
/// // key.reveal() is the only time the key exists in plain text: give it to its owner.
/// try await keys.isValid(key.reveal())                       // true
/// try await keys.revoke(record)
///
/// let orgKeys = APIKeyManager(OrganizationAPIKey.self, on: db)
/// let (orgKey, orgPlaintext) = try await orgKeys.createKey(name: "ci") { $0.$organization.id = orgID }
/// ```
public struct APIKeyManager<Model: APIKeyModel>: Sendable {
    /// Where the keys live.
    public let database: any Database
    /// The scheme, clock and cache it shares with verification.
    package let service: APIKeyService<Model>

    /// The longest name accepted, as upstream's `varchar(50)`.
    public static var maximumNameLength: Int { 50 }

    /// A manager for `model` keys on `database`, with settings of its own and no cache: for
    /// scripts and tests. In an app, use the app's (`app.apiKeys.manager()`), whose changes reach
    /// the cache that requests read.
    ///
    /// ```swift
    /// let keys = APIKeyManager(OrganizationAPIKey.self, on: db)
    /// ```
    /// - Parameters:
    ///   - model: The key model.
    ///   - database: Where the keys live.
    ///   - scheme: How keys are made and checked.
    ///   - clock: The time expiries are read at; tests pass one they move.
    public init(_ model: Model.Type, on database: any Database, scheme: KeyScheme = KeyScheme(), clock: APIKeyClock = .system) {
        self.init(on: database, service: APIKeyService(model, settings: APIKeySettings(scheme: scheme, cache: nil, clock: clock)))
    }

    /// A manager for `model` keys on `database` with the app's settings (its scheme, clock and
    /// declared scopes), and no cache: for commands and scripts that run outside the app.
    ///
    /// ```swift
    /// let keys = APIKeyManager(APIKey.self, on: db, settings: APIKeySettings(scopes: DeclaredScopes(ReportScope.self)))
    /// ```
    public init(_ model: Model.Type, on database: any Database, settings: APIKeySettings) {
        var settings = settings
        settings.cache = nil
        self.init(on: database, service: APIKeyService(model, settings: settings))
    }

    /// A manager for the keys of `service` on `database`.
    package init(on database: any Database, service: APIKeyService<Model>) {
        self.database = database
        self.service = service
    }

    /// What the changes this manager makes are attributed to, in their events.
    package private(set) var source: String?
    /// Whether its changes are published; not while they are part of a bigger one (a rotation),
    /// which publishes once it is committed.
    package var publishesEvents = true

    /// The same manager, its changes attributed to `source` in their `APIKeyEvent`s (and the
    /// `api_key_events` table): `admin`, `commands`, your dashboard's name.
    ///
    /// ```swift
    /// try await app.apiKeys.manager().acting(as: "billing-dashboard").revoke(prefixes: [prefix])
    /// ```
    public func acting(as source: String) -> Self {
        var manager = self
        manager.source = source
        return manager
    }

    /// Publishes `kind` for `prefixes`, unless this manager's changes are part of a bigger one.
    package func publish(_ kind: APIKeyEventKind, prefixes: [String], name: String? = nil, detail: String? = nil) async {
        guard publishesEvents else { return }
        await service.publish(kind, prefixes: prefixes, name: name, detail: detail, source: source, on: database)
    }

    /// How keys are made and checked.
    public var scheme: KeyScheme { service.scheme }

    /// The time on the manager's clock.
    package func now() -> Date { service.settings.clock.now() }

    /// The keys that may be used at all (upstream's `get_usable_keys`): not revoked, narrowed by
    /// the model's ``APIKeyModel/usableKeys(_:)``.
    public var usableKeys: QueryBuilder<Model> {
        Model.usableKeys(Model.query(on: database)).filter(revoked: false)
    }

    /// Makes a key, stores its hash, and returns the saved model with the plaintext key, which
    /// exists nowhere else. `configure` sets the model's own fields (an owner, say) before it is
    /// saved, and may read the database to find them. A prefix that is already taken is drawn again.
    ///
    /// ```swift
    /// let (record, key) = try await keys.createKey(name: "nightly", expiresAt: .now.addingTimeInterval(86_400))
    /// let (partner, partnerKey) = try await keys.createKey(
    ///     name: "partner", scopes: ["reports:read"], allowedIPs: ["203.0.113.0/24"], metadata: try APIKeyMetadata(json: #"{"plan":"pro"}"#))
    /// ```
    /// - Parameters:
    ///   - name: 1 to 50 characters.
    ///   - expiresAt: When the key stops working; `nil` for never.
    ///   - scopes: Names of the app's declared scopes (`DeclaredScopes`).
    ///   - allowedIPs: Addresses and CIDR ranges the key may be used from; empty for anywhere.
    ///   - metadata: A JSON object for the app's own use.
    ///   - rateLimit: The key's own rate limit; `nil` for the app's default.
    ///   - revoked: Whether the key starts revoked.
    ///   - configure: Sets the model's own fields before it is saved.
    /// - Throws: ``APIKeyManagerError`` ``APIKeyManagerError/Code/invalidName`` for an empty or
    ///   over-long name, ``APIKeyManagerError/Code/invalidExpiry`` for an expiry outside 0001–9999,
    ///   ``APIKeyManagerError/Code/invalidField`` for an undeclared scope, an entry that is not an
    ///   address or range, or metadata over 4 KiB, ``APIKeyManagerError/Code/notSupported`` for
    ///   scopes, an allowlist or metadata on a model that keeps none; database errors as they come.
    public func createKey(
        name: String, expiresAt: Date? = nil, scopes: [String] = [], allowedIPs: [String] = [], metadata: APIKeyMetadata? = nil,
        rateLimit: RateLimit? = nil, revoked: Bool = false, configure: (Model) async throws -> Void = { _ in }
    ) async throws -> (model: Model, key: PlaintextAPIKey) {
        if let expiresAt, !StoredDate.isOrdinary(expiresAt) {
            // Drivers trap on dates too far away to count in microseconds; people mean none of them.
            throw APIKeyManagerError.invalidExpiry("An expiry must be between 0001-01-01 and 9999-12-31 (UTC); for a key that never expires, give none.")
        }
        let model = Model()
        model.name = name
        model.expiresAt = expiresAt
        model.isRevoked = revoked
        if let limited = model as? any AccessControlledAPIKeyModel {
            // Every field set: a custom model's fields have no value until given one.
            limited.scopes = scopes
            limited.allowedIPs = allowedIPs
            limited.metadata = metadata
            limited.isSuspended = false
        } else if !scopes.isEmpty || !allowedIPs.isEmpty || !(metadata?.isEmpty ?? true) {
            throw APIKeyManagerError.notSupported(by: "\(Model.self)")
        }
        if let limited = model as? any RateLimitedAPIKeyModel {
            limited.rateLimit = rateLimit?.description
        } else if rateLimit != nil {
            throw APIKeyManagerError.rateLimitNotSupported(by: "\(Model.self)")
        }
        try await configure(model)
        let key = try await create(model)
        return (model, key)
    }

    /// ``createKey(name:expiresAt:scopes:allowedIPs:metadata:rateLimit:revoked:configure:)`` with typed scopes.
    ///
    /// ```swift
    /// let (record, key) = try await keys.createKey(name: "reporting", scopes: [ReportScope.read])
    /// ```
    public func createKey<Scope: APIKeyScope>(
        name: String, expiresAt: Date? = nil, scopes: [Scope], allowedIPs: [String] = [], metadata: APIKeyMetadata? = nil,
        rateLimit: RateLimit? = nil, configure: (Model) async throws -> Void = { _ in }
    ) async throws -> (model: Model, key: PlaintextAPIKey) {
        try await createKey(
            name: name, expiresAt: expiresAt, scopes: scopes.map(\.rawValue), allowedIPs: allowedIPs, metadata: metadata, rateLimit: rateLimit,
            configure: configure)
    }

    /// Gives a prepared model a new key and saves it: upstream's `assign_key` followed by `save`.
    /// The model's name must be set; its prefix and hash are overwritten.
    ///
    /// ```swift
    /// let record = OrganizationAPIKey(name: "ci", organizationID: orgID)
    /// let key = try await orgKeys.create(record)
    /// ```
    public func create(_ model: Model) async throws -> PlaintextAPIKey {
        try Self.validate(name: model.name)
        try validateAccess(of: model)
        model.expiresAt = try lifetimeExpiry(requested: model.expiresAt)
        if model.isRevoked, let dated = model as? any RevocationDatedAPIKeyModel, dated.revokedAt == nil { dated.revokedAt = now() }
        // A prefix collision is a 1 in 62^8 event per existing key: drawing again settles it.
        for _ in 1...Self.creationAttempts {
            let newKey = service.scheme.makeKey()
            model.assignKey(newKey)
            do {
                try await model.create(on: database)
                // The prefix may be cached as unknown (someone presented it before it existed).
                service.forget(prefix: newKey.prefix)
                await publish(.created, prefixes: [newKey.prefix], name: model.name)
                return newKey.plaintext
            } catch {
                // Only a taken prefix is retried; any other failure (a foreign key, say) is the
                // caller's to see.
                guard (error as? any DatabaseError)?.isConstraintFailure == true,
                    try await self.model(prefix: newKey.prefix) != nil
                else { throw error }
            }
        }
        throw APIKeyManagerError.prefixCollision
    }

    /// Verifies a presented key: the full check, with upgrade on use, now. A valid key's outcome
    /// carries its identity; ``model(for:)`` loads the model itself.
    ///
    /// ```swift
    /// let outcome = await keys.verify(presentedKey)
    /// if let identity = outcome.identity { print(identity.name) }
    /// ```
    public func verify(_ presentedKey: String) async -> APIKeyOutcome<APIKeyIdentity<Model>> {
        await verify(KeyExtraction.key(presentedKey))
    }

    /// Verifies what a request's key header held (see `KeyHeader`), now.
    public func verify(_ extraction: KeyExtraction) async -> APIKeyOutcome<APIKeyIdentity<Model>> {
        await service.verify(extraction, facts: service.facts(), on: database)
    }

    /// Whether a presented key grants access: upstream's manager `is_valid`.
    ///
    /// - Throws: `APIKeyStoreUnavailable` when the key could not be checked.
    public func isValid(_ presentedKey: String) async throws(APIKeyStoreUnavailable) -> Bool {
        let outcome = await verify(presentedKey)
        guard !outcome.isUnavailable else { throw APIKeyStoreUnavailable() }
        return outcome.identity != nil
    }

    /// A fresh model of a valid key: upstream's `get_from_key`, except that an expired key is
    /// refused too (upstream returns it; #261).
    ///
    /// - Throws: `APIKeyManagerError.Code.denied` saying why (its ``APIKeyManagerError/denial``), or
    ///   `APIKeyStoreUnavailable`.
    public func model(for presentedKey: String) async throws -> Model {
        let outcome = await verify(presentedKey)
        if outcome.isUnavailable { throw APIKeyStoreUnavailable() }
        guard let identity = outcome.identity else { throw APIKeyManagerError.denied(outcome.denial ?? .unknownPrefix) }
        // Deleted since it was verified: as unknown as it can be.
        guard let model = try await identity.model(on: database) else { throw APIKeyManagerError.denied(.unknownPrefix) }
        return model
    }

    /// The key with this prefix, revoked or not, or `nil`. A whole key is taken as its prefix.
    public func model(prefix: String) async throws -> Model? {
        let prefix = SecretRedaction.prefix(ofInput: prefix)
        // No key has such a prefix, and PostgreSQL refuses a NUL byte in text with an error.
        guard Self.isStorable(prefix) else { return nil }
        return try await Model.query(on: database).filter(prefix: prefix).first()
    }

    /// Revokes a key for good. Revoking a revoked key does nothing. The row changes; `model`
    /// itself is left as it was.
    public func revoke(_ model: Model) async throws {
        try await revoke(prefixes: [model.prefix])
    }

    /// Revokes the keys with these prefixes, in one statement; unknown prefixes are ignored. A
    /// whole key is taken as its prefix.
    ///
    /// ```swift
    /// try await keys.revoke(prefixes: ["C7oAzBnJ", "0t7Nnh4P"])
    /// ```
    public func revoke(prefixes: [String]) async throws {
        try await revoke(prefixes: prefixes, as: .revoked)
    }

    /// Revokes the keys with these prefixes (`revoked`, and `revoked_at` for a model that keeps
    /// it), and publishes `kind` for each one that was not revoked already.
    package func revoke(prefixes: [String], as kind: APIKeyEventKind, detail: String? = nil) async throws {
        let prefixes = prefixes.map(SecretRedaction.prefix(ofInput:)).filter(Self.isStorable)
        guard !prefixes.isEmpty else { return }
        let revoking = try await Model.query(on: database).filter(prefixes: prefixes).filter(revoked: false).prefixesAndNames()
        var columns: [FieldKey: DatabaseQuery.Value] = [Model.revokedKey: .bind(true)]
        if let dated = Model.self as? any RevocationDatedAPIKeyModel.Type { columns[dated.revokedAtKey] = .bind(now()) }
        try await Model.query(on: database).filter(prefixes: prefixes).filter(revoked: false).set(columns).update()
        for prefix in prefixes { service.forget(prefix: prefix) }
        for key in revoking { await publish(kind, prefixes: [key.prefix], name: key.name, detail: detail) }
    }

    /// Saves changes to a key's name, expiry, scopes, allowlist or metadata. They take effect at
    /// once in this app, and on other instances as a revocation does.
    ///
    /// ```swift
    /// record.expiresAt = Date().addingTimeInterval(3600)
    /// record.scopes = ["reports:read", "reports:write"]
    /// try await keys.update(record)
    /// ```
    /// - Throws: ``APIKeyManagerError`` (``APIKeyManagerError/Code/invalidName``,
    ///   ``APIKeyManagerError/Code/invalidField``, or
    ///   ``APIKeyManagerError/Code/revocationIsFinal`` if the key is revoked in the database and
    ///   `model` says it is not, on every table, with or without the database's own guard).
    public func update(_ model: Model) async throws {
        try Self.validate(name: model.name)
        try validateAccess(of: model)
        // An expiry given is checked. A key without one keeps none (it may predate the policy),
        // but one that had an expiry cannot lose it past the maximum.
        if model.expiresAt != nil {
            model.expiresAt = try lifetimeExpiry(requested: model.expiresAt)
        } else if let maximum = lifetime.maximum, let id = model.id,
            try await Model.query(on: database).filter(\._$id == id).first()?.expiresAt != nil
        {
            throw APIKeyManagerError.invalidExpiry(
                "Keys live at most \(APIKeyLifetimePolicy.describe(maximum)) here: a key with an expiry keeps one. Give a date instead of none.")
        }
        if !model.isRevoked, let id = model.id, try await Model.query(on: database).filter(\._$id == id).filter(revoked: true).count() > 0 {
            throw APIKeyManagerError.revocationIsFinal
        }
        // Revoked by this save (not before it, when the time is not known): dated now.
        if model.isRevoked, let dated = model as? any RevocationDatedAPIKeyModel, dated.revokedAt == nil, let id = model.id,
            try await Model.query(on: database).filter(\._$id == id).filter(revoked: true).count() == 0
        {
            dated.revokedAt = now()
        }
        try await model.save(on: database)
        service.forget(prefix: model.prefix)
        await publish(.updated, prefixes: [model.prefix], name: model.name)
    }

    /// Suspends the keys with these prefixes: they are refused, as revoked keys are, until
    /// ``resume(prefixes:)``. Revoked keys are left as they are; unknown prefixes are ignored. A
    /// whole key is taken as its prefix.
    ///
    /// ```swift
    /// try await keys.suspend(prefixes: ["C7oAzBnJ"])
    /// ```
    /// - Throws: ``APIKeyManagerError/Code/notSupported`` for a model that keeps no suspension.
    public func suspend(prefixes: [String]) async throws {
        try await setSuspended(true, prefixes: prefixes)
    }

    /// Lets suspended keys be used again. A revoked key cannot be resumed.
    ///
    /// ```swift
    /// try await keys.resume(prefixes: ["C7oAzBnJ"])
    /// ```
    /// - Throws: ``APIKeyManagerError/Code/revocationIsFinal`` (and changes nothing) if one of the
    ///   keys is revoked; ``APIKeyManagerError/Code/notSupported`` for a model that keeps no
    ///   suspension.
    public func resume(prefixes: [String]) async throws {
        try await setSuspended(false, prefixes: prefixes)
    }

    private func setSuspended(_ suspended: Bool, prefixes: [String]) async throws {
        guard let limited = Model.self as? any AccessControlledAPIKeyModel.Type else { throw APIKeyManagerError.notSupported(by: "\(Model.self)") }
        let prefixes = prefixes.map(SecretRedaction.prefix(ofInput:)).filter(Self.isStorable)
        guard !prefixes.isEmpty else { return }
        if !suspended, try await Model.query(on: database).filter(prefixes: prefixes).filter(revoked: true).count() > 0 {
            throw APIKeyManagerError.revocationIsFinal
        }
        let changing = try await Model.query(on: database).filter(prefixes: prefixes).filter(revoked: false)
            .filter(Model.column(limited.suspendedKey), .equal, .bind(!suspended)).prefixesAndNames()
        try await Model.query(on: database)
            .filter(prefixes: prefixes)
            .filter(revoked: false)
            .set([limited.suspendedKey: .bind(suspended)])
            .update()
        for prefix in prefixes { service.forget(prefix: prefix) }
        for key in changing { await publish(suspended ? .suspended : .resumed, prefixes: [key.prefix], name: key.name) }
    }

    /// The app's lifetime policy for this model's keys.
    package var lifetime: APIKeyLifetimePolicy { service.settings.lifetime(for: Model.self) }

    /// The expiry `requested` gets under the lifetime policy: the default for none, refused past
    /// the maximum.
    private func lifetimeExpiry(requested: Date?) throws(APIKeyManagerError) -> Date? {
        do {
            return try lifetime.expiry(requested: requested, now: now())
        } catch {
            throw .invalidExpiry(error.description)
        }
    }

    /// Checks and tidies the scopes, allowlist and metadata `model` is about to be saved with:
    /// scopes must be declared (repeats dropped, in declaration order), allowlist entries are
    /// written as ranges (`203.0.113.7`, `2001:db8::/32`), metadata fits in 4 KiB.
    private func validateAccess(of model: Model) throws(APIKeyManagerError) {
        if let rated = model as? any RateLimitedAPIKeyModel, let text = rated.rateLimit {
            do {
                rated.rateLimit = try RateLimit(parsing: text).description
            } catch {
                throw .invalidField(error)
            }
        }
        guard let limited = model as? any AccessControlledAPIKeyModel else { return }
        do {
            limited.scopes = try service.settings.scopes.validate(limited.scopes)
            limited.allowedIPs = try IPAllowlist(limited.allowedIPs).entries
            if let metadata = limited.metadata { limited.metadata = try APIKeyMetadata(metadata.values) }
        } catch {
            throw .invalidField(error)
        }
    }

    /// Deletes a key. Its owner's requests are refused from then on, as for a revoked key.
    ///
    /// - Throws: ``APIKeyManagerError`` ``APIKeyManagerError/Code/stillReferenced`` when other rows
    ///   refer to the key (a foreign key refuses the delete): revoke it instead.
    public func delete(_ model: Model) async throws {
        do {
            try await model.delete(on: database)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw APIKeyManagerError.stillReferenced
        }
        service.forget(prefix: model.prefix)
        await publish(.deleted, prefixes: [model.prefix], name: model.name)
    }

    /// Deletes the key with this prefix, even one whose row cannot be read. A whole key is taken
    /// as its prefix.
    ///
    /// - Throws: ``APIKeyManagerError`` ``APIKeyManagerError/Code/notFound`` if no key has it,
    ///   ``APIKeyManagerError/Code/stillReferenced`` when other rows refer to it.
    public func delete(prefix: String) async throws {
        let prefix = SecretRedaction.prefix(ofInput: prefix)
        guard try await hasKey(prefix: prefix) else { throw APIKeyManagerError.notFound(prefix: prefix) }
        do {
            try await Model.query(on: database).filter(prefix: prefix).delete()
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw APIKeyManagerError.stillReferenced
        }
        service.forget(prefix: prefix)
        await publish(.deleted, prefixes: [prefix])
    }

    /// Whether a key has this prefix, revoked or not, without reading its row (which may hold a
    /// value of the wrong kind). A whole key is taken as its prefix.
    /// `narrow` limits the search to some keys (one owner's).
    package func hasKey(
        prefix: String, narrowedBy narrow: (QueryBuilder<Model>) -> QueryBuilder<Model> = { $0 }
    ) async throws -> Bool {
        let prefix = SecretRedaction.prefix(ofInput: prefix)
        guard Self.isStorable(prefix) else { return false }
        return try await narrow(Model.query(on: database).filter(prefix: prefix)).count() > 0
    }

    static var creationAttempts: Int { 5 }

    /// Checks the expiry a person gave for a new key, as the commands and the admin panel do: a
    /// key born expired is a mistake (a typo in the year, a local time read as UTC), never
    /// something to hand out. ``createKey(name:expiresAt:scopes:allowedIPs:metadata:rateLimit:revoked:configure:)`` itself accepts
    /// one, as upstream's `create_key` does, and editing an expiry into the past ends a key.
    ///
    /// ```swift
    /// try APIKeyManager<APIKey>.validate(newExpiry: expiresAt, now: Date())
    /// ```
    /// - Throws: ``APIKeyManagerError`` ``APIKeyManagerError/Code/invalidExpiry``, with a message for people.
    public static func validate(newExpiry expiresAt: Date?, now: Date) throws(APIKeyManagerError) {
        guard let expiresAt, expiresAt <= now else { return }
        throw .invalidExpiry("The expiry \(DateInput.display(expiresAt)) has already passed; give a date and time after now (UTC).")
    }

    /// Checks a name as ``createKey(name:expiresAt:scopes:allowedIPs:metadata:rateLimit:revoked:configure:)`` does: 1 to
    /// ``maximumNameLength`` characters counted as the database counts them (Unicode code points:
    /// an accent written as a combining mark is one more), not only white space, and no control
    /// characters (a NUL byte, a line break, a tab).
    ///
    /// ```swift
    /// try APIKeyManager<APIKey>.validate(name: "nightly-export")
    /// ```
    /// - Throws: ``APIKeyManagerError`` ``APIKeyManagerError/Code/invalidName``, with a message for people.
    public static func validate(name: String) throws(APIKeyManagerError) {
        guard !name.allSatisfy(\.isWhitespace) else { throw .invalidName("A name is required.") }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidName("A name cannot contain control characters (such as a NUL byte, a tab or a line break).")
        }
        // PostgreSQL's varchar(50) and Django's max_length count code points, not what Swift
        // counts as characters: "é" written as e + U+0301 is two.
        let length = name.unicodeScalars.count
        guard length <= maximumNameLength else {
            throw .invalidName(
                "A name is at most \(maximumNameLength) characters, counted as the database counts them (each accent or combining mark is one); this one has \(length).")
        }
    }

    /// Whether `text` can be compared with stored text at all: PostgreSQL refuses a NUL byte.
    package static func isStorable(_ text: String) -> Bool {
        !text.utf8.contains(0)
    }
}

extension APIKeyManager where Model == APIKey {
    /// A manager for the built-in ``APIKey`` model, with no cache: for scripts and tests.
    ///
    /// ```swift
    /// let keys = APIKeyManager(on: app.db)
    /// ```
    public init(on database: any Database, scheme: KeyScheme = KeyScheme(), clock: APIKeyClock = .system) {
        self.init(APIKey.self, on: database, scheme: scheme, clock: clock)
    }
}
