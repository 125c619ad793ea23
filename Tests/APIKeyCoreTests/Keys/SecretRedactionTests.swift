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
        let tagged = "acme_live_C7oAzBnJ_mk01hDcC9wYLAoDkFREUeUNs7cQ1XWWm3bTq0Z"
        #expect(SecretRedaction.prefix(ofInput: tagged) == "C7oAzBnJ")
        #expect(SecretRedaction.prefix(ofInput: "a_C7oAzBnJ_" + String(repeating: "x", count: 28)) == "C7oAzBnJ")
        // Names with underscores are not keys.
        #expect(SecretRedaction.prefix(ofInput: "my_key_name") == "my_key_name")
        #expect(SecretRedaction.prefix(ofInput: "C7oAzBnJ_" + String(repeating: "x", count: 40)) == "C7oAzBnJ_" + String(repeating: "x", count: 40))
    }

    @Test("key-shaped words lose what follows their dot; sentences, paths and dates keep their dots")
    func redact() {
        #expect(SecretRedaction.redact("Unexpected argument 'abcdEFGH.0123456789abcdefghij'") == "Unexpected argument 'abcdEFGH.…'")
        #expect(SecretRedaction.redact("a.b and c.d") == "a.… and c.…")
        #expect(SecretRedaction.redact("Nothing was changed.") == "Nothing was changed.")
        #expect(SecretRedaction.redact("'.hidden' and 'end.'") == "'.hidden' and 'end.'")
        #expect(SecretRedaction.redact("unicode é.é stays") == "unicode é.é stays")
        #expect(SecretRedaction.redact("no key 'acme_live_C7oAzBnJ_mk01hDcC9wYLAoDkFREUeUNs7cQ1XWWm3bTq0Z' here")
            == "no key 'acme_live_C7oAzBnJ_…' here")
        #expect(SecretRedaction.redact("snake_case_names stay, as do API_KEY_TAG and a_b_c") == "snake_case_names stay, as do API_KEY_TAG and a_b_c")
    }
}
