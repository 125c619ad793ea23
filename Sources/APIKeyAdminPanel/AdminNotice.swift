/// Notices come as fixed codes in the query string, never as text to reflect.
enum AdminNotice {
    static func message(_ code: String) -> String? {
        switch code {
        case "saved": return "Saved."
        case "revoked": return "The API key was revoked."
        case "frozen": return "A revoked API key cannot be changed."
        case "deleted": return "The API key was deleted."
        case "none-selected": return "No API keys were selected, so none was revoked. Tick the keys to revoke first."
        default:
            guard code.hasPrefix("revoked-"), let count = Int(code.dropFirst("revoked-".count)), count >= 0 else { return nil }
            return count == 1 ? "Revoked 1 API key." : "Revoked \(count) API keys."
        }
    }
}
