internal import Crypto
internal import _CryptoExtras
internal import HummingbirdBcrypt
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// A stored hash in one of the formats djangorestframework-api-key ever wrote, parsed and checked
/// against the work limits before any expensive work is done.
///
/// 1.x and 2.x stored Django's `make_password(key)`, i.e. whatever the project's first
/// `PASSWORD_HASHERS` entry wrote. These are the formats of Django 5's default list, plus plain
/// bcrypt and the 3.x SHA-512 format:
///
/// | algorithm | stored string |
/// |---|---|
/// | `pbkdf2_sha256`, `pbkdf2_sha1` | `pbkdf2_sha256$<iterations>$<salt>$<base64>` |
/// | `scrypt` | `scrypt$<N>$<salt>$<r>$<p>$<base64>` |
/// | `argon2` | `argon2$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>` (also `argon2i`, `argon2d`) |
/// | `bcrypt_sha256` | `bcrypt_sha256$$2b$12$…` (bcrypt over the hex SHA-256 of the key) |
/// | `bcrypt` | `bcrypt$$2b$12$…` |
/// | `sha512` | `sha512$$<128 lowercase hex>` |
///
/// Parsing is cheap; ``verify(_:)`` may take most of a second by design, so call it through
/// ``LegacyHashing``, which runs it off the event loop.
///
/// ```swift
/// let legacy = try LegacyHash(parsing: "pbkdf2_sha256$36000$dfPh6LIy7NB3$foLulcHmohM9EGRzWnGfzqP94/inFc5Tf+gH9HY9N4E=")
/// legacy.verify("abcdEFGH.0123456789abcdefghijABCDEFGHIJkl")   // true
/// ```
@_spi(Internals) public struct LegacyHash: Sendable {
    /// The hashers whose output can be verified.
    public enum Algorithm: String, Sendable, CaseIterable {
        /// Django's default hasher since 1.4 (`PBKDF2PasswordHasher`).
        case pbkdf2SHA256 = "pbkdf2_sha256"
        /// `PBKDF2SHA1PasswordHasher`.
        case pbkdf2SHA1 = "pbkdf2_sha1"
        /// `ScryptPasswordHasher` (Django 4.0+).
        case scrypt
        /// `Argon2PasswordHasher`: argon2id, argon2i or argon2d.
        case argon2
        /// `BCryptSHA256PasswordHasher`: bcrypt over the hex SHA-256 of the key.
        case bcryptSHA256 = "bcrypt_sha256"
        /// `BCryptPasswordHasher`.
        case bcrypt
        /// djangorestframework-api-key 3.x's own format; legacy only to a custom ``KeyHasher``.
        case sha512
    }

    /// Which hasher wrote the hash.
    public var algorithm: Algorithm {
        switch format {
        case .pbkdf2(let digest, _, _, _): digest == .sha256 ? .pbkdf2SHA256 : .pbkdf2SHA1
        case .scrypt: .scrypt
        case .argon2: .argon2
        case .bcrypt(let prehashed, _): prehashed ? .bcryptSHA256 : .bcrypt
        case .sha512: .sha512
        }
    }

    /// Whether verifying costs real time (everything but `sha512`), and so belongs off the event loop.
    public var isSlow: Bool { algorithm != .sha512 }

    private enum Digest: Sendable { case sha256, sha1 }

    private enum Format: Sendable {
        case pbkdf2(Digest, iterations: Int, salt: [UInt8], expected: [UInt8])
        case scrypt(n: Int, r: Int, p: Int, salt: [UInt8], expected: [UInt8])
        case argon2(Argon2.Parameters, salt: [UInt8], expected: [UInt8])
        case bcrypt(prehashed: Bool, String)
        case sha512(String)
    }

    private let format: Format

