import APIKeyCore
package import FluentKit
import Logging

extension APIKeyService {
    /// Publishes that `kind` happened to the keys with `prefixes`, to the app's
    /// ``APIKeyEvents`` and, when `APIKeySettings.recordsEvents` is on, to `api_key_events` on
    /// `database`. The change is made already: a failed write is logged, never thrown.
    package func publish(
        _ kind: APIKeyEventKind, prefixes: [String], name: String? = nil, detail: String? = nil, source: String? = nil,
        on database: any Database
    ) async {
        guard !prefixes.isEmpty else { return }
        let now = settings.clock.now()
        let published = prefixes.map {
            APIKeyEvent(kind: kind, keyTable: keyTable, prefix: $0, name: name, at: now, detail: detail, source: source)
        }
        for event in published { events.publish(event) }
        guard settings.recordsEvents else { return }
        do {
            try await EventTable.insert(published, on: database)
        } catch {
            Logger(label: "api-keys.events").error(
                "API key event could not be recorded in api_key_events: the change itself was made",
                metadata: [APIKeyLog.prefixKey: .string(prefixes.joined(separator: ",")), "event": .string(kind.code), "error": "\(String(reflecting: error))"])
        }
    }
}
