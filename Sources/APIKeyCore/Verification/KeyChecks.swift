/// The checks every presented key goes through, in order, whether the store answered at once (a
/// cache hit) or after a lookup: one implementation, which ``APIKeyVerifier`` runs both ways.
///
/// 1. A row has the key's prefix, and could be read.
/// 2. It is not revoked, not suspended, and its model's rule lets it be used.
/// 3. The secret matches its hash (one SHA-512 and a constant-time comparison; a legacy hash
///    takes the slow path, off this thread).
/// 4. It has not expired, the client's address is on its allowlist (else 403), and every app
///    rule (``APIKeyRule``) lets it through.
///
/// A well-formed key refused before step 3 is hashed all the same, so that every refusal of a
/// well-formed key costs one lookup and one hash, like a wrong secret.
///
/// A class, not a struct: a verifier is copied on every request, and copying one reference is one
/// retain where the scheme's and the rules' existentials were one each.
@usableFromInline
package final class KeyChecks: Sendable {
    @usableFromInline package let scheme: KeyScheme
    @usableFromInline package let rules: [any APIKeyRule]

    package init(scheme: KeyScheme, rules: [any APIKeyRule]) {
        self.scheme = scheme
        self.rules = rules
    }

    /// What the checks decided, or that the secret needs the slow check of a legacy hash.
    @usableFromInline
    package enum Step<Record: APIKeyRecord> {
        case decided(APIKeyOutcome<Record>)
        case needsLegacyCheck(Record)
    }

    /// Steps 1 to 4 for `key`, given what the store found for its prefix.
    @inlinable
    package func decide<Record: APIKeyRecord>(_ key: String, found: Record?, facts: APIKeyRequestFacts) -> Step<Record> {
        guard let record = found else { return .decided(refused(.unknownPrefix, key)) }
        guard record.isReadable else { return .decided(refused(.unreadableRecord, key)) }
        guard !record.isRevoked else { return .decided(refused(.revoked, key)) }
        guard !record.isSuspended else { return .decided(refused(.suspended, key)) }
        guard record.isUsable else { return .decided(refused(.unusable, key)) }
        guard scheme.hasher.isPreferred(record.hashedKey) else { return .needsLegacyCheck(record) }
        guard scheme.hasher.verify(key, against: record.hashedKey) else { return .decided(.refused(.mismatch)) }
        return .decided(afterSecret(record, facts: facts))
    }

    /// Step 4, once the secret matched.
    @inlinable
    package func afterSecret<Record: APIKeyRecord>(_ record: Record, facts: APIKeyRequestFacts) -> APIKeyOutcome<Record> {
        if record.hasExpired(at: facts.now) { return .refused(.expired) }
        if !record.allowlist.allows(facts.clientAddress) { return .refused(.addressNotAllowed) }
        for rule in rules {
            if let denial = rule.check(record, facts) { return .refused(denial) }
        }
        return .granted(record)
    }

    /// A refusal decided before any hash, after hashing `key` anyway: then an unknown prefix or a
    /// revoked key costs the same work as a wrong secret, and timing does not tell them apart.
    @usableFromInline
    func refused<Record>(_ denial: APIKeyDenial, _ key: String) -> APIKeyOutcome<Record> {
        _ = scheme.hasher.hash(key)
        return .refused(denial)
    }
}