    /// Parses `stored`, refusing anything malformed or beyond `limits` before doing any work.
    ///
    /// ```swift
    /// do {
    ///     let legacy = try LegacyHash(parsing: row.hashedKey)
    /// } catch .unsupportedAlgorithm(let name) {
    ///     logger.warning("API key hashed with \(name), which cannot be verified")
    /// }
    /// ```
    /// - Throws: ``LegacyHashError`` saying why the string cannot be verified.
    public init(parsing stored: String, limits: LegacyHashLimits = .default) throws(LegacyHashError) {
        guard let dollar = stored.firstIndex(of: "$") else {
            throw .unsupportedAlgorithm(stored.isEmpty || stored.hasPrefix("!") ? "unusable" : "unsalted")
        }
        let name = String(stored[..<dollar])
        guard let algorithm = Algorithm(rawValue: name) else { throw .unsupportedAlgorithm(name) }
        let rest = stored[stored.index(after: dollar)...]
        switch algorithm {
        case .pbkdf2SHA256, .pbkdf2SHA1:
            format = try Self.parsePBKDF2(rest, digest: algorithm == .pbkdf2SHA256 ? .sha256 : .sha1, limits: limits)
        case .scrypt:
            format = try Self.parseScrypt(rest, limits: limits)
        case .argon2:
            format = try Self.parseArgon2(rest, limits: limits)
        case .bcryptSHA256, .bcrypt:
            format = try Self.parseBcrypt(rest, prehashed: algorithm == .bcryptSHA256, limits: limits)
        case .sha512:
            guard SHA512KeyHasher().isPreferred(stored), stored.utf8.count == SHA512KeyHasher.encodedLength else {
                throw .malformed
            }
            format = .sha512(stored)
        }
    }

    /// Whether `key` is the key this hash was made from. Compares in constant time; may take up
    /// to about a second for the slow formats.
    public func verify(_ key: String) -> Bool {
        let password = Array(key.utf8)
        switch format {
        case .pbkdf2(let digest, let iterations, let salt, let expected):
            let derived = try? KDF.Insecure.PBKDF2.deriveKey(
                from: password, salt: salt, using: digest == .sha256 ? .sha256 : .insecureSHA1,
                outputByteCount: expected.count, unsafeUncheckedRounds: iterations)
            return derived.map { $0.withUnsafeBytes { ConstantTime.equals($0, expected) } } ?? false
        case .scrypt(let n, let r, let p, let salt, let expected):
            let derived = try? KDF.Scrypt.deriveKey(
                from: password, salt: salt, outputByteCount: expected.count, rounds: n, blockSize: r, parallelism: p)
            return derived.map { $0.withUnsafeBytes { ConstantTime.equals($0, expected) } } ?? false
        case .argon2(let parameters, let salt, let expected):
            let derived = Argon2.hash(password: password, salt: salt, parameters: parameters)
            return ConstantTime.equals(derived, expected)
        case .bcrypt(let prehashed, let bcryptHash):
            // The C implementation reads the key up to its first NUL: a key with a NUL in it would
            // be checked as its shorter self.
            guard !password.contains(0) else { return false }
            let secret = prehashed ? Self.lowercaseHex(SHA256.hash(data: password)) : key
            return Bcrypt.verify(secret, hash: bcryptHash)
        case .sha512(let stored):
            return SHA512KeyHasher().verify(key, against: stored)
        }
    }

    // MARK: Parsing

    // Each field is read exactly as the hasher writes it, and nothing else: Django compares whole
    // re-encoded strings and argon2-cffi refuses non-canonical encodings, so a leading zero, a
    // sign, missing or extra padding, stray trailing bits or a truncated digest is refused here
    // too, never checked against fewer bits than the hasher wrote.

    private static func parsePBKDF2(_ rest: Substring, digest: Digest, limits: LegacyHashLimits) throws(LegacyHashError) -> Format {
        let fields = rest.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 3, let iterations = decimal(fields[0]), iterations >= 1, !fields[1].isEmpty,
            let expected = base64(fields[2], padded: true), expected.count == (digest == .sha256 ? 32 : 20)
        else { throw .malformed }
        guard iterations <= limits.maximumPBKDF2Iterations else { throw .exceedsLimits }
        return .pbkdf2(digest, iterations: iterations, salt: Array(fields[1].utf8), expected: expected)
    }

