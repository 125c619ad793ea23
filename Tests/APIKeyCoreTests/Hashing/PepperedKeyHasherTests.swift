@_spi(Internals) @testable import APIKeyCore
import Testing

@Suite("An optional pepper: HMAC-SHA-256 under a server secret, named by an id, rotated on use")
struct PepperedKeyHasherTests {
    static let key = "abcdEFGH.0123456789abcdefghijABCDEFGHIJkl"
    let april = try! KeyPepper(id: "2026a", secret: Array("0123456789abcdef0123456789abcdef".utf8))
    let may = try! KeyPepper(id: "2026b", secret: Array("fedcba9876543210fedcba9876543210".utf8))

    @Test("the hash is hmac-sha256$<id>$<HMAC-SHA-256 in hex> (Python's hmac gives the same), and verifies in constant time")
    func knownAnswer() {
        let hasher = PepperedKeyHasher(current: april)
        let hash = hasher.hash(Self.key)
        #expect(hash == "hmac-sha256$2026a$a6ad745967afc8f05344baf44748bf100ec31f5b74dd6f97fd70ad2513a41461")
        #expect(hasher.isPreferred(hash) && hasher.verify(Self.key, against: hash))
        #expect(!hasher.verify(Self.key + "x", against: hash))
        #expect(!hasher.verify(Self.key, against: String(hash.dropLast()) + "0"))
    }

    @Test("without the secret, the database's hash cannot check a guess: the same id with another secret fails")
    func secretMatters() throws {
        let stolen = PepperedKeyHasher(current: april).hash(Self.key)
        let guesser = PepperedKeyHasher(current: try KeyPepper(id: "2026a", secret: Array(repeating: 7, count: 32)))
        #expect(!guesser.verify(Self.key, against: stolen))
        #expect(stolen != SHA512KeyHasher().hash(Self.key))
    }

    @Test("rotation: hashes under a previous pepper, or plain SHA-512, match and are to be rewritten; an unknown pepper does not match")
    func rotation() async throws {
        let rotated = KeyScheme(hasher: PepperedKeyHasher(current: may, previous: [april]))
        #expect(await rotated.check(Self.key, against: PepperedKeyHasher(current: april).hash(Self.key)) == .matchNeedsUpgrade)
        #expect(await rotated.check(Self.key, against: SHA512KeyHasher().hash(Self.key)) == .matchNeedsUpgrade)
        #expect(await rotated.check(Self.key, against: PepperedKeyHasher(current: may).hash(Self.key)) == .match)
        #expect(await rotated.check("wrong", against: PepperedKeyHasher(current: april).hash(Self.key)) == .mismatch)
        #expect(await rotated.check("wrong", against: SHA512KeyHasher().hash(Self.key)) == .mismatch)
        let unknown = PepperedKeyHasher(current: try KeyPepper(id: "2025z", secret: Array(repeating: 1, count: 32))).hash(Self.key)
        #expect(await rotated.check(Self.key, against: unknown) == .mismatch)
        #expect(await KeyScheme(hasher: PepperedKeyHasher(current: april)).check(Self.key, against: "md5$$x") != .match)
    }

    @Test("a pepper's id and secret are checked, and the message never shows the secret")
    func invalidPeppers() {
        for (id, secret) in [("", 32), ("has space", 32), (String(repeating: "a", count: 33), 32), ("ok", 31)] {
            #expect(throws: InvalidKeyPepper.self) { try KeyPepper(id: id, secret: Array(repeating: UInt8(ascii: "s"), count: secret)) }
        }
        let error = #expect(throws: InvalidKeyPepper.self) { try KeyPepper(id: "2026a", secret: Array("too-short-secret".utf8)) }
        #expect(error?.description.contains("at least 32 bytes") == true && error?.description.contains("too-short-secret") == false)
    }
}
