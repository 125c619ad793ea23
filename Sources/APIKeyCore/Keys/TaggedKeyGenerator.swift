/// Keys that secret scanners recognise: `<tag>_<prefix>_<secret><checksum>`, such as
/// `acme_live_C7oAzBnJ_mk01hDcC9wYLAoDkFREUeUNs7cQ1XWWm3bTq0Z`, as GitHub's and Stripe's are.
///
/// - The tag is your app's, readable (`acme_live`): a person, a log search or a scanner sees
///   whose key leaked, and ``scannerPattern`` matches it with few false alarms.
/// - The prefix is the lookup part, as in djangorestframework-api-key's format (8 characters by
///   default, so it fits the same columns); the secret is 32 characters (about 190 bits).
/// - The last 6 characters are the CRC-32 of everything before them in base62
///   (`0-9A-Za-z`). A key whose checksum fails is refused as `checksum` before any lookup or
///   hash: a typo or random text never reaches the database.
/// - Every character is a letter, a digit or `_`, so a double click selects the whole key.
///
/// Keys of the old format keep working while clients move: give the generator that made them.
///
/// ```swift
/// settings.scheme = KeyScheme(generator: try TaggedKeyGenerator(tag: "acme_live", alsoAccepting: AlphanumericKeyGenerator()))
/// let key = settings.scheme.makeKey().plaintext.reveal()   // "acme_live_C7oAzBnJ_…"
/// ```
///
/// djangorestframework-api-key reads only its own format: keep the default for keys a Django
/// service must verify too.
public struct TaggedKeyGenerator: KeyGenerator {
    /// The app's tag, without the `_` that follows it: `acme_live`.
    public let tag: String
    /// The number of characters of the lookup part.
    public let prefixLength: Int
    /// The number of characters of the secret, before the checksum.
    public let secretLength: Int
    /// The format still accepted besides this one, for keys made before it; new keys always
    /// have the tag.
    public let alsoAccepting: (any KeyGenerator)?

    /// `tag` and `_`, the bytes every key starts with.
    private let head: [UInt8]

    /// What a tag may be made of.
    private static let tagCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789_".utf8)

    /// A generator of tagged keys.
    ///
    /// ```swift
    /// let generator = try TaggedKeyGenerator(tag: "acme_live")
    /// ```
    /// - Parameters:
    ///   - tag: 1 to 24 lowercase letters, digits and `_`, starting with a letter and not ending
    ///     with `_`: `acme_live`, `acme_test`.
    ///   - prefixLength: The lookup part's length; 8, as djangorestframework-api-key's.
    ///   - secretLength: The secret's length, at least 22 (128 bits); 32 by default.
    ///   - alsoAccepting: A format presented keys may still have (the one that made the app's
    ///     existing keys), or `nil` for tagged keys only.
    /// - Throws: ``InvalidKeyTag`` when the tag or the lengths cannot make a key.
    public init(tag: String, prefixLength: Int = 8, secretLength: Int = 32, alsoAccepting: (any KeyGenerator)? = nil) throws(InvalidKeyTag) {
        let bytes = Array(tag.utf8)
        let allowed = bytes.allSatisfy { Self.tagCharacters.contains($0) }
        guard (1...24).contains(bytes.count), allowed, let first = bytes.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first),
              bytes.last != UInt8(ascii: "_")
        else {
            throw InvalidKeyTag(
                "a key tag must be 1 to 24 lowercase letters, digits and underscores, starting with a letter and not ending with an "
                    + "underscore, such as acme_live; got \(String(tag.prefix(40)).debugDescription)")
        }
        guard (4...32).contains(prefixLength), (22...128).contains(secretLength) else {
            throw InvalidKeyTag("a tagged key needs a prefix of 4 to 32 characters and a secret of 22 to 128; got \(prefixLength) and \(secretLength)")
        }
        self.tag = tag
        self.prefixLength = prefixLength
        self.secretLength = secretLength
        self.alsoAccepting = alsoAccepting
        self.head = bytes + [UInt8(ascii: "_")]
    }

    /// The length of every key this generator makes.
    package var keyLength: Int { head.count + prefixLength + 1 + secretLength + KeyChecksum.length }

    /// A regular expression that matches this generator's keys and little else, in the syntax
    /// RE2, PCRE, `grep -E`, Python and Swift share: `\bacme_live_[0-9A-Za-z]{8}_[0-9A-Za-z]{38}\b`.
    /// It cannot check the checksum; ``prefix(ofPresentedKey:)`` does.
    ///
    /// ```swift
    /// let pattern = try Regex(generator.scannerPattern)
    /// ```
    public var scannerPattern: String {
        #"\b"# + tag + "_[0-9A-Za-z]{\(prefixLength)}_[0-9A-Za-z]{\(secretLength + KeyChecksum.length)}" + #"\b"#
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
    /// let key = try TaggedKeyGenerator(tag: "acme_test").generate(using: &seeded)
    /// ```
    public func generate(using random: inout some RandomNumberGenerator) -> PlaintextAPIKey {
        let prefix = AlphanumericKeyGenerator.randomString(count: prefixLength, using: &random)
        let secret = AlphanumericKeyGenerator.randomString(count: secretLength, using: &random)
        let body = tag + "_" + prefix + "_" + secret
        return PlaintextAPIKey(prefix: prefix, wholeKey: body + KeyChecksum.base62(KeyChecksum.crc32(body.utf8)))
    }

    /// The prefix of a tagged key whose checksum holds, or of a key ``alsoAccepting`` recognises;
    /// else `nil`. No allocation for a tagged key.
    public func prefix(ofPresentedKey key: String) -> String? {
        switch examine(key) {
        case .tagged(let prefix): prefix
        case .wrongChecksum: nil
        case .otherShape: alsoAccepting?.prefix(ofPresentedKey: key)
        }
    }

    /// `checksum` for a key of this shape whose last 6 characters are not its checksum;
    /// otherwise what ``alsoAccepting`` says, or `malformed`.
    public func denial(forUnrecognizedKey key: String) -> APIKeyDenial {
        switch examine(key) {
        case .wrongChecksum: .checksum
        case .tagged, .otherShape: alsoAccepting?.denial(forUnrecognizedKey: key) ?? .malformed
        }
    }

    private enum Examination {
        case tagged(prefix: String)
        case wrongChecksum
        case otherShape
    }

    private func examine(_ key: String) -> Examination {
        var key = key
        return key.withUTF8(examine(bytes:))
    }

    private func examine(bytes: UnsafeBufferPointer<UInt8>) -> Examination {
        guard bytes.count == keyLength, bytes.starts(with: head) else { return .otherShape }
        let separator = head.count + prefixLength
        let checksumStart = bytes.count - KeyChecksum.length
        for index in head.count..<checksumStart where index != separator {
            guard AlphanumericKeyGenerator.isAlphanumeric(bytes[index]) else { return .otherShape }
        }
        guard bytes[separator] == UInt8(ascii: "_") else { return .otherShape }
        guard KeyChecksum.matches(KeyChecksum.crc32(bytes[..<checksumStart]), bytes[checksumStart...]) else { return .wrongChecksum }
        // An ASCII prefix of at most 15 bytes is a small string: no allocation.
        return .tagged(prefix: String(decoding: UnsafeBufferPointer(rebasing: bytes[head.count..<separator]), as: UTF8.self))
    }
}
