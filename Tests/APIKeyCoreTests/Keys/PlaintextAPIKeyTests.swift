@_spi(Internals) import APIKeyCore
import Foundation
import Testing

@Suite("Plaintext keys do not leak")
struct PlaintextAPIKeyTests {
    let key = PlaintextAPIKey(prefix: "abcdEFGH", secret: "0123456789abcdefghijABCDEFGHIJkl")
    let secret = "0123456789abcdefghijABCDEFGHIJkl"

    @Test("reveal() is the one way to read the key")
    func reveal() {
        #expect(key.reveal() == "abcdEFGH.0123456789abcdefghijABCDEFGHIJkl")
        #expect(key.prefix == "abcdEFGH")
    }

    @Test("description, interpolation, debugDescription, dump and reflection show only the prefix")
    func redaction() {
        var dumped = ""
        dump(key, to: &dumped)
        var dumpedNewKey = ""
        dump(NewAPIKey(plaintext: key, hashedKey: "sha512$$…"), to: &dumpedNewKey)
        let renderings = [
            key.description, "\(key)", String(describing: key), String(reflecting: key), key.debugDescription,
            dumped, dumpedNewKey, "\(NewAPIKey(plaintext: key, hashedKey: "x"))", "\([key])", "\(Optional(key) as Any)",
            String(describing: Mirror(reflecting: key).children.map { "\($0.label ?? ""):\($0.value)" }),
            "\(KeyExtraction.key(key.reveal()))", String(reflecting: KeyExtraction.key(key.reveal())),
        ]
        for rendering in renderings {
            #expect(!rendering.contains(secret), "leaked in: \(rendering)")
        }
        #expect(key.description == "abcdEFGH.<redacted>")
    }

    @Test("a scheme's new key carries the plaintext, its prefix and its hash")
    func newKey() {
        let newKey = KeyScheme().makeKey()
        #expect(newKey.prefix == newKey.plaintext.prefix)
        #expect(newKey.hashedKey == SHA512KeyHasher().hash(newKey.plaintext.reveal()))
        #expect(!newKey.hashedKey.contains(newKey.plaintext.reveal()))
    }
}
