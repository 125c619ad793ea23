import Foundation

/// Where a page of keys ends: an opaque token to clients (`next_cursor`), an offset here.
enum ListCursor {
    static func token(offset: Int) -> String {
        Data("o:\(offset)".utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    /// The offset a token stands for; `nil` for one this API did not give.
    static func offset(_ token: String) -> Int? {
        guard token.count <= 200 else { return nil }
        let padded = token + String(repeating: "=", count: (4 - token.count % 4) % 4)
        guard let data = Data(base64Encoded: padded), let text = String(data: data, encoding: .utf8), text.hasPrefix("o:"),
            let offset = Int(text.dropFirst(2)), offset >= 0, offset <= 10_000_000
        else { return nil }
        return offset
    }
}
