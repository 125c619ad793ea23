internal import Crypto

/// A server secret for ``PepperedKeyHasher``, named by an id that its hashes carry, so that
/// peppers can be rotated. Keep it out of the database: in a secret store or the environment.
///
/// ```swift
/// let pepper = try KeyPepper(id: "2026a", secret: Array(environment["API_KEY_PEPPER_SECRET"]!.utf8))
/// ```
public struct KeyPepper: Sendable {
    /// The id hashes name it by: 1 to 32 letters, digits, `-` and `_`.
    public let id: String
    private let key: SymmetricKey

    /// A pepper.
    ///
    /// - Parameters:
    ///   - id: 1 to 32 letters, digits, `-` and `_`: `2026a`.
    ///   - secret: At least 32 bytes from a secure random source (`openssl rand -base64 32`).
    /// - Throws: ``InvalidKeyPepper`` saying what is accepted.
    public init(id: String, secret: some Collection<UInt8>) throws(InvalidKeyPepper) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_".utf8)
        guard (1...32).contains(id.utf8.count), id.utf8.allSatisfy(allowed.contains) else {
            throw InvalidKeyPepper("a pepper's id must be 1 to 32 letters, digits, - and _, such as 2026a; got \(String(id.prefix(40)).debugDescription)")
        }
        guard secret.count >= 32 else {
            throw InvalidKeyPepper("a pepper's secret must be at least 32 bytes from a secure random source (openssl rand -base64 32); got \(secret.count)")
        }
        self.id = id
        self.key = SymmetricKey(data: Array(secret))
    }

    /// HMAC-SHA-256 of `key` under this pepper.
    func authenticationCode(of text: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: key))
    }
}
