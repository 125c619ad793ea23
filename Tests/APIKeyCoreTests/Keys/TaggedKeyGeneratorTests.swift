@_spi(Internals) @testable import APIKeyCore
import Foundation
import Testing

@Suite("Keys scanners recognise: a tag, the prefix, the secret and a CRC-32 checksum")
struct TaggedKeyGeneratorTests {
    let generator = try! TaggedKeyGenerator(tag: "acme_live")

    @Test("CRC-32 and base62 give the known answers (zlib's check value, 62^6 digits)")
    func checksumKnownAnswers() {
        #expect(KeyChecksum.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(KeyChecksum.crc32([UInt8]()) == 0)
        #expect(KeyChecksum.base62(0) == "000000")
        #expect(KeyChecksum.base62(61) == "00000z")
        #expect(KeyChecksum.base62(62) == "000010")
        #expect(KeyChecksum.base62(UInt32.max) == "4gfFC3")
        for value: UInt32 in [0, 1, 61, 62, 0xCBF4_3926, UInt32.max] {
            #expect(KeyChecksum.matches(value, Array(KeyChecksum.base62(value).utf8)))
        }
        #expect(!KeyChecksum.matches(1, Array("000000".utf8)))
        #expect(!KeyChecksum.matches(0, Array("00000-".utf8)))
    }

    @Test("a key is tag_prefix_secret and 6 checksum characters, all letters, digits and _")
    func shape() {
        for _ in 0..<200 {
            let key = generator.generate()
            let text = key.reveal()
            #expect(text.count == generator.keyLength && text.count == 10 + 8 + 1 + 32 + 6)
            #expect(text.hasPrefix("acme_live_" + key.prefix + "_"))
            #expect(text.utf8.allSatisfy { AlphanumericKeyGenerator.isAlphanumeric($0) || $0 == UInt8(ascii: "_") })
            let body = text.dropLast(6)
            #expect(KeyChecksum.base62(KeyChecksum.crc32(Array(body.utf8))) == String(text.suffix(6)))
            #expect(generator.prefix(ofPresentedKey: text) == key.prefix)
            #expect("\(key)" == "\(key.prefix).<redacted>")
        }
    }

    @Test("any changed character fails the checksum, and is refused as checksum; other shapes are malformed")
    func checksumFailures() throws {
        let text = generator.generate().reveal()
        var bytes = Array(text.utf8)
        for index in 10..<bytes.count where bytes[index] != UInt8(ascii: "_") {
            let original = bytes[index]
            bytes[index] = original == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
            let typo = String(decoding: bytes, as: UTF8.self)
            #expect(generator.prefix(ofPresentedKey: typo) == nil, "\(index)")
            #expect(generator.denial(forUnrecognizedKey: typo) == .checksum, "\(index)")
            bytes[index] = original
        }
        // Two neighbours swapped: CRC-32 catches every transposition within a word of this size.
        var swapped = Array(text.utf8)
        swapped.swapAt(20, 21)
        if swapped != Array(text.utf8) { #expect(generator.prefix(ofPresentedKey: String(decoding: swapped, as: UTF8.self)) == nil) }
        for malformed in ["", text + "0", String(text.dropLast()), "acme_test" + text.dropFirst(9), text.replacingOccurrences(of: "acme_live_", with: "ACME_LIVE_"),
                          String(text.prefix(18)) + "-" + text.dropFirst(19), "abcdEFGH.0123456789abcdefghijABCDEFGHIJkl"] {
            #expect(generator.prefix(ofPresentedKey: malformed) == nil, "\(malformed)")
            #expect(generator.denial(forUnrecognizedKey: malformed) == .malformed, "\(malformed)")
        }
    }

    @Test("while keys migrate, the old format is accepted too; new keys are always tagged")
    func alsoAccepting() throws {
        let both = try TaggedKeyGenerator(tag: "acme_live", alsoAccepting: AlphanumericKeyGenerator())
        let old = AlphanumericKeyGenerator().generate()
        #expect(both.prefix(ofPresentedKey: old.reveal()) == old.prefix)
        #expect(generator.prefix(ofPresentedKey: old.reveal()) == nil)
        #expect(both.generate().reveal().hasPrefix("acme_live_"))
        #expect(both.denial(forUnrecognizedKey: "nodot") == .malformed)
        let tagged = both.generate().reveal()
        #expect(both.denial(forUnrecognizedKey: String(tagged.dropLast()) + (tagged.last == "0" ? "1" : "0")) == .checksum)
    }

    @Test("a tag that cannot make a readable key is refused with what is accepted")
    func invalidTags() {
        for tag in ["", "Acme", "acme-live", "_acme", "acme_", "9acme", "acme live", String(repeating: "a", count: 25), "é"] {
            #expect(throws: InvalidKeyTag.self, "\(tag)") { try TaggedKeyGenerator(tag: tag) }
        }
        let error = #expect(throws: InvalidKeyTag.self) { try TaggedKeyGenerator(tag: "Acme-Live") }
        #expect(error?.description.contains("lowercase letters, digits and underscores") == true && error?.description.contains("\"Acme-Live\"") == true)
        #expect(throws: InvalidKeyTag.self) { try TaggedKeyGenerator(tag: "acme", secretLength: 16) }
        #expect((try? TaggedKeyGenerator(tag: "a")) != nil && (try? TaggedKeyGenerator(tag: "acme_live_2")) != nil)
    }

    @Test("the scanner pattern finds the keys in text and none of the near misses")
    func scannerPattern() throws {
        let pattern = try Regex(generator.scannerPattern)
        #expect(generator.scannerPattern == #"\bacme_live_[0-9A-Za-z]{8}_[0-9A-Za-z]{38}\b"#)
        for _ in 0..<50 {
            let key = generator.generate().reveal()
            for text in [key, "API_KEY=\(key)\n", "\"\(key)\"", "Authorization: Api-Key \(key)", "key: '\(key)' # prod"] {
                #expect(text.firstMatch(of: pattern).map { String($0.output[0].substring ?? "") } == key)
            }
            let nearMisses = [
                String(key.dropLast()), key + "a", "x" + key, "acme_test" + key.dropFirst(9), "ACME_LIVE" + key.dropFirst(9),
                key.replacingOccurrences(of: "_", with: "-"), AlphanumericKeyGenerator().generate().reveal(),
            ]
            for miss in nearMisses { #expect(miss.firstMatch(of: pattern) == nil, "\(miss)") }
        }
    }

    @Test("verification refuses a failed checksum before any lookup, and finds a tagged key by its prefix")
    func verification() async throws {
        let scheme = KeyScheme(generator: generator)
        let store = InMemoryAPIKeyStore(scheme: scheme)
        let (record, key) = try store.createKey(name: "tagged")
        let counting = CountingStore(inner: store)
        let verifier = APIKeyVerifier(store: counting, scheme: scheme)
        let text = key.reveal()
        let typo = String(text.dropLast()) + (text.last == "0" ? "1" : "0")
        #expect(await verifier.verify(presentedKey: typo).denial == .checksum)
        #expect(await verifier.verify(presentedKey: "acme_live_garbage").denial == .malformed)
        #expect(counting.lookups == 0)
        #expect(await verifier.verify(presentedKey: text).identity == record)
        #expect(counting.lookups == 1)
    }
}
