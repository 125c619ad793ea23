import APIKeyFluent
import FluentKit
import Foundation
import LeafKit

extension AdminPanel {
    /// The list: newest first, a page at a time, searchable, filtered by status (and owner).
    func list(_ exchange: Exchange<Model>) async throws -> AdminResponse {
        let query = exchange.request.query
        let rawSearch = (query["q"] ?? "").trimmingCharacters(in: .whitespaces).prefix(100)
        // No name or prefix holds a control character (and PostgreSQL refuses a NUL byte).
        let searchIsValid = !rawSearch.unicodeScalars.contains { $0.properties.generalCategory == .control }
        let search = searchIsValid ? String(rawSearch) : ""
        let status = query["status"].flatMap(APIKeyQuery.Status.init(named:)) ?? .all
        let declaredScopes = exchange.manager.service.settings.scopes.names
        // Only a declared scope filters; anything else lists every key, as an unknown status does.
        let scope = query["scope"].flatMap { declaredScopes.contains($0) ? $0 : nil }
        let ownerFilter = query["owner"].flatMap { $0.isEmpty ? nil : $0 }
        let narrow: (QueryBuilder<Model>) -> QueryBuilder<Model> = { builder in
            guard let owner, let ownerFilter else { return builder }
            return owner.filter(builder, ownerFilter)
        }
        let requested = min(max(query["page"].flatMap { Int($0) } ?? 1, 1), 1_000_000)
        let keepsUsage = exchange.manager.service.settings.usage != nil
        // Only the offered choices count; anything else is the default, as an unknown status is.
        let idle = keepsUsage ? query["idle"].flatMap { Self.idleFilters[$0] != nil ? $0 : nil } : nil
        let order = query["sort"].flatMap(APIKeyQuery.Order.init(named:)).flatMap { keepsUsage || !Self.usageOrders.contains($0) ? $0 : nil }
            ?? .newestFirst
        var keys = APIKeyQuery(
            search: search, status: status, scope: scope,
            notUsedSince: idle.flatMap { Self.idleFilters[$0] }.map { exchange.manager.now().addingTimeInterval(-$0) },
            order: order, limit: pageSize, offset: (requested - 1) * pageSize)
        var found = try await exchange.manager.list(keys, narrowedBy: narrow)
        let pageCount = max(1, (found.total + pageSize - 1) / pageSize)
        // A page past the end shows the last one.
        let page = min(requested, pageCount)
        if page != requested {
            keys.offset = (page - 1) * pageSize
            found = try await exchange.manager.list(keys, narrowedBy: narrow)
        }
        let choices = try await owner?.choices(exchange.manager.database) ?? []

        let root = exchange.request.root
        func link(_ page: Int, order: APIKeyQuery.Order = order) -> String {
            var components = URLComponents()
            components.queryItems = [
                .init(name: "q", value: search), .init(name: "status", value: status.description), .init(name: "scope", value: scope ?? ""),
                .init(name: "owner", value: ownerFilter ?? ""), .init(name: "idle", value: idle ?? ""),
                .init(name: "sort", value: order.description), .init(name: "page", value: String(page)),
            ]
            return root + "/keys" + (components.string ?? "")
        }
        var context = baseContext(exchange, pageTitle: title)
        context["keys"] = .array(found.keys.map { row(found.summary(of: $0), of: $0, choices: choices, now: found.readAt) })
        context["empty"] = .bool(found.keys.isEmpty)
        context["q"] = .string(search)
        let statuses = APIKeyQuery.Status.allCases.filter { $0 != .suspended || hasAccess }
        context["statuses"] = .array(statuses.map { option($0.description, Self.label(of: $0), selected: $0 == status) })
        context["hasAccess"] = .bool(hasAccess)
        context["hasScopes"] = .bool(hasAccess && !declaredScopes.isEmpty)
        context["scopeFilters"] = .array(declaredScopes.map { option($0, $0, selected: $0 == scope) })
        context["owners"] = .array(choices.map { option($0.id, $0.label, selected: $0.id == ownerFilter) })
        context["hasUsage"] = .bool(keepsUsage)
        context["idleFilters"] = .array(
            [option("", "Any use", selected: idle == nil)] + Self.idleChoices.map { option($0.value, $0.label, selected: $0.value == idle) })
        context["sort"] = .string(order.description)
        // The column's link: most recently used first, then longest idle first, then back.
        context["lastUsedSortLink"] = .string(link(1, order: order == .recentlyUsed ? .longestIdle : .recentlyUsed))
        context["lastUsedSort"] = .string(order == .recentlyUsed ? "descending" : order == .longestIdle ? "ascending" : "none")
        context["lastUsedArrow"] = .string(order == .recentlyUsed ? " ↓" : order == .longestIdle ? " ↑" : "")
        context["page"] = .int(page)
        context["pageCount"] = .int(pageCount)
        context["total"] = .int(found.total)
        context["totalText"] = .string(found.total == 1 ? "1 key" : "\(found.total) keys")
        context["hasPrevious"] = .bool(page > 1)
        context["previousPage"] = .string(link(page - 1))
        context["hasNext"] = .bool(page < pageCount)
        context["nextPage"] = .string(link(page + 1))
        guard searchIsValid else {
            context["hasError"] = .bool(true)
            context["error"] = .string("The search cannot contain control characters (such as a NUL byte or a line break): enter part of a name or a prefix.")
            return try await render("list", context, exchange, status: 400)
        }
        if !found.unreadablePrefixes.isEmpty {
            context["hasError"] = .bool(true)
            context["error"] = .string(Self.unreadableMessage(found.unreadablePrefixes))
        }
        return try await render("list", context, exchange)
    }

