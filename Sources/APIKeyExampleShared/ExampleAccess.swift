// Shared by both examples: the scopes they declare, and the proxies they trust
// (API_KEY_TRUSTED_PROXIES).
package import APIKeyFluent
import Foundation

/// What the examples' keys may be allowed to do.
package enum ReportScope: String, APIKeyScope {
    /// `GET /api/reports`.
    case read = "reports:read"
    /// `POST /api/reports`.
    case write = "reports:write"
}

/// The examples' key settings beyond the cache: the declared scopes, and the trusted proxies
/// `API_KEY_TRUSTED_PROXIES` lists (comma-separated addresses or ranges; none if unset).
package func exampleKeySettings() throws -> APIKeySettings {
    var settings = APIKeySettings()
    settings.scopes = DeclaredScopes(ReportScope.self)
    let proxies = ProcessInfo.processInfo.environment["API_KEY_TRUSTED_PROXIES"] ?? ""
    do {
        settings.trustedProxies = try TrustedProxies(commaSeparated: proxies)
    } catch {
        throw ConfigurationError("API_KEY_TRUSTED_PROXIES must list addresses or CIDR ranges separated by commas, such as 10.0.0.0/8,192.168.1.1: \(error)")
    }
    return settings
}

/// What `GET /api/reports` answers.
package struct ReportList: Codable, Sendable {
    package let reports: [String]
    package init() { reports = ["Quarterly revenue", "Active partners"] }
}

/// What `POST /api/reports` answers (201).
package struct ReportCreated: Codable, Sendable {
    package let status: String
    package init() { status = "created" }
}
