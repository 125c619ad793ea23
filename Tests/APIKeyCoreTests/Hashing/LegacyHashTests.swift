@_spi(Internals) @testable import APIKeyCore
import Testing

@Suite("Legacy hashes of djangorestframework-api-key 1.x/2.x")
struct LegacyHashTests {
    @Test("every legacy vector verifies with its key and not with key+'x' (hash-vectors §2)",
          arguments: Vectors.upstream.legacy)
    func upstreamLegacyVectors(vector: Vectors.Upstream.Legacy) throws {
        let legacy = try LegacyHash(parsing: vector.hashed_key)
        #expect(legacy.verify(vector.key) == vector.verify)
        #expect(legacy.verify(vector.key + "x") == vector.verify_wrong)
        #expect(SHA512KeyHasher().isPreferred(vector.hashed_key) == vector.using_preferred_hasher)
        #expect(SHA512KeyHasher().hash(vector.key) == vector.upgraded_hashed_key_after_successful_use)
    }

    @Test("the formats hash-vectors.md has no row for verify too (bcrypt, $2a$, argon2i, short salts)",
          arguments: Vectors.computed.django)
    func computedDjangoRows(vector: Vectors.Computed.Django) throws {
        let legacy = try LegacyHash(parsing: vector.hashed_key)
        #expect(legacy.verify(vector.key))
        #expect(!legacy.verify(vector.key + "x"))
        #expect(!legacy.verify(String(vector.key.dropLast())))
    }

    @Test("the algorithm is read from the stored string")
    func algorithms() throws {
        let names = try Vectors.upstream.legacy.map { try LegacyHash(parsing: $0.hashed_key).algorithm }
        #expect(names == [.pbkdf2SHA256, .pbkdf2SHA256, .pbkdf2SHA1, .scrypt, .argon2, .bcryptSHA256])
        #expect(try LegacyHash(parsing: SHA512KeyHasher().hash("k")).algorithm == .sha512)
        #expect(try !LegacyHash(parsing: SHA512KeyHasher().hash("k")).isSlow)
    }

    @Test(
        "strings that are not a supported format say so (hash-vectors §3, Django's unsalted and unusable forms)",
        arguments: [
            ("", "unusable"), ("!", "unusable"), ("!Yq3r0pQw", "unusable"),
            ("29d7398ab5defff108cc609ca5a957122f75a81c26776a1c50ddff5ef674f5370c0a7e24f38b73a39e41fd0b3c7b65a078848bae704c68befa6a21ea6ca9ac18", "unsalted"),
            ("sha256$$d4ba320c4db3c4b324c32062f164b7f74a83960d3b74799b5f7cb034dd22412a", "sha256"),
            ("md5$$0cc175b9c0f1b6a831c399e269772661", "md5"), ("unsalted_md5$$x", "unsalted_md5"),
            ("PBKDF2_SHA256$1$salt$aGFzaA==", "PBKDF2_SHA256"),
        ])
    func unsupported(stored: String, name: String) {
        #expect(throws: LegacyHashError.unsupportedAlgorithm(name)) { try LegacyHash(parsing: stored) }
    }

