@_spi(Internals) @testable import APIKeyCore
import Testing

@Suite("What people typed is echoed without a secret")
struct SecretRedactionTests {
    @Test("a whole key given as a prefix is its prefix; a prefix stays itself")
    func prefixOfInput() {
        #expect(SecretRedaction.prefix(ofInput: "abcdEFGH.0123456789abcdefghijABCDEFGHIJkl") == "abcdEFGH")
        #expect(SecretRedaction.prefix(ofInput: "abcdEFGH") == "abcdEFGH")
        #expect(SecretRedaction.prefix(ofInput: ".secret") == "")
        #expect(SecretRedaction.prefix(ofInput: "") == "")
    }

    @Test("key-shaped words lose what follows their dot; sentences, paths and dates keep their dots")
    func redact() {
        #expect(SecretRedaction.redact("Unexpected argument 'abcdEFGH.0123456789abcdefghij'") == "Unexpected argument 'abcdEFGH.…'")
        #expect(SecretRedaction.redact("a.b and c.d") == "a.… and c.…")
        #expect(SecretRedaction.redact("Nothing was changed.") == "Nothing was changed.")
        #expect(SecretRedaction.redact("'.hidden' and 'end.'") == "'.hidden' and 'end.'")
        #expect(SecretRedaction.redact("unicode é.é stays") == "unicode é.é stays")
    }
}