    private static func parseScrypt(_ rest: Substring, limits: LegacyHashLimits) throws(LegacyHashError) -> Format {
        // Django's ScryptPasswordHasher always derives 64 bytes.
        let fields = rest.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, let n = decimal(fields[0]), let r = decimal(fields[2]), let p = decimal(fields[3]),
            n > 1, n.nonzeroBitCount == 1, r >= 1, p >= 1, !fields[1].isEmpty,
            let expected = base64(fields[4], padded: true), expected.count == 64
        else { throw .malformed }
        // Bounding each factor first keeps the products below from overflowing.
        guard n <= 1 << 30, r <= 1 << 10, p <= 1 << 10,
            128 * n * r <= limits.maximumMemoryBytes, 128 * n * r * p <= limits.maximumWorkBytes
        else { throw .exceedsLimits }
        return .scrypt(n: n, r: r, p: p, salt: Array(fields[1].utf8), expected: expected)
    }

    private static func parseArgon2(_ rest: Substring, limits: LegacyHashLimits) throws(LegacyHashError) -> Format {
        // rest is a PHC string without its leading "$": "argon2id$v=19$m=…,t=…,p=…$salt$hash".
        // Django 1.10–1.11 wrote no "v=" field, meaning version 0x10.
        var fields = rest.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 4 || fields.count == 5 else { throw .malformed }
        let variant: Argon2.Variant
        switch fields.removeFirst() {
        case "argon2id": variant = .id
        case "argon2i": variant = .i
        case "argon2d": variant = .d
        default: throw .malformed
        }
        var version: UInt32 = 0x10
        if fields.count == 4 {
            switch fields.removeFirst() {
            case "v=19": version = 0x13
            case "v=16": version = 0x10
            default: throw .malformed
            }
        }
        // Exactly "m=<m>,t=<t>,p=<p>", in that order, as argon2-cffi writes and reads it.
        let settings = fields[0].split(separator: ",", omittingEmptySubsequences: false)
        guard settings.count == 3,
            let memory = setting(settings[0], "m="), let time = setting(settings[1], "t="), let lanes = setting(settings[2], "p="),
            lanes >= 1, lanes < 1 << 24, time >= 1, memory >= 8 * lanes,
            let salt = base64(fields[1], padded: false), salt.count >= 8, let expected = base64(fields[2], padded: false), expected.count >= 4
        else { throw .malformed }
        // Compared by division: a product of m and t could overflow once the limits are raised.
        let memoryBytes = Int(memory) * 1024
        guard memoryBytes <= limits.maximumMemoryBytes, Int(time) <= limits.maximumWorkBytes / memoryBytes else {
            throw .exceedsLimits
        }
        let parameters = Argon2.Parameters(
            variant: variant, version: version, memoryKiB: memory, iterations: time, parallelism: lanes,
            tagLength: expected.count)
        return .argon2(parameters, salt: salt, expected: expected)
    }

    /// `name` followed by a canonical decimal that fits 32 bits.
    private static func setting(_ field: Substring, _ name: String) -> UInt32? {
        guard field.hasPrefix(name), let value = decimal(field.dropFirst(name.count)) else { return nil }
        return UInt32(exactly: value)
    }

    /// A decimal as Python's `str(int)` writes it: digits only, no sign, no leading zero.
    static func decimal(_ text: Substring) -> Int? {
        let digits = text.utf8
        guard let first = digits.first, digits.count <= 18, first != UInt8(ascii: "0") || digits.count == 1,
            digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        return Int(text)
    }

