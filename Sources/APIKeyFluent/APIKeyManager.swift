public import APIKeyCore
public import FluentKit
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Issues, checks, revokes and deletes the keys of one model: upstream's `BaseAPIKeyManager`.
///
/// ```swift
/// let keys = APIKeyManager(on: req.db)                       // the built-in APIKey model
/// let (record, key) = try await keys.createKey(name: "billing-service")
/// // key.reveal() is the only time the key exists in plain text: give it to its owner.
/// try await keys.isValid(key.reveal())                       // true
/// try await keys.revoke(record)
///
/// let orgKeys = APIKeyManager(OrganizationAPIKey.self, on: req.db)
/// let (orgKey, orgPlaintext) = try await orgKeys.createKey(name: "ci") { $0.$organization.id = orgID }
/// ```
public struct APIKeyManager<Model: APIKeyModel>: Sendable {
    /// Where the keys live.
    public let database: any Database
    /// How keys are made and checked.
    public let scheme: KeyScheme
    private let now: @Sendable () -> Date
    private let cache: VerificationCache<Model>?

    /// The longest name accepted, as upstream's `varchar(50)`.
    public static var maximumNameLength: Int { 50 }

    /// A manager for `model` keys on `database`.
    ///
    /// - Parameters:
    ///   - model: The key model.
    ///   - database: Where the keys live.
    ///   - scheme: How keys are made and checked.
    ///   - now: The clock for expiry; tests pass a fixed one.
    ///   - cache: The verification cache in front of this database, if any: checks go through
    ///     it, and every change made here forgets the key in it at once.
    public init(
        _ model: Model.Type, on database: any Database, scheme: KeyScheme = KeyScheme(),
        now: @escaping @Sendable () -> Date = { Date() }, cache: VerificationCache<Model>? = nil
    ) {
        self.database = database
        self.scheme = scheme
        self.now = now
        self.cache = cache
    }

    /// The keys that may be used at all (upstream's `get_usable_keys`): not revoked, narrowed by
    /// the model's ``APIKeyModel/usableKeys(_:)``.
    public var usableKeys: QueryBuilder<Model> {
        Model.usableKeys(Model.query(on: database)).filter(Model.revokedField == false)
    }

