/// How keys are made, stored and checked: a generator, a hasher and the legacy formats still
/// accepted. The counterpart of djangorestframework-api-key's `KeyGenerator`.
///
/// One value configures both sides, so the code that issues keys and the code that verifies
/// them cannot disagree. The default is byte-compatible with djangorestframework-api-key 3.x.
///
/// ```swift
/// let scheme = KeyScheme()                               // 8 + 32 characters, sha512$$…
/// let newKey = scheme.makeKey()
/// save(prefix: newKey.prefix, hashedKey: newKey.hashedKey)
/// return newKey.plaintext.reveal()                        // the only time it exists in plain text
/// ```
public struct KeyScheme: Sendable {
    /// Makes keys and recognises their shape.
    public var generator: any KeyGenerator
    /// Hashes new keys and checks keys against hashes in its own format.
    public var hasher: any KeyHasher
    /// How hashes in other formats (djangorestframework-api-key 1.x/2.x rows) are verified;
    /// `nil` refuses them.
    public var legacyHashes: LegacyHashing?

    /// A scheme; the defaults match djangorestframework-api-key 3.x.
    ///
    /// ```swift
    /// let scheme = KeyScheme(generator: AlphanumericKeyGenerator(prefixLength: 8, secretLength: 48))
    /// ```
    public init(
        generator: any KeyGenerator = AlphanumericKeyGenerator(),
        hasher: any KeyHasher = SHA512KeyHasher(),
        legacyHashes: LegacyHashing? = LegacyHashing()
    ) {
        self.generator = generator
        self.hasher = hasher
        self.legacyHashes = legacyHashes
    }

    /// A new key and what to store for it.
    public func makeKey() -> NewAPIKey {
        let plaintext = generator.generate()
        return NewAPIKey(plaintext: plaintext, hashedKey: hasher.hash(plaintext))
    }

    /// Checks a presented key against a stored hash in any accepted format.
    ///
    /// The preferred format is checked inline (one SHA-512 and a constant-time comparison by
    /// default); legacy formats go through ``LegacyHashing``.
    ///
    /// ```swift
    /// switch await scheme.check(presentedKey, against: row.hashedKey) {
    /// case .match: grant()
    /// case .matchNeedsUpgrade: row.hashedKey = scheme.hasher.hash(presentedKey); grant()
    /// case .mismatch, .unverifiable: deny()
/// case .notChecked: tryAgainLater()
    /// }
    /// ```
    @_spi(Internals) public func check(_ key: String, against storedHash: String) async -> HashCheck {
        if hasher.isPreferred(storedHash) {
            return hasher.verify(key, against: storedHash) ? .match : .mismatch
        }
        if let former = hasher.verifyFormerHash(key, against: storedHash) {
            return former ? .matchNeedsUpgrade : .mismatch
        }
        guard let legacyHashes else { return .unverifiable(.unsupportedAlgorithm("legacy hashes disabled")) }
        do {
            return try await legacyHashes.verify(key, against: storedHash) ? .matchNeedsUpgrade : .mismatch
        } catch .busy, .cancelled {
            return .notChecked
        } catch {
            return .unverifiable(error)
        }
    }
}

/// The result of checking a key against a stored hash.
@_spi(Internals) public enum HashCheck: Sendable, Equatable {
    /// The key matches a hash in the preferred format.
    case match
    /// The key matches a legacy hash: store `scheme.hasher.hash(key)` in its place.
    case matchNeedsUpgrade
    /// The key does not match.
    case mismatch
    /// The stored hash cannot be checked at all; no key will ever match it.
    case unverifiable(LegacyHashError)
    /// The legacy hash was not checked this time (too many waiting, or the request went away):
    /// nothing is known about the key.
    case notChecked
}

/// A freshly made key: the plaintext for its owner and the columns to store.
///
/// ```swift
/// let newKey = KeyScheme().makeKey()
/// newKey.prefix      // "C7oAzBnJ", public
/// newKey.hashedKey   // "sha512$$…", what the database keeps
/// newKey.plaintext   // shown once, redacted when printed
/// ```
public struct NewAPIKey: Sendable {
    /// The full key, for its owner only.
    public let plaintext: PlaintextAPIKey
    /// The stored hash of ``plaintext``.
    public let hashedKey: String
    /// The public lookup part.
    public var prefix: String { plaintext.prefix }

    /// Pairs a key with its hash; normally made by ``KeyScheme/makeKey()``.
    package init(plaintext: PlaintextAPIKey, hashedKey: String) {
        self.plaintext = plaintext
        self.hashedKey = hashedKey
    }
}