    @Test(
        "malformed stored hashes are refused at once, never crash",
        arguments: [
            "sha512$29d7398ab5defff108cc609ca5a957122f75a81c26776a1c50ddff5ef674f5370c0a7e24f38b73a39e41fd0b3c7b65a078848bae704c68befa6a21ea6ca9ac18",
            "sha512$$abc",
            "pbkdf2_sha256$", "pbkdf2_sha256$$$", "pbkdf2_sha256$36000$salt", "pbkdf2_sha256$36000$salt$hash$extra",
            "pbkdf2_sha256$-1$salt$foLulcHmohM9EGRzWnGfzqP94/inFc5Tf+gH9HY9N4E=",
            "pbkdf2_sha256$0$salt$foLulcHmohM9EGRzWnGfzqP94/inFc5Tf+gH9HY9N4E=",
            "pbkdf2_sha256$abc$salt$foLulcHmohM9EGRzWnGfzqP94/inFc5Tf+gH9HY9N4E=",
            "pbkdf2_sha256$99999999999999999999999$salt$foLulcHmohM9EGRzWnGfzqP94/inFc5Tf+gH9HY9N4E=",
            "pbkdf2_sha256$36000$$foLulcHmohM9EGRzWnGfzqP94/inFc5Tf+gH9HY9N4E=",
            "pbkdf2_sha256$36000$salt$not base64!", "pbkdf2_sha256$36000$salt$aGFzaA==",
            "pbkdf2_sha1$36000$salt$foLulcHmohM9EGRzWnGfzqP94/inFc5Tf+gH9HY9N4E=",
            "scrypt$16384$salt$8$1", "scrypt$16383$salt$8$1$aGFzaA==", "scrypt$0$salt$8$1$aGFzaA==",
            "scrypt$16384$salt$0$1$aGFzaA==", "scrypt$16384$salt$8$0$aGFzaA==", "scrypt$16384$salt$8$1$@@@",
            "argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdHNhbHQ", "argon2$argon2x$v=19$m=64,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
            "argon2$argon2id$v=20$m=64,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", "argon2$argon2id$v=19$m=64,t=2$c2FsdHNhbHQ$aGFzaGhhc2g",
            "argon2$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", "argon2$argon2id$v=19$m=64,t=2,p=0$c2FsdHNhbHQ$aGFzaGhhc2g",
            "argon2$argon2id$v=19$m=7,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", "argon2$argon2id$v=19$m=64,t=2,p=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
            "argon2$argon2id$v=19$m=64,t=2,p=1$c2FsdA$aGFzaGhhc2g", "argon2$argon2id$v=19$m=64,t=2,p=1$c2FsdHNhbHQ$aGE",
            "argon2$argon2id$v=19$m=-64,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
            "bcrypt_sha256$$2b$12$short", "bcrypt_sha256$$2y$12$mcxQmumRZDHOmGA9iIADLu79KkkTPMrKkR5pxbzzuD3WPnzyXPhoK",
            "bcrypt_sha256$$2b$1x$mcxQmumRZDHOmGA9iIADLu79KkkTPMrKkR5pxbzzuD3WPnzyXPhoK",
            "bcrypt_sha256$$2b$03$mcxQmumRZDHOmGA9iIADLu79KkkTPMrKkR5pxbzzuD3WPnzyXPhoK",
            "bcrypt_sha256$$2b$12$mcxQmumRZDHOmGA9iIADLu79KkkTPMrKkR5pxbzzuD3WPnzyXPho!",
            "bcrypt$2b$12$mcxQmumRZDHOmGA9iIADLu79KkkTPMrKkR5pxbzzuD3WPnzyXPhoK",
        ])
    func malformed(stored: String) {
        #expect(throws: LegacyHashError.malformed) { try LegacyHash(parsing: stored) }
    }

    @Test(
        "only the canonical encoding each hasher writes: no leading zeros or signs, no missing or extra padding, no stray trailing bits, no truncated digest",
        arguments: [
            // pbkdf2: Django writes str(iterations) and padded base64 of the whole digest.
            "pbkdf2_sha256$036000$dfPh6LIy7NB3$foLulcHmohM9EGRzWnGfzqP94/inFc5Tf+gH9HY9N4E=",
            "pbkdf2_sha256$+36000$dfPh6LIy7NB3$foLulcHmohM9EGRzWnGfzqP94/inFc5Tf+gH9HY9N4E=",
            "pbkdf2_sha256$36000$dfPh6LIy7NB3$foLulcHmohM9EGRzWnGfzqP94/inFc5Tf+gH9HY9N4E",
            "pbkdf2_sha256$36000$dfPh6LIy7NB3$foLulcHmohM9EGRzWnGfzqP94/inFc5Tf+gH9HY9N4F=",
            "pbkdf2_sha256$36000$dfPh6LIy7NB3$foLulcHmohM9EGRzWnGfzqP94/inFc5Tf+gH9HY9N4E==",
            // scrypt: 64 bytes, str() numbers, padded base64.
            "scrypt$16384$salt$8$1$aGFzaA==",
            "scrypt$016384$salt$8$1$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==", "scrypt$16384$salt$08$1$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==", "scrypt$16384$salt$8$+1$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==",
            "scrypt$16384$salt$8$1$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw",
            // argon2: m, t, p in that order, decimal as written, unpadded base64 with zero trailing bits.
            "argon2$argon2id$v=19$m=0256,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
            "argon2$argon2id$v=19$m=256,t=+2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
            "argon2$argon2id$v=19$t=2,m=256,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
            "argon2$argon2id$v=19$m=256,t=2,p=1$c2FsdHNhbHQ=$aGFzaGhhc2g",
            "argon2$argon2id$v=19$m=256,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g=",
            "argon2$argon2id$v=19$m=256,t=2,p=1$c2FsdHNhbHR$aGFzaGhhc2g",
            "argon2$argon2id$v=19$m=256,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2h",
            "argon2$argon2id$v=19$m=4294967296,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
        ])
    func nonCanonical(stored: String) {
        #expect(throws: LegacyHashError.malformed) { try LegacyHash(parsing: stored) }
    }

