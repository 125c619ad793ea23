// Shared by both examples: the scopes they declare, the proxies they trust
// (API_KEY_TRUSTED_PROXIES), how often usage is written (API_KEY_USAGE_FLUSH_INTERVAL) and the
// keys' default rate limit (API_KEY_RATE_LIMIT).
package import APIKeyFluent
import Foundation

/// What the examples' keys may be allowed to do.
package enum ReportScope: String, APIKeyScope {
    /// `GET /api/reports`.
    case read = "reports:read"
    /// `POST /api/reports`.
    case write = "reports:write"
    /// The management API (`/api/v1/keys`): the keys of the key's own model and organization.
    case manageKeys = "keys:manage"
}

/// The examples' key settings beyond the cache: the declared scopes, the trusted proxies
/// `API_KEY_TRUSTED_PROXIES` lists (comma-separated addresses or ranges; none if unset), and
/// `API_KEY_USAGE_FLUSH_INTERVAL`, how many seconds between two usage writes (60 if unset), and
/// `API_KEY_RATE_LIMIT`, the rate limit of keys without one of their own (`100/min`; none if unset),
/// counted across instances on PostgreSQL and in this process on SQLite; `API_KEY_DEFAULT_LIFETIME`
/// and `API_KEY_MAX_LIFETIME` (`90d`), how long keys live when created without an expiry, and at
/// most; `API_KEY_TAG` (`acme_live`), when set, the tag of new keys, which scanners recognise
/// (keys made before stay valid).
package func exampleKeySettings() throws -> APIKeySettings {
    var settings = APIKeySettings()
    settings.scopes = DeclaredScopes(ReportScope.self)
    // Every change to a key, from the service, its admin panel or its commands, in api_key_events.
    settings.recordsEvents = true
    settings.metricsFactory = ExampleMetrics.factory
    let proxies = ProcessInfo.processInfo.environment["API_KEY_TRUSTED_PROXIES"] ?? ""
    do {
        settings.trustedProxies = try TrustedProxies(commaSeparated: proxies)
    } catch {
        throw ConfigurationError("API_KEY_TRUSTED_PROXIES must list addresses or CIDR ranges separated by commas, such as 10.0.0.0/8,192.168.1.1: \(error)")
    }
    let interval = ProcessInfo.processInfo.environment["API_KEY_USAGE_FLUSH_INTERVAL"] ?? ""
    if !interval.isEmpty {
        guard let seconds = Double(interval), seconds.isFinite, seconds > 0, seconds <= 86_400,
              let policy = try? APIKeyUsagePolicy(flushInterval: .milliseconds(Int64(seconds * 1000)))
        else {
            throw ConfigurationError("API_KEY_USAGE_FLUSH_INTERVAL must be a number of seconds above 0 and at most 86400, such as 60 or 0.5, got \(interval.prefix(40))")
        }
        settings.usage = policy
    }
    let rateLimit = ProcessInfo.processInfo.environment["API_KEY_RATE_LIMIT"] ?? ""
    if !rateLimit.isEmpty, rateLimit.lowercased() != "none" {
        do {
            settings.defaultRateLimit = try RateLimit(parsing: rateLimit)
        } catch {
            throw ConfigurationError("API_KEY_RATE_LIMIT: \(error)")
        }
    }
    // API_KEY_DEFAULT_LIFETIME and API_KEY_MAX_LIFETIME: 90d, 12h, …
    var lengths: [Duration?] = []
    for name in ["API_KEY_DEFAULT_LIFETIME", "API_KEY_MAX_LIFETIME"] {
        let text = ProcessInfo.processInfo.environment[name] ?? ""
        do {
            lengths.append(text.isEmpty ? nil : try DurationInput.parse(text))
        } catch {
            throw ConfigurationError("\(name) must be a length of time, such as 90d, 12h or 30m, got \(text.prefix(40))")
        }
    }
    do {
        settings.lifetime = try APIKeyLifetimePolicy(default: lengths[0], maximum: lengths[1])
    } catch {
        throw ConfigurationError("API_KEY_DEFAULT_LIFETIME and API_KEY_MAX_LIFETIME: \(error)")
    }
    let tag = ProcessInfo.processInfo.environment["API_KEY_TAG"] ?? ""
    if !tag.isEmpty {
        guard try KeySchema.current() == .standard else {
            throw ConfigurationError(
                "API_KEY_TAG cannot be used with API_KEY_SCHEMA=drf: djangorestframework-api-key verifies only its own format "
                    + "(prefix.secret), so Django could not check tagged keys. Unset one of the two")
        }
        do {
            // Keys made before the tag was set keep working.
            settings.scheme.generator = try TaggedKeyGenerator(tag: tag, alsoAccepting: AlphanumericKeyGenerator())
        } catch {
            throw ConfigurationError("API_KEY_TAG: \(error)")
        }
    }
    if let hasher = try examplePepperedHasher() { settings.scheme.hasher = hasher }
    // Several instances share one PostgreSQL database, and their keys' limits with it; a SQLite
    // file serves one instance, which counts alone, exactly.
    if case .postgres = try ExampleDatabaseURL.location() {
        settings.rateLimitSharing = .acrossInstances()
    }
    return settings
}