    /// Revoking cannot be undone, so the list's "Revoke selected" first shows the keys it would
    /// revoke, as Django's admin does for its actions; the page's own form carries `confirm`.
    func revokeSelected(_ exchange: Exchange<Model>) async throws -> AdminResponse {
        let form = try exchange.checkedForm()
        let root = exchange.request.root
        let prefixes = Array(Set(form.values("prefixes"))).filter { $0.utf8.count <= 64 && APIKeyManager<Model>.isStorable($0) }.sorted()
        guard !prefixes.isEmpty else { return .redirect(to: root + "/keys?notice=none-selected") }
        guard form["confirm"] == "yes" else {
            let keys = try await Model.query(on: exchange.manager.database).filter(prefixes: prefixes)
                .filter(revoked: false).sort(Model.createdAtKey, .descending).all()
            guard !keys.isEmpty else { return .redirect(to: root + "/keys?notice=revoked-0") }
            let choices = try await owner?.choices(exchange.manager.database) ?? []
            var context = baseContext(exchange, pageTitle: "Revoke API keys")
            context["keys"] = .array(keys.map { row(APIKeySummary($0, at: exchange.manager.now()), of: $0, choices: choices, now: exchange.manager.now()) })
            let one = keys.count == 1
            context["heading"] = .string(one ? "Revoke 1 API key?" : "Revoke \(keys.count) API keys?")
            context["lead"] = .string(
                one ? "This key will be revoked. Clients using it will be refused. This cannot be undone."
                    : "These keys will be revoked. Clients using them will be refused. This cannot be undone.")
            context["confirm"] = .string(one ? "Yes, revoke it" : "Yes, revoke them")
            context["action"] = .string("revoke")
            context["danger"] = .bool(true)
            return try await render("bulkAction", context, exchange)
        }
        try await exchange.manager.revoke(prefixes: prefixes)
        return .redirect(to: root + "/keys?notice=revoked-\(prefixes.count)")
    }

    /// Why some keys are missing from a listing: their rows cannot be read.
    static func unreadableMessage(_ prefixes: [String]) -> String {
        let keys = prefixes.count == 1 ? "The row of the key \(prefixes[0]) cannot" : "The rows of the keys \(prefixes.joined(separator: ", ")) cannot"
        return keys + " be read: a column holds a value of the wrong kind, such as an expiry that is not a date. "
            + "Requests with such a key are refused. Repair the row in the database, or revoke the key with the command line."
    }

    /// The use filter's choices: idle for that long, never used included.
    static var idleChoices: [(value: String, label: String, seconds: Double)] {
        [
        ("7d", "Idle 7 days or never used", 7 * 86_400), ("30d", "Idle 30 days or never used", 30 * 86_400),
        ("90d", "Idle 90 days or never used", 90 * 86_400),
        ]
    }
    static var idleFilters: [String: Double] { Dictionary(uniqueKeysWithValues: idleChoices.map { ($0.value, $0.seconds) }) }
    /// The orders that read usage.
    static var usageOrders: Set<APIKeyQuery.Order> { [.recentlyUsed, .longestIdle] }

    /// The status filter's words.
    static func label(of status: APIKeyQuery.Status) -> String {
        switch status {
        case .active: "Active"
        case .expired: "Expired"
        case .revoked: "Revoked"
        case .suspended: "Suspended"
        default: "Every status"
        }
    }
}