    @Test("the canonical forms of the same fields still parse")
    func canonical() throws {
        _ = try LegacyHash(parsing: "pbkdf2_sha256$36000$dfPh6LIy7NB3$foLulcHmohM9EGRzWnGfzqP94/inFc5Tf+gH9HY9N4E=")
        _ = try LegacyHash(parsing: "scrypt$16384$salt$8$1$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==")
        _ = try LegacyHash(parsing: "argon2$argon2id$v=19$m=256,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g")
    }

    @Test("an argon2 row with a huge pass count is refused, not multiplied into an overflow, even with raised limits")
    func argon2WorkOverflow() {
        var generous = LegacyHashLimits()
        generous.maximumMemoryBytes = Int.max / 2
        generous.maximumWorkBytes = Int.max
        #expect(throws: LegacyHashError.exceedsLimits) {
            try LegacyHash(parsing: "argon2$argon2id$v=19$m=4294967295,t=4294967295,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", limits: generous)
        }
    }

    @Test(
        "work factors beyond the limits are refused without being computed",
        arguments: [
            "pbkdf2_sha256$2000000000$salt$foLulcHmohM9EGRzWnGfzqP94/inFc5Tf+gH9HY9N4E=",
            "scrypt$1073741824$salt$8$1$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==", "scrypt$1048576$salt$16$1$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==", "scrypt$16384$salt$8$1024$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==",
            "argon2$argon2id$v=19$m=4294967295,t=2,p=8$c2FsdHNhbHQ$aGFzaGhhc2g",
            "argon2$argon2id$v=19$m=1048576,t=100,p=8$c2FsdHNhbHQ$aGFzaGhhc2g",
            "bcrypt_sha256$$2b$31$mcxQmumRZDHOmGA9iIADLu79KkkTPMrKkR5pxbzzuD3WPnzyXPhoK",
        ])
    func exceedsLimits(stored: String) {
        #expect(throws: LegacyHashError.exceedsLimits) { try LegacyHash(parsing: stored) }
    }

    @Test("the limits are adjustable, both ways")
    func adjustableLimits() throws {
        var strict = LegacyHashLimits()
        strict.maximumPBKDF2Iterations = 100_000
        #expect(throws: LegacyHashError.exceedsLimits) {
            try LegacyHash(parsing: Vectors.upstream.legacy[0].hashed_key, limits: strict)
        }
        var generous = LegacyHashLimits()
        generous.maximumBcryptCost = 31
        _ = try LegacyHash(parsing: "bcrypt_sha256$$2b$31$mcxQmumRZDHOmGA9iIADLu79KkkTPMrKkR5pxbzzuD3WPnzyXPhoK", limits: generous)
    }

    @Test("a key with a NUL byte never matches a bcrypt hash of its prefix")
    func bcryptNul() throws {
        let vector = Vectors.computed.django.first { $0.hasher.hasPrefix("bcrypt (") }!
        let legacy = try LegacyHash(parsing: vector.hashed_key)
        #expect(!legacy.verify(vector.key + "\u{0}tail"))
    }
}
