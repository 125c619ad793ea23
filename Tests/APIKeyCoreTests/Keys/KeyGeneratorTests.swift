import Foundation
@_spi(Internals) import APIKeyCore
import Testing

@Suite("Key generation")
struct KeyGeneratorTests {
    let generator = AlphanumericKeyGenerator()

    @Test("a default key is 8 + '.' + 32 characters of [A-Za-z0-9] (upstream test_key_generation)")
    func defaultShape() {
        for _ in 0..<200 {
            let key = generator.generate().reveal()
            let parts = key.split(separator: ".", omittingEmptySubsequences: false)
            #expect(parts.count == 2)
            #expect(parts[0].count == 8)
            #expect(parts[1].count == 32)
            #expect(parts.allSatisfy { $0.utf8.allSatisfy(AlphanumericKeyGenerator.isAlphanumericForTest) })
        }
    }

    @Test("lengths are configurable")
    func customLengths() {
        let key = AlphanumericKeyGenerator(prefixLength: 12, secretLength: 48).generate()
        #expect(key.prefix.count == 12)
        #expect(key.reveal().count == 12 + 1 + 48)
    }

    @Test("the prefix of a generated key is what the generator recognises")
    func prefixRoundTrip() {
        for _ in 0..<100 {
            let key = generator.generate()
            #expect(generator.prefix(ofPresentedKey: key.reveal()) == key.prefix)
        }
    }

    @Test("keys are not repeated")
    func uniqueness() {
        var seen = Set<String>()
        for _ in 0..<10_000 { seen.insert(generator.generate().reveal()) }
        #expect(seen.count == 10_000)
    }

    /// 400,000 characters over 62 symbols: a chi-square statistic above 120 (61 degrees of
    /// freedom) happens by chance with p < 0.00002, so a failure means a biased draw.
    @Test("characters are uniform over the 62-character alphabet")
    func uniformity() {
        var counts = [Character: Int]()
        for _ in 0..<10_000 {
            for character in generator.generate().reveal() where character != "." { counts[character, default: 0] += 1 }
        }
        #expect(counts.count == 62)
        let total = counts.values.reduce(0, +)
        let expected = Double(total) / 62
        let chiSquare = counts.values.reduce(0.0) { $0 + pow(Double($1) - expected, 2) / expected }
        #expect(chiSquare < 120, "chi-square \(chiSquare)")
    }

    @Test("random bytes from 248 up are rejected, not folded onto the alphabet (no modulo bias)")
    func rejectionSampling() {
        // Each word: seven rejected bytes (248...255, 255 ...), then byte 0, which is 'a'; 61 is '9'.
        var random = ScriptedRandom(words: [0x00F8_F9FA_FBFC_FDFE, 0x3DFF_FFFF_FFFF_FFFF, 0x3D, 0x00])
        let key = AlphanumericKeyGenerator(prefixLength: 2, secretLength: 2).generate(using: &random)
        // Bytes are consumed from the low end: 0xFE…0xF8 rejected, then 0x00 -> 'a'; the next word
        // gives seven rejections then 0x3D -> '9'; then 0x3D -> '9' and 0x00 -> 'a'.
        #expect(key.reveal() == "a9.9a")
    }

    @Test(
        "shapes that cannot be a default key are recognised as such before any lookup",
        arguments: [
            "", "nodot", "abcdEFGH", "abcdEFGH.", ".0123456789abcdefghijABCDEFGHIJkl",
            "abcdEFGH.0123456789abcdefghijABCDEFGHIJk", "abcdEFGH.0123456789abcdefghijABCDEFGHIJklm",
            "abcdEFG.0123456789abcdefghijABCDEFGHIJklm", "abcdEFGH 0123456789abcdefghijABCDEFGHIJkl",
            " abcdEFGH.0123456789abcdefghijABCDEFGHIJk", "abcdEFGH.0123456789abcdefghijABCDEFGHIJk ",
            "abcdEFGH.0123456789abcdefghijABCDEFGHI.kl", "abcdéFGH.0123456789abcdefghijABCDEFGHIJk",
            "abcdEFGH.0123456789abcdefghijABCDEFGHIJ\u{0}l", "abcd%46GH.0123456789abcdefghijABCDEFGHIJ",
            "abcdEFGH.0123456789abcdefghijABCDEFGH\u{FFFD}",
        ])
    func malformedShapes(presented: String) {
        #expect(generator.prefix(ofPresentedKey: presented) == nil)
    }

    @Test("the prefix of a well-formed key is its first eight characters")
    func prefixOfWellFormedKey() {
        #expect(generator.prefix(ofPresentedKey: "abcdEFGH.0123456789abcdefghijABCDEFGHIJkl") == "abcdEFGH")
    }
}

/// A random source that returns the given words in order, then zeros.
struct ScriptedRandom: RandomNumberGenerator {
    var words: [UInt64]
    mutating func next() -> UInt64 { words.isEmpty ? 0 : words.removeFirst() }
}

extension AlphanumericKeyGenerator {
    static func isAlphanumericForTest(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
