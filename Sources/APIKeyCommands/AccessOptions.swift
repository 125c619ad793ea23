import APIKeyCore
import Foundation
import APIKeyFluent
package import ArgumentParser

/// `--scope`, `--allow-ip`, `--metadata` and `--rate-limit`: what a key may do, as typed on the
/// command line.
package struct AccessOptions: ParsableArguments, Sendable {
    /// Scope names, as declared by the app.
    @Option(name: .customLong("scope"), help: "A scope the key holds, as the app declares it (repeat for several).")
    package var scopes: [String] = []
    /// Addresses and ranges.
    @Option(name: .customLong("allow-ip"), help: "An address or CIDR range the key may be used from (repeat for several); anywhere if none.")
    package var allowedIPs: [String] = []
    /// A JSON object.
    @Option(help: #"A JSON object of at most 4 KiB kept with the key, e.g. '{"customer":"cus_123"}'."#)
    package var metadata: String?
    /// A rate limit, or `none`.
    @Option(help: "The key's own rate limit: 100/min, 10/s, 5000/hour, optionally '100/min burst 20'; none for the app's default.")
    package var rateLimit: String?

    package init() {}

    /// Whether any option was given.
    var isEmpty: Bool { scopes.isEmpty && allowedIPs.isEmpty && metadata == nil && rateLimit == nil }

    /// Whether anything but the rate limit was given.
    var hasAccessFields: Bool { !scopes.isEmpty || !allowedIPs.isEmpty || metadata != nil }

    /// The rate limit, parsed: `.some(nil)` for `none`, `nil` when not given.
    ///
    /// - Throws: `APIKeyManagerError` with the field's message.
    func parsedRateLimit() throws -> RateLimit?? {
        guard let rateLimit else { return nil }
        if rateLimit.trimmingCharacters(in: .whitespaces).lowercased() == "none" { return .some(nil) }
        do {
            return .some(try RateLimit(parsing: rateLimit))
        } catch {
            throw APIKeyManagerError.invalidField(error)
        }
    }

    /// The metadata, parsed; `nil` when not given.
    ///
    /// - Throws: `APIKeyManagerError` with the field's message.
    func parsedMetadata() throws -> APIKeyMetadata? {
        guard let metadata else { return nil }
        do {
            return try APIKeyMetadata(json: metadata)
        } catch {
            throw APIKeyManagerError.invalidField(error)
        }
    }
}

/// `update`'s `--clear-scopes`, `--clear-allowed-ips` and `--clear-metadata`.
package struct ClearOptions: ParsableArguments, Sendable {
    /// Drop every scope.
    @Flag(help: "Take every scope away from the key.") package var clearScopes = false
    /// Allow any address.
    @Flag(name: .customLong("clear-allowed-ips"), help: "Let the key be used from any address.") package var clearAllowedIPs = false
    /// Drop the metadata.
    @Flag(help: "Remove the key's metadata.") package var clearMetadata = false

    package init() {}

    /// Whether any flag was given.
    var isEmpty: Bool { !clearScopes && !clearAllowedIPs && !clearMetadata }
}
