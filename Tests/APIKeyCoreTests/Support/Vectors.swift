import Foundation

/// The known-answer vectors in Vectors/: upstream-3.1.json comes from the real
/// djangorestframework-api-key 3.1.0 (its hash-vectors notes); computed.json from the
/// reference implementations on PyPI (scripts/vectors/generate.py).
enum Vectors {
    struct Upstream: Decodable {
        struct Fixed: Decodable { let key: String; let hashed_key: String; let verify: Bool; let verify_wrong: Bool }
        struct Generated: Decodable {
            let key: String; let prefix: String; let hashed_key: String; let id: String
            let verify: Bool; let verify_upper: Bool
        }
        struct Legacy: Decodable {
            let hasher: String; let key: String; let hashed_key: String
            let verify: Bool; let verify_wrong: Bool; let using_preferred_hasher: Bool
            let upgraded_hashed_key_after_successful_use: String
        }
        struct Negative: Decodable { let `case`: String; let hashed_key: String; let verify: Bool }
        let sha512_fixed: [Fixed]
        let sha512_generated: [Generated]
        let legacy: [Legacy]
        let negative: [Negative]
    }

    struct Computed: Decodable {
        struct Blake: Decodable { let message_hex: String; let digest_length: Int; let digest_hex: String }
        struct Argon: Decodable {
            let variant: String; let version: UInt32; let memory_kib: UInt32; let iterations: UInt32
            let parallelism: UInt32; let password_hex: String; let salt_hex: String; let tag_hex: String
        }
        struct Django: Decodable { let hasher: String; let key: String; let hashed_key: String }
        let blake2b: [Blake]
        let argon2: [Argon]
        let django: [Django]
    }

    static let upstream: Upstream = load("upstream-3.1")
    static let computed: Computed = load("computed")

    /// The key every legacy vector was made from.
    static let legacyKey = "abcdEFGH.0123456789abcdefghijABCDEFGHIJkl"

    private static func load<T: Decodable>(_ name: String) -> T {
        let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Vectors")!
        return try! JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }
}

extension Array where Element == UInt8 {
    init(hex: String) {
        let digits = Array(hex.utf8)
        self = stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }

    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
