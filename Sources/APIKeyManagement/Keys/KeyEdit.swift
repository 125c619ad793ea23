import APIKeyCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The fields of a new key, as a request gives them.
package struct NewKeyFields: Sendable {
    var name: String
    var expiresAt: Date?
    var scopes: [String]
    var allowedIPs: [String]
    var metadata: APIKeyMetadata?
    var rateLimit: RateLimit?
}

/// A change to a key: each field `nil` when it stays as it is. `.some(nil)` removes an
/// expiry, a rate limit or the metadata.
package struct KeyEdit: Sendable {
    var name: String?
    var expiresAt: Date??
    var scopes: [String]?
    var allowedIPs: [String]?
    var metadata: APIKeyMetadata??
    var rateLimit: RateLimit??
}
