/// The outcome of verifying a presented key: the key's record, or why it was refused.
///
/// ```swift
/// switch try await verifier.verify(header.extract(from: request.headers[header.name])) {
/// case .valid(let record):
///     request.apiKey = record
/// case .denied(let reason):
///     logger.info("API key refused", metadata: ["reason": "\(reason)"])
///     throw Unauthorized()   // the same answer whatever the reason
/// }
/// ```
public enum APIKeyVerification<Record: Sendable>: Sendable {
    /// The key is known, matches, is not revoked and has not expired.
    case valid(Record)
    /// The key was refused, for this reason.
    case denied(APIKeyDenial)

    /// The record of a valid key.
    public var record: Record? {
        if case .valid(let record) = self { return record }
        return nil
    }

    /// Why the key was refused, if it was.
    public var denial: APIKeyDenial? {
        if case .denied(let reason) = self { return reason }
        return nil
    }

    /// The same outcome with the valid key's record transformed, e.g. to what a request may see.
    ///
    /// ```swift
    /// let outcome = try await verifier.verify(extraction).map(\.identity)
    /// ```
    public func map<Other: Sendable>(_ transform: (Record) throws -> Other) rethrows -> APIKeyVerification<Other> {
        switch self {
        case .valid(let record): .valid(try transform(record))
        case .denied(let reason): .denied(reason)
        }
    }
}

/// Why a key was refused.
///
/// The reason is for logs and metrics. What a client is told must not depend on it beyond
/// "no key" versus "bad key": telling ``unknownPrefix`` from ``mismatch`` would reveal which
/// prefixes exist.
public enum APIKeyDenial: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The request carried no key.
    case missing
    /// The request carried something that cannot be a key: wrong shape, length or encoding.
    case malformed
    /// No usable key has this prefix.
    case unknownPrefix = "unknown_prefix"
    /// The prefix is known but the key does not match its hash.
    case mismatch
    /// The key was revoked.
    case revoked
    /// The prefix exists, but the key's model does not let it be used (its `usableKeys` rule:
    /// say, its owner is inactive).
    case unusable
    /// The key matches but expired.
    case expired
    /// The stored hash is in a format that cannot be verified (or exceeds the work limits).
    case unverifiableHash = "unverifiable_hash"
    /// The key's row could not be read (a column holds a value of the wrong kind, such as a date
    /// that is not a date): it is refused until someone repairs the row.
    case unreadableRecord = "unreadable_record"

    /// The snake-case name, for logs and metric labels.
    public var description: String { rawValue }
}

/// The store could not answer, so nothing can be said about the key: refuse the request as
/// unavailable (503), never grant it.
public struct APIKeyStoreUnavailable: Error, Sendable {
    /// The store's own error.
    public let underlying: any Error

    /// Wraps a store's error.
    public init(_ underlying: any Error) { self.underlying = underlying }
}