/// `API_KEY_PEPPER` (`ID:SECRET`, the secret at least 32 bytes): keys are hashed with
/// HMAC-SHA-256 under it; `API_KEY_PREVIOUS_PEPPERS` (`ID:SECRET,ID:SECRET`) still verify, and
/// their hashes (and plain SHA-512 ones) are rewritten under the current pepper on use. Refused
/// with `API_KEY_SCHEMA=drf`: Django must keep reading its table.
func examplePepperedHasher() throws -> PepperedKeyHasher? {
    let environment = ProcessInfo.processInfo.environment
    let current = environment["API_KEY_PEPPER"] ?? "", previous = environment["API_KEY_PREVIOUS_PEPPERS"] ?? ""
    guard !current.isEmpty else {
        guard previous.isEmpty else { throw ConfigurationError("API_KEY_PREVIOUS_PEPPERS needs API_KEY_PEPPER: set the current pepper too") }
        return nil
    }
    guard try KeySchema.current() == .standard else {
        throw ConfigurationError(
            "API_KEY_PEPPER cannot be used with API_KEY_SCHEMA=drf: djangorestframework-api-key knows no pepper, so Django could not check "
                + "the keys. Unset one of the two")
    }
    func pepper(_ text: Substring, _ name: String) throws -> KeyPepper {
        guard let colon = text.firstIndex(of: ":") else {
            throw ConfigurationError("\(name) must be ID:SECRET, such as 2026a:<at least 32 random bytes, e.g. openssl rand -base64 32>")
        }
        do {
            return try KeyPepper(id: String(text[..<colon]), secret: Array(text[text.index(after: colon)...].utf8))
        } catch {
            throw ConfigurationError("\(name): \(error)")
        }
    }
    let peppers = try previous.split(separator: ",").map { try pepper($0, "API_KEY_PREVIOUS_PEPPERS") }
    return PepperedKeyHasher(current: try pepper(current[...], "API_KEY_PEPPER"), previous: peppers)
}

/// `POST /api/leaked-keys`: reports from anyone (a token is revoked only if it is a valid key),
/// or, with `API_KEY_GITHUB_KEYS_FILE` naming a copy of
/// `https://api.github.com/meta/public_keys/secret_scanning`, from GitHub alone.
package func exampleLeakReporting() throws -> LeakReporting {
    let path = ProcessInfo.processInfo.environment["API_KEY_GITHUB_KEYS_FILE"] ?? ""
    guard !path.isEmpty else { return LeakReporting() }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ConfigurationError("API_KEY_GITHUB_KEYS_FILE names no file that can be read: \(path.prefix(200))")
    }
    do {
        return LeakReporting(githubKeys: try GitHubSigningKeys(githubMeta: Array(data)))
    } catch {
        throw ConfigurationError("API_KEY_GITHUB_KEYS_FILE: \(error)")
    }
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
