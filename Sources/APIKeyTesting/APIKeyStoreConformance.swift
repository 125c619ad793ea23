import APIKeyCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Testing

/// Checks that a store keeps every rule verification relies on, in the style of FluentBenchmark:
/// call ``run()`` from a Swift Testing test, with a fixture for your store, and each broken rule is
/// recorded as an issue naming it; ``violations()`` returns them instead, for XCTest or a script.
///
/// The rules: an unknown prefix finds nothing; a stored key comes back field for field (expiry to
/// the millisecond); lookups match the prefix exactly (case, length, SQL wildcards); a revoked key
/// is never found usable; a deleted key is gone; a hash is replaced only while it is still
/// current; and verification over the store grants, refuses and upgrades as it should.
///
/// ```swift
/// @Test func myStoreConforms() async throws {
///     try await APIKeyStoreConformance(PartnerKeysFixture(db: testDB)).run()
/// }
/// ```
public struct APIKeyStoreConformance<Fixture: APIKeyStoreFixture>: Sendable {
    /// The store's fixture.
    public let fixture: Fixture
    private let scheme = KeyScheme()

    /// A suite for the store of `fixture`.
    public init(_ fixture: Fixture) {
        self.fixture = fixture
    }

    /// Every check, in turn; each broken rule is recorded as a Swift Testing issue.
    ///
    /// - Throws: what the fixture or the store throws.
    public func run() async throws {
        for violation in try await violations() { Issue.record(Comment(rawValue: violation)) }
    }

    /// Every check, in turn: the rules the store breaks, in words, or none.
    ///
    /// ```swift
    /// XCTAssertEqual(try await APIKeyStoreConformance(fixture).violations(), [])
    /// ```
    /// - Throws: what the fixture or the store throws.
    public func violations() async throws -> [String] {
        var found = Violations()
        try await unknownPrefix(&found)
        try await roundTrip(&found)
        try await exactPrefix(&found)
        try await revocation(&found)
        try await deletion(&found)
        try await hashReplacement(&found)
        try await verification(&found)
        try await legacyUpgrade(&found)
        return found.all
    }

    /// What the checks found, in the order they ran.
    struct Violations {
        var all: [String] = []
        mutating func expect(_ rule: Bool, _ violation: String) {
            if !rule { all.append(violation) }
        }
    }

    /// An unknown prefix finds nothing.
    func unknownPrefix(_ found: inout Violations) async throws {
        let absent = scheme.makeKey().prefix
        found.expect(try await fixture.store.record(forPrefix: absent) == nil, "an unknown prefix found a record")
    }

    /// A stored key comes back field for field.
    func roundTrip(_ found: inout Violations) async throws {
        let newKey = scheme.makeKey()
        let expiry = Date(timeIntervalSince1970: 1_900_000_000.25)
        try await fixture.insert(APIKeyStoreFixtureKey(name: "round trip", prefix: newKey.prefix, hashedKey: newKey.hashedKey, expiresAt: expiry))
        let record = try await fixture.store.record(forPrefix: newKey.prefix)
        found.expect(record?.prefix == newKey.prefix, "the record's prefix differs")
        found.expect(record?.hashedKey == newKey.hashedKey, "the record's hash differs")
        found.expect(record?.isRevoked == false, "a new key reads as revoked")
        found.expect(abs((record?.expiresAt ?? .distantPast).timeIntervalSince(expiry)) < 0.001, "the expiry did not survive the round trip")
        let forever = scheme.makeKey()
        try await fixture.insert(APIKeyStoreFixtureKey(name: "no expiry", prefix: forever.prefix, hashedKey: forever.hashedKey))
        let eternal = try await fixture.store.record(forPrefix: forever.prefix)
        found.expect(eternal != nil && eternal?.expiresAt == nil, "a key without expiry came back with one")
    }

    /// Only the exact prefix finds a key: not another case, a shorter or longer text, or an SQL
    /// wildcard.
    func exactPrefix(_ found: inout Violations) async throws {
        let prefix = "exAct9Pq"
        try? await fixture.delete(prefix: prefix)
        try await fixture.insert(APIKeyStoreFixtureKey(name: "exact", prefix: prefix, hashedKey: scheme.hasher.hash(prefix + ".x")))
        found.expect(try await fixture.store.record(forPrefix: prefix) != nil, "the exact prefix found nothing")
        for near in ["EXACT9PQ", "exact9pq", "exAct9P", "exAct9Pq ", " exAct9Pq", "exAct9P_", "exAct%", "%", "exAct9Pqq"] {
            found.expect(try await fixture.store.record(forPrefix: near) == nil, "\"\(near)\" found the key of \"\(prefix)\"")
        }
    }

    /// A revoked key is never found usable.
    func revocation(_ found: inout Violations) async throws {
        let newKey = scheme.makeKey()
        try await fixture.insert(APIKeyStoreFixtureKey(name: "to revoke", prefix: newKey.prefix, hashedKey: newKey.hashedKey))
        try await fixture.revoke(prefix: newKey.prefix)
        let record = try await fixture.store.record(forPrefix: newKey.prefix)
        found.expect(record == nil || record?.isRevoked == true, "a revoked key was found usable")
    }

