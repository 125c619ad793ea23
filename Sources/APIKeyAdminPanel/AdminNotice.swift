/// Notices come as fixed codes in the query string, never as text to reflect.
enum AdminNotice {
    static func message(_ code: String) -> String? {
        switch code {
        case "saved": return "Saved."
        case "revoked": return "The API key was revoked."
        case "frozen": return "A revoked API key cannot be changed."
        case "deleted": return "The API key was deleted."
        case "none-selected": return "No API keys were selected, so none was revoked. Tick the keys to revoke first."
        case "none-selected-suspend": return "No API keys were selected, so none was suspended. Tick the keys to suspend first."
        case "none-selected-resume": return "No API keys were selected, so none was resumed. Tick the keys to resume first."
        case "suspended": return "The API key was suspended: clients using it are refused until it is resumed."
        case "resumed": return "The API key was resumed: clients can use it again."
        case "rotated": return "The API key was rotated: this new key replaces it. The old key works until the end of its grace period."
        default:
            for (prefix, verb) in [("revoked-", "Revoked"), ("suspended-", "Suspended"), ("resumed-", "Resumed")] {
                guard code.hasPrefix(prefix), let count = Int(code.dropFirst(prefix.count)), count >= 0 else { continue }
                return count == 1 ? "\(verb) 1 API key." : "\(verb) \(count) API keys."
            }
            return nil
        }
    }
}
