@_spi(Internals) import APIKeyCore
import Testing

@Suite("Reading the key from a request header: upstream's KeyParser, row by row (upstream.md §5.1)")
struct KeyHeaderTests {
    enum Expected: Equatable {
        case missing, malformed
        case key(String)
    }

    static func expected(_ extraction: KeyExtraction) -> Expected {
        switch extraction {
        case .missing: .missing
        case .malformed: .malformed
        case .key(let key): .key(key)
        }
    }

    @Test(
        "Authorization with the default keyword",
        arguments: [
            // (value, what upstream's KeyParser().get() returns for it behind an HTTP server, which
            // strips the spaces and tabs around a field value: RFC 9110 §5.5)
            ("", Expected.missing),
            ("Api-Key abc.def", .key("abc.def")),
            ("api-key abc.def", .key("abc.def")),
            ("API-KEY abc.def", .key("abc.def")),
            ("Api-Key  abc.def", .key(" abc.def")),
            ("Api-Key abc.def ", .key("abc.def")),
            ("Api-Key abc.def\t \t", .key("abc.def")),
            ("\tApi-Key abc.def", .key("abc.def")),
            ("   ", .missing),
            ("Api-Key a b c", .key("a b c")),
            ("Api-Key", .missing),
            ("Api-Key ", .missing),
            ("Api-Key\tabc.def", .missing),
            ("Api-Key:abc.def", .missing),
            ("Bearer abc.def", .missing),
            ("X-Key abc", .missing),
            ("My-Special-Api-Key 12345", .missing),
            ("Api-Keys abc.def", .missing),
            ("Api-Ke abc.def", .missing),
            (" Api-Key abc.def", .key("abc.def")),
        ])
    func authorization(value: String, expected: Expected) {
        #expect(Self.expected(KeyHeader.authorization().extract(from: [value])) == expected)
    }

    @Test("no Authorization header at all is no key")
    func absent() {
        #expect(Self.expected(KeyHeader.authorization().extract(from: [String]())) == .missing)
    }

    @Test("glue reads the header's values lazily: none is no key, one is read, a second is malformed")
    func lazilyReadValues() {
        let header = KeyHeader.authorization()
        let fields = [("Host", "example.com"), ("authorization", "Api-Key abc.def"), ("Accept", "*/*")]
        let named = { (fields: [(String, String)]) in fields.lazy.filter { header.isNamed($0.0) }.map { $0.1 } }
        #expect(Self.expected(header.extract(values: named([("Host", "example.com")]))) == .missing)
        #expect(Self.expected(header.extract(values: named(fields))) == .key("abc.def"))
        // Two Authorization fields: two keys, or one split by a proxy; never the first one alone.
        #expect(Self.expected(header.extract(values: named(fields + [("AUTHORIZATION", "Api-Key abc.def")]))) == .malformed)
        #expect(header.isNamed("Authorization") && header.isNamed("authorization") && header.isNamed("AUTHORIZATION"))
        #expect(!header.isNamed("Authorizatio") && !header.isNamed("X-Authorization") && !header.isNamed(""))
        #expect(KeyHeader.custom("X-Api-Key").isNamed("x-api-key"))
    }

    @Test("a custom keyword replaces Api-Key (upstream test_keyparser_keyword_override)")
    func customKeyword() {
        let bearer = KeyHeader.authorization(keyword: "Bearer")
        #expect(Self.expected(bearer.extract(from: ["Bearer abc.def"])) == .key("abc.def"))
        #expect(Self.expected(bearer.extract(from: ["bearer abc.def"])) == .key("abc.def"))
        #expect(Self.expected(bearer.extract(from: ["Api-Key abc.def"])) == .missing)
    }

    @Test("the keyword must match exactly, not as a substring (upstream test_keyparser_lookup_exact_keyword)")
    func exactKeyword() {
        #expect(Self.expected(KeyHeader.authorization().extract(from: ["My-Special-Api-Key 12345"])) == .missing)
    }