    /// A deleted key is gone.
    func deletion(_ found: inout Violations) async throws {
        let newKey = scheme.makeKey()
        try await fixture.insert(APIKeyStoreFixtureKey(name: "to delete", prefix: newKey.prefix, hashedKey: newKey.hashedKey))
        _ = try await fixture.store.record(forPrefix: newKey.prefix)
        try await fixture.delete(prefix: newKey.prefix)
        found.expect(try await fixture.store.record(forPrefix: newKey.prefix) == nil, "a deleted key was still found")
    }

    /// A hash is replaced while it is current, and a stale replacement changes nothing.
    func hashReplacement(_ found: inout Violations) async throws {
        let newKey = scheme.makeKey()
        try await fixture.insert(APIKeyStoreFixtureKey(name: "rehash", prefix: newKey.prefix, hashedKey: newKey.hashedKey))
        guard let record = try await fixture.store.record(forPrefix: newKey.prefix) else {
            return found.expect(false, "a stored key was not found")
        }
        let replacement = scheme.hasher.hash(newKey.prefix + ".replacement")
        try await fixture.store.replaceHash(of: record, with: replacement)
        found.expect(try await fixture.storedHash(prefix: newKey.prefix) == replacement, "the current hash was not replaced")
        try await fixture.store.replaceHash(of: record, with: scheme.hasher.hash(newKey.prefix + ".stale"))
        found.expect(try await fixture.storedHash(prefix: newKey.prefix) == replacement, "a stale replacement overwrote the hash")
    }

    /// Verification over the store grants a valid key and refuses every other, for its reason.
    func verification(_ found: inout Violations) async throws {
        let moment = Date(timeIntervalSince1970: 1_800_000_000)
        let valid = scheme.makeKey(), revoked = scheme.makeKey(), expiring = scheme.makeKey()
        try await fixture.insert(APIKeyStoreFixtureKey(name: "valid", prefix: valid.prefix, hashedKey: valid.hashedKey))
        try await fixture.insert(APIKeyStoreFixtureKey(name: "revoked", prefix: revoked.prefix, hashedKey: revoked.hashedKey, isRevoked: true))
        try await fixture.insert(APIKeyStoreFixtureKey(name: "expiring", prefix: expiring.prefix, hashedKey: expiring.hashedKey, expiresAt: moment))
        let verifier = APIKeyVerifier(store: fixture.store, scheme: scheme)
        let before = APIKeyRequestFacts(now: moment), after = APIKeyRequestFacts(now: moment.addingTimeInterval(1))
        let wrongSecret = valid.prefix + "." + String(repeating: "x", count: 32)
        found.expect(await verifier.verify(presentedKey: valid.plaintext.reveal(), facts: before).identity?.prefix == valid.prefix, "a valid key was refused")
        found.expect(await verifier.verify(presentedKey: wrongSecret, facts: before).denial == .mismatch, "a wrong secret was not refused as a mismatch")
        found.expect(await verifier.verify(presentedKey: revoked.plaintext.reveal(), facts: before).identity == nil, "a revoked key was granted")
        found.expect(
            await verifier.verify(presentedKey: expiring.plaintext.reveal(), facts: before).identity != nil, "a key was refused at the very instant it expires")
        found.expect(
            await verifier.verify(presentedKey: expiring.plaintext.reveal(), facts: after).denial == .expired, "an expired key was not refused as expired")
        let unknown = scheme.makeKey().plaintext.reveal()
        found.expect(await verifier.verify(presentedKey: unknown, facts: before).denial == .unknownPrefix, "an unknown prefix was not refused as unknown")
    }

    /// A legacy hash (djangorestframework-api-key 1.x/2.x) verifies and is rewritten to SHA-512.
    func legacyUpgrade(_ found: inout Violations) async throws {
        let key = "abcdEFGH.0123456789abcdefghijABCDEFGHIJkl"
        let legacy = "pbkdf2_sha256$36000$dfPh6LIy7NB3$foLulcHmohM9EGRzWnGfzqP94/inFc5Tf+gH9HY9N4E="
        try? await fixture.delete(prefix: "abcdEFGH")
        try await fixture.insert(APIKeyStoreFixtureKey(name: "legacy", prefix: "abcdEFGH", hashedKey: legacy))
        let verifier = APIKeyVerifier(store: fixture.store, scheme: scheme)
        found.expect(
            await verifier.verify(presentedKey: "abcdEFGH." + String(repeating: "x", count: 32)).denial == .mismatch,
            "a wrong key was not refused as a mismatch by a legacy hash")
        found.expect(try await fixture.storedHash(prefix: "abcdEFGH") == legacy, "a wrong key changed a legacy hash")
        found.expect(await verifier.verify(presentedKey: key).identity != nil, "a legacy hash did not verify")
        found.expect(try await fixture.storedHash(prefix: "abcdEFGH") == scheme.hasher.hash(key), "a verified legacy hash was not upgraded")
    }
}