    private static func parseBcrypt(_ rest: Substring, prehashed: Bool, limits: LegacyHashLimits) throws(LegacyHashError) -> Format {
        // "$2b$12$" + 22 characters of salt + 31 of hash, in bcrypt's own base64 alphabet.
        let bytes = Array(rest.utf8)
        guard bytes.count == 60, bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"),
            bytes[2] == UInt8(ascii: "a") || bytes[2] == UInt8(ascii: "b"), bytes[3] == UInt8(ascii: "$"),
            bytes[6] == UInt8(ascii: "$"), let cost = Int(String(decoding: bytes[4...5], as: UTF8.self)),
            cost >= 4, bytes[4...5].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            bytes[7...].allSatisfy({ AlphanumericKeyGenerator.isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "/") })
        else { throw .malformed }
        guard cost <= limits.maximumBcryptCost else { throw .exceedsLimits }
        return .bcrypt(prehashed: prehashed, String(rest))
    }

    /// Standard base64 in its one canonical form: padded as Django writes it, or unpadded as PHC
    /// strings are, with zero trailing bits. Decoded, then encoded again and compared, so no other
    /// spelling of the same bytes passes.
    static func base64(_ text: Substring, padded: Bool) -> [UInt8]? {
        guard !text.isEmpty, text.utf8.count <= 1024, padded || !text.utf8.contains(UInt8(ascii: "=")) else { return nil }
        var input = String(text)
        if !padded, input.utf8.count % 4 != 0 { input += String(repeating: "=", count: 4 - input.utf8.count % 4) }
        guard let data = Data(base64Encoded: input) else { return nil }
        var canonical = data.base64EncodedString()
        if !padded { canonical = String(canonical.prefix { $0 != "=" }) }
        return canonical == text ? Array(data) : nil
    }

    private static func lowercaseHex(_ bytes: some Sequence<UInt8>) -> String {
        String(decoding: bytes.flatMap { [SHA512KeyHasher.lowercaseHexDigit($0 >> 4), SHA512KeyHasher.lowercaseHexDigit($0 & 0x0F)] }, as: UTF8.self)
    }
}

/// Why a stored hash cannot be verified. Such a key never verifies; the reason is for logs.
@_spi(Internals) public enum LegacyHashError: Error, Sendable, Equatable {
    /// The algorithm before the first `$` is not one djangorestframework-api-key rows can hold
    /// (or the value is empty, unusable `!…`, or a bare digest).
    case unsupportedAlgorithm(String)
    /// The algorithm is known but its fields are not well formed.
    case malformed
    /// Its work factors exceed ``LegacyHashLimits``: verifying would take too long or use too
    /// much memory.
    case exceedsLimits
    /// Too many legacy verifications are waiting: this one was refused at once, not computed.
    /// Nothing is known about the key; frameworks answer 503.
    case busy
    /// The request went away before its turn: the hash was not computed.
    case cancelled
}

/// The most work one legacy hash may cost; rows beyond it are refused without being computed.
///
/// The defaults sit well above what Django has ever written (Django 5.2: PBKDF2 with 1,000,000
/// iterations, Argon2 with 100 MiB and 2 passes, scrypt with 16 MiB, bcrypt cost 12) and well
/// below what would stall a server.
///
/// ```swift
/// var limits = LegacyHashLimits()
/// limits.maximumMemoryBytes = 2 << 30   // rows written with RFC 9106's 2 GiB profile
/// let scheme = KeyScheme(legacyHashes: LegacyHashing(limits: limits))
/// ```
public struct LegacyHashLimits: Sendable, Equatable {
    /// PBKDF2 iterations (Django 5.2 writes 1,000,000).
    public var maximumPBKDF2Iterations = 5_000_000
    /// bcrypt's log2 cost (Django writes 12).
    public var maximumBcryptCost = 16
    /// Memory for scrypt (128·N·r) and Argon2 (m KiB).
    public var maximumMemoryBytes = 1 << 30
    /// Memory times passes: 128·N·r·p for scrypt, 1 KiB·m·t for Argon2.
    public var maximumWorkBytes = 4 << 30

    /// The default limits.
    public init() {}

    /// The default limits.
    public static let `default` = LegacyHashLimits()
}
