import APIKeyCore
import APIKeyFluent
import Foundation

/// How the commands show keys, usage and events, and read dates and lengths, whether they work
/// on the database or through a service's management API: the same text either way.
enum CommandPrinting {
    /// Keys as a table, or as JSON (`APIKeySummary`: every field, `null` when empty).
    static func keys(_ rows: [APIKeySummary], json: Bool, to output: CommandOutput) throws {
        if json {
            output.standardOutput(try Self.json(rows))
            return
        }
        let header = ["PREFIX", "NAME", "CREATED", "EXPIRES", "LAST USED", "STATUS", "SCOPES"]
        let table = [header] + rows.map {
            [$0.prefix, $0.name, DateInput.display($0.createdAt), DateInput.display($0.expiresAt), $0.lastUsedAt.map(DateInput.display) ?? "never",
             $0.status, $0.scopes.isEmpty ? "-" : $0.scopes.joined(separator: " ")]
        }
        for line in CommandTable.lines(table) { output.standardOutput(line) }
    }

    /// A key's last use and its days, as lines or JSON (`APIKeyUsage`).
    static func usage(_ usage: APIKeyUsage, json: Bool, to output: CommandOutput) throws {
        if json {
            output.standardOutput(try Self.json(usage))
            return
        }
        output.standardOutput("Last used: \(usage.lastUsedAt.map(DateInput.display) ?? "never")")
        let header = ["DAY", "GRANTED", "REFUSED", "RATE LIMITED"]
        let table = [header] + usage.days.map { [$0.day, String($0.granted), String($0.refusedTotal), String($0.rateLimited)] }
        for line in CommandTable.lines(table) { output.standardOutput(line) }
    }

    /// Events, newest first, as a table or JSON (`APIKeyEvent`).
    static func events(_ events: [APIKeyEvent], json: Bool, to output: CommandOutput) throws {
        if json {
            output.standardOutput(try Self.json(events))
            return
        }
        let header = ["AT (UTC)", "EVENT", "PREFIX", "NAME", "BY", "DETAIL"]
        let table = [header] + events.map { [DateInput.display($0.at), $0.kind.code, $0.prefix, $0.name ?? "", $0.source ?? "-", $0.detail ?? ""] }
        for line in CommandTable.lines(table) { output.standardOutput(line) }
    }

    /// What `update` prints: the key's prefix and what it holds now.
    static func updated(_ summary: APIKeySummary) -> String {
        "Updated \(summary.prefix): scopes \(summary.scopes.isEmpty ? "none" : summary.scopes.joined(separator: " ")), "
            + "allowed from \(summary.allowedIPs.isEmpty ? "anywhere" : summary.allowedIPs.joined(separator: ", ")), "
            + "metadata \(summary.metadata.json), rate limit \(summary.rateLimit ?? "the app's default")"
    }

    /// `--expires` as a date, or a message that says what is accepted.
    static func expiry(_ expires: String?) throws -> Date? {
        do {
            return try expires.map { text throws(DateInput.Invalid) -> Date in try DateInput.parse(text) }
        } catch {
            throw APIKeyCommandError(error.description)
        }
    }

    /// `--grace` as a length: `24h`, `7d`, or `0`.
    static func grace(_ grace: String) throws -> Duration {
        do {
            return grace.trimmingCharacters(in: .whitespaces) == "0" ? .zero : try DurationInput.parse(grace)
        } catch {
            throw APIKeyCommandError("--grace: \(error.description), or 0 for none")
        }
    }

    /// Pretty, sorted JSON with ISO 8601 dates.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
