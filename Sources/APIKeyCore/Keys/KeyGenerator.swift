/// Makes new API keys and recognises the keys it could have made.
///
/// The default, ``AlphanumericKeyGenerator``, makes djangorestframework-api-key's format. Supply
/// your own to change the shape of keys, for example a longer prefix:
///
/// ```swift
/// let scheme = KeyScheme(generator: AlphanumericKeyGenerator(prefixLength: 12, secretLength: 40))
/// ```
public protocol KeyGenerator: Sendable {
    /// A new key, drawn from a cryptographically secure random source.
    func generate() -> PlaintextAPIKey

    /// The prefix of a key a client presented, or `nil` when the string cannot be a key this
    /// generator makes (wrong length, wrong characters, no separator).
    ///
    /// Verification calls this before any lookup, so a garbage key never costs a database query.
    /// It runs on every request: keep it allocation-free and linear in the length of `key`.
    func prefix(ofPresentedKey key: String) -> String?

    /// Why a key for which ``prefix(ofPresentedKey:)`` gave `nil` is refused: `malformed`, or a
    /// more precise reason such as ``APIKeyDenial/checksum``. Called only for those keys, for the
    /// log and the metrics; the client gets the same 401 whatever it says.
    func denial(forUnrecognizedKey key: String) -> APIKeyDenial
}

extension KeyGenerator {
    /// `malformed`: the key does not have this generator's shape.
    public func denial(forUnrecognizedKey key: String) -> APIKeyDenial { .malformed }
}
