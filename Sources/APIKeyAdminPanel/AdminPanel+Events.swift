import APIKeyCore
import APIKeyFluent
import Foundation
import LeafKit

extension AdminPanel {
    /// Whether the app records key events (`APIKeySettings.recordsEvents`): only then are there
    /// any to show.
    static func showsEvents(_ exchange: Exchange<Model>) -> Bool {
        exchange.manager.service.settings.recordsEvents
    }

    /// The latest events of every key of this model: the audit list.
    func eventsPage(_ exchange: Exchange<Model>) async throws -> AdminResponse {
        guard Self.showsEvents(exchange) else {
            return try await messagePage(exchange, status: 404, heading: "No events are recorded", "This app does not record its API keys' events.")
        }
        var context = baseContext(exchange, pageTitle: "Recent events")
        let events = try await exchange.manager.events(limit: 100)
        context["events"] = Self.eventRows(events, now: exchange.manager.now())
        context["hasAnyEvent"] = .bool(!events.isEmpty)
        return try await render("events", context, exchange)
    }

    /// The events of one key, for its page; none when the app records none or the table cannot
    /// be read (the page works without).
    static func eventsContext(of prefix: String, _ exchange: Exchange<Model>) async -> [String: LeafData] {
        guard showsEvents(exchange), let events = try? await exchange.manager.events(prefix: prefix, limit: 20) else { return ["hasEvents": .bool(false)] }
        return ["hasEvents": .bool(true), "hasAnyEvent": .bool(!events.isEmpty), "events": eventRows(events, now: exchange.manager.now())]
    }

    static func eventRows(_ events: [APIKeyEvent], now: Date) -> LeafData {
        .array(events.map { event in
            .dictionary([
                "kind": .string(event.kind.code.replacingOccurrences(of: "_", with: " ")), "prefix": .string(event.prefix),
                "name": .string(event.name ?? ""), "detail": .string(event.detail ?? ""), "source": .string(event.source ?? "—"),
                "atISO": .string(event.at.formatted(.iso8601)), "atExact": .string(DateInput.exact(event.at)),
                "atRelative": .string(DateInput.relative(event.at, now: now)),
            ])
        })
    }
}