    @Test("a look-alike keyword is not folded to ASCII (the Kelvin sign is not 'K')")
    func unicodeKeyword() {
        #expect(Self.expected(KeyHeader.authorization().extract(from: ["Api-\u{212A}ey abc.def"])) == .missing)
    }

    @Test(
        "a custom header's whole value is the key, verbatim but for the whitespace around it (upstream API_KEY_CUSTOM_HEADER)",
        arguments: [
            ("abc.def", Expected.key("abc.def")),
            ("Api-Key abc", .key("Api-Key abc")),
            (" abc.def ", .key("abc.def")),
            ("\t", .missing),
            ("", .missing),
        ])
    func customHeader(value: String, expected: Expected) {
        let header = KeyHeader.custom("X-Api-Key")
        #expect(header.name == "X-Api-Key")
        #expect(Self.expected(header.extract(from: [value])) == expected)
    }

    @Test("with a custom header, Authorization is not read: adapters read only `name`")
    func customHeaderIgnoresAuthorization() {
        #expect(KeyHeader.custom("X-Api-Key").name == "X-Api-Key")
        #expect(KeyHeader.authorization().name == "Authorization")
    }

    @Test("a 401's challenge names the header to use: Api-Key for Authorization, the custom header's name otherwise")
    func challengeNamesTheHeader() {
        #expect(KeyHeader.authorization().challenge == "Api-Key")
        #expect(KeyHeader.authorization(keyword: "Bearer").challenge == "Bearer")
        #expect(KeyHeader.custom("X-Api-Key").challenge == #"Api-Key header="X-Api-Key""#)
    }

    @Test("an oversized value is malformed, in both modes")
    func oversized() {
        let huge = String(repeating: "a", count: 8 * 1024)
        #expect(Self.expected(KeyHeader.authorization().extract(from: ["Api-Key " + huge])) == .malformed)
        #expect(Self.expected(KeyHeader.custom("X-Api-Key").extract(from: [huge])) == .malformed)
        #expect(Self.expected(KeyHeader.authorization().extract(fromBytes: [Array(("Api-Key " + huge).utf8)])) == .malformed)
        var generous = KeyHeader.authorization()
        generous.maximumLength = 16 * 1024
        #expect(Self.expected(generous.extract(from: ["Api-Key " + huge])) == .key(huge))
    }

    @Test("non-UTF-8 bytes are malformed, whether raw or already replaced by U+FFFD")
    func nonUTF8() {
        let bytes: [UInt8] = Array("Api-Key abc".utf8) + [0xFF, 0xFE] + Array(".def".utf8)
        #expect(Self.expected(KeyHeader.authorization().extract(fromBytes: [bytes])) == .malformed)
        #expect(Self.expected(KeyHeader.authorization().extract(from: [String(decoding: bytes, as: UTF8.self)])) == .malformed)
        #expect(Self.expected(KeyHeader.custom("X-Api-Key").extract(fromBytes: [[0xC3, 0x28]])) == .malformed)
        #expect(Self.expected(KeyHeader.authorization().extract(fromBytes: [Array("Api-Key abc.def".utf8)])) == .key("abc.def"))
    }

    @Test("more than one value for the header is malformed, never a choice between them")
    func severalValues() {
        let key = "Api-Key abcdEFGH.0123456789abcdefghijABCDEFGHIJkl"
        #expect(Self.expected(KeyHeader.authorization().extract(from: [key, key])) == .malformed)
        #expect(Self.expected(KeyHeader.authorization().extract(from: ["Bearer x", key])) == .malformed)
    }

    @Test("control characters and NUL pass through to the key, where the shape check refuses them")
    func controlCharacters() {
        #expect(Self.expected(KeyHeader.authorization().extract(from: ["Api-Key abc\u{0}.def"])) == .key("abc\u{0}.def"))
    }
}
