/// Turns a key into what is stored for it, and checks a presented key against a stored hash.
///
/// Keys carry about 190 bits of entropy, so a fast unsalted hash is as safe as a slow password
/// hash and costs microseconds instead of half a second per request (upstream #173). The default
/// is ``SHA512KeyHasher``. A custom hasher (a peppered HMAC, say) makes every stored
/// `sha512$$…` hash "not preferred": such rows still verify through ``LegacyHashing`` and are
/// rewritten to the new format the first time their key is used.
///
/// ```swift
/// let hasher = SHA512KeyHasher()
/// let stored = hasher.hash("abcdEFGH.0123456789abcdefghijABCDEFGHIJkl")   // "sha512$$29d7…ac18"
/// hasher.verify("abcdEFGH.0123456789abcdefghijABCDEFGHIJkl", against: stored) // true
/// ```
public protocol KeyHasher: Sendable {
    /// The stored form of `key`.
    func hash(_ key: String) -> String

    /// Whether `key` hashes to `storedHash`, compared in constant time.
    func verify(_ key: String, against storedHash: String) -> Bool

    /// Whether `storedHash` is in this hasher's own format; if not, a key that verifies against
    /// it should have its hash rewritten with ``hash(_:)``.
    func isPreferred(_ storedHash: String) -> Bool

    /// Whether `key` matches a hash in a former format this hasher still reads cheaply (a
    /// previous pepper, say), or `nil` when it does not know the format. A match is rewritten
    /// with ``hash(_:)``. Called only for hashes that are not ``isPreferred(_:)``.
    func verifyFormerHash(_ key: String, against storedHash: String) -> Bool?
}

extension KeyHasher {
    /// `nil`: this hasher knows no format but its own (legacy formats go to `LegacyHashing`).
    public func verifyFormerHash(_ key: String, against storedHash: String) -> Bool? { nil }

    /// The stored form of a newly made key.
    ///
    /// ```swift
    /// let stored = SHA512KeyHasher().hash(AlphanumericKeyGenerator().generate())
    /// ```
    public func hash(_ key: PlaintextAPIKey) -> String { hash(key.reveal()) }
}
