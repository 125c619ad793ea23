@_spi(Internals) import APIKeyCore
import Testing

@Suite("SHA-512 hasher, byte-identical to upstream")
struct SHA512KeyHasherTests {
    let hasher = SHA512KeyHasher()

    @Test("fixed inputs hash to upstream's strings and verify (hash-vectors §1a)", arguments: Vectors.upstream.sha512_fixed)
    func fixedVectors(vector: Vectors.Upstream.Fixed) {
        #expect(hasher.hash(vector.key) == vector.hashed_key)
        #expect(hasher.verify(vector.key, against: vector.hashed_key) == vector.verify)
        #expect(hasher.verify(vector.key + "x", against: vector.hashed_key) == vector.verify_wrong)
        #expect(hasher.hash(vector.key).utf8.count == 136)
    }

    @Test("keys made by upstream's generator verify; their upper-case form does not (hash-vectors §1b)",
          arguments: Vectors.upstream.sha512_generated)
    func generatedVectors(vector: Vectors.Upstream.Generated) {
        #expect(hasher.hash(vector.key) == vector.hashed_key)
        #expect(hasher.verify(vector.key, against: vector.hashed_key) == vector.verify)
        #expect(hasher.verify(vector.key.uppercased(), against: vector.hashed_key) == vector.verify_upper)
        #expect(AlphanumericKeyGenerator().prefix(ofPresentedKey: vector.key) == vector.prefix)
        #expect(vector.prefix + "." + hasher.hash(vector.key) == vector.id)
    }

    @Test("negative vectors do not verify (hash-vectors §3)", arguments: Vectors.upstream.negative)
    func negativeVectors(vector: Vectors.Upstream.Negative) {
        #expect(hasher.verify(Vectors.legacyKey, against: vector.hashed_key) == vector.verify)
        #expect(vector.verify == false)
    }

    @Test("the stored hash is not itself a key (hash-vectors §3)")
    func hashIsNotAKey() {
        let stored = hasher.hash(Vectors.legacyKey)
        #expect(!hasher.verify(stored, against: stored))
    }

    @Test("test_sha512hasher_encode: 'test' verifies, 'not-test' does not")
    func upstreamEncodeTest() {
        let stored = hasher.hash("test")
        #expect(hasher.verify("test", against: stored))
        #expect(!hasher.verify("not-test", against: stored))
    }

    @Test("preferred means exactly the sha512$$ marker (upstream using_preferred_hasher)")
    func preferred() {
        #expect(hasher.isPreferred(hasher.hash("x")))
        #expect(!hasher.isPreferred("sha512$abc"))
        #expect(!hasher.isPreferred("pbkdf2_sha256$36000$salt$hash"))
        #expect(!hasher.isPreferred(""))
    }

    @Test("a hash one character off anywhere does not verify")
    func everyPositionMatters() {
        let stored = Array(hasher.hash(Vectors.legacyKey).utf8)
        for index in stored.indices {
            var altered = stored
            altered[index] = altered[index] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
            #expect(!hasher.verify(Vectors.legacyKey, against: String(decoding: altered, as: UTF8.self)))
        }
    }

    @Test("non-ASCII keys hash their UTF-8 bytes, as Python's key.encode() does")
    func unicodeKey() {
        // hashlib.sha512("clé".encode()).hexdigest()
        let expected = "cf3688214c547012c2aba32843cb3ef83b20f28e2cfa061851ed79bbdbfdc90f8ba85816a6ad382e0ddef70c9eae5ae4375977be0264e3e84c5af3ed60ba7af9"
        #expect(hasher.hash("clé") == "sha512$$" + expected)
        #expect(hasher.verify("clé", against: hasher.hash("clé")))
        #expect(!hasher.verify("cle", against: hasher.hash("clé")))
    }
}
