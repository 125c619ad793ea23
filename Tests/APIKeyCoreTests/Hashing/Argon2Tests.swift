@_spi(Internals) @testable import APIKeyCore
import Testing

@Suite("BLAKE2b and Argon2")
struct Argon2Tests {
    @Test("BLAKE2b-512 of 'abc' (RFC 7693 appendix A)")
    func blake2bRFC() {
        #expect(
            BLAKE2b.hash(Array("abc".utf8)).hex
                == "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
        )
    }

    @Test("BLAKE2b matches Python's hashlib at block boundaries and short digests", arguments: Vectors.computed.blake2b)
    func blake2bVectors(vector: Vectors.Computed.Blake) {
        #expect(BLAKE2b.hash([UInt8](hex: vector.message_hex), digestLength: vector.digest_length).hex == vector.digest_hex)
    }

    @Test(
        "RFC 9106 §5 test vectors (with secret and associated data)",
        arguments: [
            (Argon2.Variant.d, "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb"),
            (.i, "c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8"),
            (.id, "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"),
        ])
    func rfc9106(variant: Argon2.Variant, tag: String) {
        let output = Argon2.hash(
            password: [UInt8](repeating: 1, count: 32), salt: [UInt8](repeating: 2, count: 16),
            secret: [UInt8](repeating: 3, count: 8), associatedData: [UInt8](repeating: 4, count: 12),
            parameters: .init(variant: variant, memoryKiB: 32, iterations: 3, parallelism: 4))
        #expect(output.hex == tag)
    }

    @Test("argon2-cffi vectors: every variant, versions 0x10 and 0x13, odd sizes, long tags", arguments: Vectors.computed.argon2)
    func referenceVectors(vector: Vectors.Computed.Argon) {
        let variant: Argon2.Variant = ["d": .d, "i": .i, "id": .id][vector.variant]!
        let parameters = Argon2.Parameters(
            variant: variant, version: vector.version, memoryKiB: vector.memory_kib, iterations: vector.iterations,
            parallelism: vector.parallelism, tagLength: vector.tag_hex.count / 2)
        let output = Argon2.hash(password: [UInt8](hex: vector.password_hex), salt: [UInt8](hex: vector.salt_hex), parameters: parameters)
        #expect(output.hex == vector.tag_hex)
    }
}
