import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// GitHub's public keys for secret scanning alerts, by identifier: with them, a leak report is
/// accepted only when its `Github-Public-Key-Signature` (ECDSA P-256 over the body, SHA-256) is
/// GitHub's. Copy them from `https://api.github.com/meta/public_keys/secret_scanning` (each
/// entry's `key_identifier` and `key`), and refresh them when GitHub rotates its keys.
///
/// ```swift
/// let keys = try GitHubSigningKeys(["bcb53661c06b4728e59d897fb6165d5c9cda0fd9cdf9d09ead458168deb7518c": pem])
/// ```
public struct GitHubSigningKeys: Sendable {
    private let keys: [String: P256.Signing.PublicKey]

    /// The keys; each value is a PEM public key (`-----BEGIN PUBLIC KEY-----`).
    ///
    /// - Throws: ``LeakReportingError`` naming the identifier whose key cannot be read.
    public init(_ pemByIdentifier: [String: String]) throws(LeakReportingError) {
        var keys: [String: P256.Signing.PublicKey] = [:]
        for (identifier, pem) in pemByIdentifier {
            guard let key = try? P256.Signing.PublicKey(pemRepresentation: pem) else {
                throw LeakReportingError(
                    "GitHub's key \(identifier.prefix(64)) is not a P-256 public key in PEM (-----BEGIN PUBLIC KEY-----): copy it from https://api.github.com/meta/public_keys/secret_scanning")
            }
            keys[identifier] = key
        }
        guard !keys.isEmpty else { throw LeakReportingError("give at least one of GitHub's secret scanning keys, or none at all to accept unsigned reports") }
        self.keys = keys
    }

    /// The keys as GitHub publishes them at `https://api.github.com/meta/public_keys/secret_scanning`:
    /// `{"public_keys": [{"key_identifier": "…", "key": "-----BEGIN PUBLIC KEY-----…"}]}`, saved
    /// to a file, say.
    ///
    /// ```swift
    /// let keys = try GitHubSigningKeys(githubMeta: Array(try Data(contentsOf: URL(fileURLWithPath: "github-keys.json"))))
    /// ```
    /// - Throws: ``LeakReportingError`` when the JSON is not in that shape, or a key cannot be read.
    public init(githubMeta json: [UInt8]) throws(LeakReportingError) {
        struct Meta: Decodable {
            struct Key: Decodable {
                let key_identifier: String
                let key: String
            }
            let public_keys: [Key]
        }
        guard let meta = try? JSONDecoder().decode(Meta.self, from: Data(json)) else {
            throw LeakReportingError(
                "GitHub's keys must be the JSON of https://api.github.com/meta/public_keys/secret_scanning: {\"public_keys\": [{\"key_identifier\": …, \"key\": …}]}")
        }
        try self.init(Dictionary(meta.public_keys.map { ($0.key_identifier, $0.key) }) { first, _ in first })
    }

    /// Whether `signature` (base64 DER, from `Github-Public-Key-Signature`) is the signature of
    /// `body` by the key `identifier` names (`Github-Public-Key-Identifier`).
    package func verify(_ body: [UInt8], identifier: String?, signature: String?) -> Bool {
        guard let identifier, let key = keys[identifier], let signature, signature.utf8.count <= 512,
              let der = Data(base64Encoded: signature), let parsed = try? P256.Signing.ECDSASignature(derRepresentation: der)
        else { return false }
        return key.isValidSignature(parsed, for: body)
    }
}
