internal import Crypto

/// Keys hashed with a server secret: `hmac-sha256$<pepper id>$<64 hex digits>`, HMAC-SHA-256 of
/// the key under the pepper. A copy of the database alone then cannot check a guessed key: the
/// pepper lives in the app's configuration, not in the database.
///
/// The pepper has an id, so that it can be rotated: make the new one current and keep the old
/// ones in `previous`; a key hashed under an old pepper (or with plain SHA-512, before the app had
/// a pepper) still verifies, and its hash is rewritten under the current pepper on its next use.
/// Drop an old pepper once no hash names it.
///
/// ```swift
/// let pepper = try KeyPepper(id: "2026a", secret: secretFromVault)
/// settings.scheme = KeyScheme(hasher: PepperedKeyHasher(current: pepper))
/// ```
///
/// Not for djangorestframework-api-key's table: Django must keep reading it, and it knows no
/// pepper. `DjangoAPIKey` keeps SHA-512 whatever the app's scheme says.
public struct PepperedKeyHasher: KeyHasher {
    /// The pepper new hashes use.
    package let current: KeyPepper
    /// Peppers of hashes made before, still verified (and rewritten on use).
    package let previous: [KeyPepper]

    static let marker = "hmac-sha256$"

    /// A hasher under `current`, still verifying hashes under `previous` and plain SHA-512.
    public init(current: KeyPepper, previous: [KeyPepper] = []) {
        self.current = current
        self.previous = previous.filter { $0.id != current.id }
    }

    /// `hmac-sha256$<current id>$<hex>`.
    public func hash(_ key: String) -> String {
        Self.marker + current.id + "$" + Self.hex(current.authenticationCode(of: key))
    }

    /// Whether `key` matches `storedHash` under the pepper the hash names (current or previous),
    /// compared in constant time.
    public func verify(_ key: String, against storedHash: String) -> Bool {
        guard let (pepper, digest) = parse(storedHash) else { return false }
        let expected = Self.hex(pepper.authenticationCode(of: key))
        return ConstantTime.equals(Array(expected.utf8), Array(digest.utf8))
    }

    /// A hash under the current pepper.
    public func isPreferred(_ storedHash: String) -> Bool {
        storedHash.hasPrefix(Self.marker + current.id + "$")
    }

    /// A hash under a previous pepper, or plain SHA-512 (`sha512$$…`): whether `key` matches it;
    /// `nil` for any other format.
    public func verifyFormerHash(_ key: String, against storedHash: String) -> Bool? {
        if SHA512KeyHasher().isPreferred(storedHash) { return SHA512KeyHasher().verify(key, against: storedHash) }
        guard storedHash.hasPrefix(Self.marker) else { return nil }
        return verify(key, against: storedHash)
    }

    /// The pepper and hex digest a stored hash names, if this hasher knows the pepper.
    private func parse(_ storedHash: String) -> (KeyPepper, Substring)? {
        guard storedHash.hasPrefix(Self.marker) else { return nil }
        let rest = storedHash.dropFirst(Self.marker.count)
        guard let separator = rest.firstIndex(of: "$") else { return nil }
        let id = rest[..<separator], digest = rest[rest.index(after: separator)...]
        guard digest.utf8.count == 64, let pepper = ([current] + previous).first(where: { $0.id == id }) else { return nil }
        return (pepper, digest)
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
            for (index, byte) in bytes.enumerated() {
                buffer[2 * index] = SHA512KeyHasher.lowercaseHexDigit(byte >> 4)
                buffer[2 * index + 1] = SHA512KeyHasher.lowercaseHexDigit(byte & 0x0F)
            }
            return bytes.count * 2
        }
    }
}
