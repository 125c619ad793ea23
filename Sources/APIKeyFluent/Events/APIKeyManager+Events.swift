public import APIKeyCore

extension APIKeyManager {
    /// The latest recorded events of this model's keys (one key's, given its prefix), newest
    /// first: what `APIKeySettings.recordsEvents` wrote to `api_key_events`, from every instance
    /// and command.
    ///
    /// ```swift
    /// for event in try await keys.events(prefix: "C7oAzBnJ") { print(event.at, event.kind, event.source ?? "-") }
    /// ```
    /// - Parameters:
    ///   - prefix: One key's prefix (a whole key is taken as its prefix), or `nil` for every key.
    ///   - limit: At most this many, 1 to 1,000.
    /// - Throws: the database's error, for one thing when ``CreateAPIKeyEvents`` has not run.
    public func events(prefix: String? = nil, limit: Int = 50) async throws -> [APIKeyEvent] {
        try await EventTable.latest(
            table: service.keyTable, prefix: prefix.map(SecretRedaction.prefix(ofInput:)), limit: min(max(limit, 1), 1000), on: database)
    }
}
