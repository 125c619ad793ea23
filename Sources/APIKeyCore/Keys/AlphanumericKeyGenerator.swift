/// Keys of the form `<prefix>.<secret>` over `[A-Za-z0-9]`, djangorestframework-api-key's format.
///
/// The defaults (8 + 32 characters, 41 in all) match upstream's `KeyGenerator`, so keys made here
/// and keys made by a Django service are interchangeable. Every character is drawn uniformly
/// from the system's CSPRNG by rejection sampling, so no character is more likely than another.
/// The secret carries about 190 bits of entropy; the prefix is public.
///
/// ```swift
/// let key = AlphanumericKeyGenerator().generate()
/// key.prefix           // "C7oAzBnJ"
/// key.reveal()         // "C7oAzBnJ.mk01hDcC9wYLAoDkFREUeUNs7cQ1XWWm"
/// ```
public struct AlphanumericKeyGenerator: KeyGenerator {
    /// The number of characters before the `.`; the prefix column of upstream's schema holds 8.
    public let prefixLength: Int
    /// The number of characters after the `.`.
    public let secretLength: Int

    /// A generator of keys with the given lengths.
    ///
    /// ```swift
    /// let generator = AlphanumericKeyGenerator(prefixLength: 8, secretLength: 32)
    /// ```
    public init(prefixLength: Int = 8, secretLength: Int = 32) {
        precondition(prefixLength > 0 && secretLength > 0, "key parts must not be empty")
        self.prefixLength = prefixLength
        self.secretLength = secretLength
    }

    /// A new key from the system's CSPRNG (`getrandom` on Linux).
    public func generate() -> PlaintextAPIKey {
        var random = SystemRandomNumberGenerator()
        return generate(using: &random)
    }

    /// A new key from the given random source: for tests only, unless `random` is a CSPRNG.
    ///
    /// ```swift
    /// var seeded = MySeededGenerator(seed: 42)
    /// let key = AlphanumericKeyGenerator().generate(using: &seeded)
    /// ```
    public func generate(using random: inout some RandomNumberGenerator) -> PlaintextAPIKey {
        PlaintextAPIKey(
            prefix: Self.randomString(count: prefixLength, using: &random),
            secret: Self.randomString(count: secretLength, using: &random)
        )
    }

    /// The prefix if `key` has exactly this generator's shape, else `nil`.
    public func prefix(ofPresentedKey key: String) -> String? {
        let utf8 = key.utf8
        guard utf8.count == prefixLength + 1 + secretLength else { return nil }
        var index = 0
        for byte in utf8 {
            if index == prefixLength {
                guard byte == UInt8(ascii: ".") else { return nil }
            } else {
                guard Self.isAlphanumeric(byte) else { return nil }
            }
            index += 1
        }
        // An ASCII prefix of at most 15 bytes is a small string: no allocation.
        return String(key.utf8.prefix(prefixLength))
    }

    static let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)

    /// The largest multiple of 62 that fits in a byte: bytes at or above it are rejected, so that
    /// `byte % 62` is uniform.
    static let rejectionBound = UInt8(256 / 62 * 62)

    static func randomString(count: Int, using random: inout some RandomNumberGenerator) -> String {
        String(unsafeUninitializedCapacity: count) { buffer in
            var filled = 0
            while filled < count {
                var word = random.next()
                for _ in 0..<8 where filled < count {
                    let byte = UInt8(truncatingIfNeeded: word)
                    word >>= 8
                    if byte < rejectionBound {
                        buffer[filled] = alphabet[Int(byte % 62)]
                        filled += 1
                    }
                }
            }
            return count
        }
    }

    @inline(__always)
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return false
        }
    }
}
