/// A complete API key in plain text, `<prefix>.<secret>` (or the format of its
/// ``KeyGenerator``, such as ``TaggedKeyGenerator``'s), as handed to its owner exactly once.
///
/// This is the one value in the library that must never reach a log, an error message or a
/// database. Printing it, interpolating it, dumping it or reflecting over it shows the public
/// prefix and `<redacted>`; it has no `Codable` conformance, so it cannot slip into a JSON body
/// by accident. Reading the key is an explicit call to ``reveal()``.
///
/// ```swift
/// let newKey = KeyScheme().makeKey()
/// logger.info("created key \(newKey.plaintext)")      // "created key ab12CD34.<redacted>"
/// return CreatedKeyResponse(key: newKey.plaintext.reveal()) // shown to its owner, once
/// ```
public struct PlaintextAPIKey: Sendable {
    /// The public part of the key, used to look it up. Safe to log and to show in an admin.
    public let prefix: String

    private let key: String

    /// Makes a key from its two parts.
    ///
    /// ```swift
    /// let key = PlaintextAPIKey(prefix: "abcdEFGH", secret: "0123456789abcdefghijABCDEFGHIJkl")
    /// ```
    /// - Parameters:
    ///   - prefix: The lookup part. It must not contain `.`, which separates it from the secret.
    ///   - secret: The secret part.
    public init(prefix: String, secret: String) {
        precondition(!prefix.utf8.contains(UInt8(ascii: ".")), "an API key prefix cannot contain '.'")
        self.prefix = prefix
        self.key = prefix + "." + secret
    }

    /// A key in another format than `<prefix>.<secret>`, such as ``TaggedKeyGenerator``'s:
    /// `wholeKey` contains `prefix`.
    package init(prefix: String, wholeKey: String) {
        self.prefix = prefix
        self.key = wholeKey
    }

    /// The full key, `<prefix>.<secret>` (or its generator's format): give it to its owner and nowhere else.
    ///
    /// ```swift
    /// let response = CreatedKey(key: newKey.plaintext.reveal())   // to its owner, once
    /// ```
    public func reveal() -> String { key }
}

extension PlaintextAPIKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `<prefix>.<redacted>`: what string interpolation and `print` show.
    public var description: String { "\(prefix).<redacted>" }

    /// The same redacted form as ``description``.
    public var debugDescription: String { "PlaintextAPIKey(\(prefix).<redacted>)" }

    /// A mirror without the secret, so `dump` and reflection-based encoders cannot see it.
    public var customMirror: Mirror {
        Mirror(self, children: ["prefix": prefix, "secret": "<redacted>"], displayStyle: .struct)
    }
}
