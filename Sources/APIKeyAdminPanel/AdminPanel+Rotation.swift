import APIKeyFluent
import Foundation
import LeafKit

extension AdminPanel {
    /// The grace periods the rotation form offers: what a person picks, not types.
    static var graceChoices: [(value: String, label: String, grace: Duration)] {
        [
            ("0", "none: the old key stops at once", .zero),
            ("1h", "1 hour", .seconds(3_600)),
            ("24h", "24 hours", .seconds(86_400)),
            ("7d", "7 days", .seconds(7 * 86_400)),
            ("30d", "30 days", .seconds(30 * 86_400)),
        ]
    }

    /// The question before rotating a key, with how long the old one keeps working.
    func rotateForm(_ exchange: Exchange<Model>, _ prefix: String) async throws -> AdminResponse {
        let key = try await find(exchange, prefix)
        var context = baseContext(exchange, pageTitle: "Rotate " + key.prefix)
        context["key"] = try await row(of: key, exchange)
        context["graces"] = .array(Self.graceChoices.map { option($0.value, $0.label, selected: $0.value == "24h") })
        return try await render("rotate", context, exchange)
    }

    /// Makes the new key and sends the browser to its page, which shows it once, as after
    /// creating one.
    func rotate(_ exchange: Exchange<Model>, _ prefix: String) async throws -> AdminResponse {
        let form = try exchange.checkedForm()
        let key = try await find(exchange, prefix)
        guard let grace = Self.graceChoices.first(where: { $0.value == form["grace"] })?.grace else {
            throw AdminInputError("Choose how long the old key keeps working from the list.")
        }
        let (record, newKey) = try await exchange.manager.rotate(prefix: key.prefix, grace: grace)
        let page = exchange.request.root + "/keys/" + record.prefix
        var response = AdminResponse.redirect(to: page + "?notice=rotated")
        response.cookies.append(NewKeyCookie(prefix: record.prefix, secure: exchange.request.isSecure).carrying(newKey, path: page))
        return response
    }
}