    /// Makes a key, stores its hash, and returns the saved model with the plaintext key, which
    /// exists nowhere else. `configure` sets the model's own fields (an owner, say) before it is
    /// saved. A prefix that is already taken is drawn again.
    ///
    /// ```swift
    /// let (record, key) = try await keys.createKey(name: "nightly", expiresAt: .now.addingTimeInterval(86_400))
    /// ```
    /// - Throws: ``APIKeyManagerError/invalidName(_:)`` for an empty or over-long name; database
    ///   errors as they come.
    public func createKey(
        name: String, expiresAt: Date? = nil, revoked: Bool = false, configure: (Model) -> Void = { _ in }
    ) async throws -> (model: Model, key: PlaintextAPIKey) {
        let model = Model()
        model.name = name
        model.expiresAt = expiresAt
        model.isRevoked = revoked
        configure(model)
        let key = try await create(model)
        return (model, key)
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
        // A prefix collision is a 1 in 62^8 event per existing key: drawing again settles it.
        for _ in 1...Self.creationAttempts {
            let newKey = scheme.makeKey()
            model.assignKey(newKey)
            do {
                try await model.create(on: database)
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

    /// Verifies a presented key: the full check, with upgrade on use.
    ///
    /// ```swift
    /// switch try await keys.verify(presentedKey) {
    /// case .valid(let record): …
    /// case .denied(let reason): …
    /// }
    /// ```
    /// - Throws: ``APIKeyCore/APIKeyStoreUnavailable`` when the database cannot answer.
    public func verify(_ presentedKey: String) async throws(APIKeyStoreUnavailable) -> APIKeyVerification<Model> {
        try await verify(KeyExtraction.key(presentedKey))
    }

    /// Verifies what a request's key header held (see ``APIKeyCore/KeyHeader``).
    ///
    /// - Throws: ``APIKeyCore/APIKeyStoreUnavailable`` when the database cannot answer.
    public func verify(_ extraction: KeyExtraction) async throws(APIKeyStoreUnavailable) -> APIKeyVerification<Model> {
        let store = FluentAPIKeyStore(Model.self, on: database)
        guard let cache else { return try await APIKeyVerifier(store: store, scheme: scheme, now: now).verify(extraction) }
        return try await APIKeyVerifier(store: CachedAPIKeyStore(store, cache: cache), scheme: scheme, now: now).verify(extraction)
    }

    /// Whether a presented key grants access: upstream's manager `is_valid`.
    public func isValid(_ presentedKey: String) async throws(APIKeyStoreUnavailable) -> Bool {
        try await verify(presentedKey).record != nil
    }

    /// The model of a valid key: upstream's `get_from_key`, except that an expired key is refused
    /// too (upstream returns it; #261).
    ///
    /// - Throws: ``APIKeyManagerError/denied(_:)`` saying why, or
    ///   ``APIKeyCore/APIKeyStoreUnavailable``.
    public func model(for presentedKey: String) async throws -> Model {
        switch try await verify(presentedKey) {
        case .valid(let model): return model
        case .denied(let reason): throw APIKeyManagerError.denied(reason)
        }
    }

    /// The key with this prefix, revoked or not, or `nil`.
    public func model(prefix: String) async throws -> Model? {
        try await Model.query(on: database).filter(Model.prefixField == prefix).first()
    }

    /// Revokes a key for good. Revoking a revoked key does nothing. The row changes; `model`
    /// itself is left as it was (it may be a cached instance that other requests read).
    public func revoke(_ model: Model) async throws {
        try await revoke(prefixes: [model.prefix])
    }

    /// Revokes the keys with these prefixes, in one statement; unknown prefixes are ignored.
    ///
    /// ```swift
    /// try await keys.revoke(prefixes: ["C7oAzBnJ", "0t7Nnh4P"])
    /// ```
    public func revoke(prefixes: [String]) async throws {
        guard !prefixes.isEmpty else { return }
        try await Model.query(on: database)
            .filter(Model.prefixField ~~ prefixes)
            .set(Model.revokedField, to: true)
            .update()
        for prefix in prefixes { cache?.invalidate(prefix: prefix) }
    }

    /// Saves changes to a key's name or expiry. Revocation is not undone: the database refuses.
    ///
    /// ```swift
    /// record.expiresAt = Date().addingTimeInterval(3600)
    /// try await keys.update(record)
    /// ```
    public func update(_ model: Model) async throws {
        try Self.validate(name: model.name)
        try await model.save(on: database)
        cache?.invalidate(prefix: model.prefix)
    }

    /// Deletes a key. Its owner's requests are refused from then on, as for a revoked key.
    public func delete(_ model: Model) async throws {
        try await model.delete(on: database)
        cache?.invalidate(prefix: model.prefix)
    }

    static var creationAttempts: Int { 5 }

    /// Checks a name as ``createKey(name:expiresAt:revoked:configure:)`` does: 1 to
    /// ``maximumNameLength`` characters, not only white space.
    ///
    /// - Throws: ``APIKeyManagerError/invalidName(_:)`` with a message for people.
    public static func validate(name: String) throws(APIKeyManagerError) {
        guard !name.allSatisfy(\.isWhitespace) else { throw .invalidName("A name is required.") }
        guard name.count <= maximumNameLength else {
            throw .invalidName("A name is at most \(maximumNameLength) characters.")
        }
    }
}

extension APIKeyManager where Model == APIKey {
    /// A manager for the built-in ``APIKey`` model.
    ///
    /// ```swift
    /// let keys = APIKeyManager(on: app.db)
    /// ```
    public init(
        on database: any Database, scheme: KeyScheme = KeyScheme(), now: @escaping @Sendable () -> Date = { Date() },
        cache: VerificationCache<APIKey>? = nil
    ) {
        self.init(APIKey.self, on: database, scheme: scheme, now: now, cache: cache)
    }
}

/// Why an ``APIKeyManager`` operation failed.
public enum APIKeyManagerError: Error, Sendable, Equatable {
    /// The presented key was refused, for this reason (upstream's `DoesNotExist`).
    case denied(APIKeyDenial)
    /// The name is empty or longer than ``APIKeyManager/maximumNameLength``.
    case invalidName(String)
    /// Every prefix drawn was taken: the random source is broken.
    case prefixCollision
}
