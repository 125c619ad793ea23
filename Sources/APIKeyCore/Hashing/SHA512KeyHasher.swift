internal import Crypto

/// djangorestframework-api-key 3.x's hasher: `"sha512$$" + lowercase hex(SHA-512(UTF-8(key)))`.
///
/// The stored string is byte-identical to what upstream's `Sha512ApiKeyHasher` writes (136
/// characters: the algorithm, an empty salt field, 128 hex digits), so a table can be shared with
/// a Django service. Verification compares the whole stored string, as upstream does: an
/// upper-case digest or `sha512$<hex>` with one `$` does not verify.
///
/// ```swift
/// SHA512KeyHasher().hash("test")
/// // "sha512$$ee26b0dd4af7e749aa1a8ee3c10ae9923f618980772e473f8819a5d4940e0db2…"
/// ```
public struct SHA512KeyHasher: KeyHasher {
    static let marker = Array("sha512$$".utf8)
    static let encodedLength = marker.count + SHA512.byteCount * 2

    /// The hasher; it has no settings.
    public init() {}

    /// `sha512$$<128 lowercase hex digits>`.
    public func hash(_ key: String) -> String {
        let digest = Self.digest(of: key)
        return String(unsafeUninitializedCapacity: Self.encodedLength) { buffer in
            for (index, byte) in Self.marker.enumerated() { buffer[index] = byte }
            digest.withUnsafeBytes { bytes in
                for (index, byte) in bytes.enumerated() {
                    buffer[8 + 2 * index] = Self.lowercaseHexDigit(byte >> 4)
                    buffer[9 + 2 * index] = Self.lowercaseHexDigit(byte & 0x0F)
                }
            }
            return Self.encodedLength
        }
    }

    /// Recomputes the digest of `key` and compares it with the whole stored string.
    ///
    /// The time taken depends only on the length of `storedHash` (public: every stored hash of
    /// this format has the same length), never on where the two first differ. Nothing is
    /// allocated.
    public func verify(_ key: String, against storedHash: String) -> Bool {
        guard storedHash.utf8.count == Self.encodedLength, isPreferred(storedHash) else { return false }
        let digest = Self.digest(of: key)
        var stored = storedHash
        return stored.withUTF8 { encoded in
            digest.withUnsafeBytes { bytes in
                var difference: UInt8 = 0
                for (index, byte) in bytes.enumerated() {
                    difference |= encoded[8 + 2 * index] ^ Self.lowercaseHexDigit(byte >> 4)
                    difference |= encoded[9 + 2 * index] ^ Self.lowercaseHexDigit(byte & 0x0F)
                }
                return difference == 0
            }
        }
    }

    /// Whether `storedHash` starts with `sha512$$`, upstream's `using_preferred_hasher`.
    public func isPreferred(_ storedHash: String) -> Bool {
        storedHash.utf8.starts(with: Self.marker)
    }

    static func digest(of key: String) -> SHA512.Digest {
        var key = key
        return key.withUTF8 { SHA512.hash(data: UnsafeRawBufferPointer($0)) }
    }

    /// `0…15` to `0…9a…f` without a branch or a table lookup indexed by secret data.
    @inline(__always)
    static func lowercaseHexDigit(_ nibble: UInt8) -> UInt8 {
        let value = Int(nibble)
        return UInt8(truncatingIfNeeded: value + 0x30 + (((9 - value) >> 8) & 0x27))
    }
}
