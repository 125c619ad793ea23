package import APIKeyCore

/// What `api-keys scanner-rules` prints: a gitleaks configuration with one rule for an app's
/// tagged keys, and the same pattern as a plain regular expression, so that a team can add its
/// keys to its secret scanning (gitleaks, GitHub's custom patterns, a `grep -E` in CI).
///
/// ```swift
/// print(ScannerRules(try TaggedKeyGenerator(tag: "acme_live")).gitleaksConfiguration)
/// ```
package struct ScannerRules: Sendable {
    /// The format the rules describe.
    package let generator: TaggedKeyGenerator

    package init(_ generator: TaggedKeyGenerator) { self.generator = generator }

    /// gitleaks' rule id: the tag in kebab case, `acme-live-api-key`.
    package var ruleID: String { generator.tag.replacingUnderscores + "-api-key" }

    /// A whole gitleaks configuration (TOML; its regular expression in RE2 syntax, as gitleaks
    /// reads it): gitleaks' own rules, and one for these keys, found by its keyword first.
    package var gitleaksConfiguration: String {
        let pattern = generator.scannerPattern
        // The capture group is the key alone; \b stays outside it.
        let captured = #"\b("# + pattern.dropFirst(2).dropLast(2) + #")\b"#
        return """
            # Secret scanning for API keys tagged \(generator.tag), made by `api-keys scanner-rules`.
            # Use it as .gitleaks.toml (gitleaks' own rules stay on), or copy the [[rules]] table into yours.
            # The same pattern as a plain regular expression (RE2, PCRE, grep -E, Python):
            #   \(pattern)
            # A key's last \(KeyChecksum.length) characters are the CRC-32 of the rest in base62 (0-9A-Za-z):
            # a match whose checksum fails is not one of our keys.

            [extend]
            useDefault = true

            [[rules]]
            id = "\(ruleID)"
            description = "API key tagged \(generator.tag)"
            regex = '''\(captured)'''
            secretGroup = 1
            keywords = ["\(generator.tag)_"]
            """
    }
}

extension String {
    fileprivate var replacingUnderscores: String { String(map { $0 == "_" ? "-" : $0 }) }
}
