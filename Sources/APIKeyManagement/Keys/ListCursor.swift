import Foundation

/// Where a page of keys ends, as an opaque token to clients (`next_cursor`): the offset of the
/// next page, and when the listing's first page was read. Later pages list only the keys made by
/// then, so that keys made meanwhile do not push the pages along (a key deleted meanwhile still
/// moves the later ones up by one).
struct ListCursor: Equatable {
    let offset: Int
    let snapshot: Date

    var token: String {
        Data("o:\(offset):\(snapshot.timeIntervalSince1970)".utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    init(offset: Int, snapshot: Date) {
        self.offset = offset
        self.snapshot = snapshot
    }

    /// The cursor a token stands for; `nil` for one this API did not give.
    init?(token: String) {
        guard token.count <= 200 else { return nil }
        let base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let padded = base64 + String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: padded), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "o", let offset = Int(parts[1]), (0...10_000_000).contains(offset),
            let seconds = Double(parts[2]), seconds.isFinite, (0...253_402_300_799).contains(seconds)
        else { return nil }
        self.init(offset: offset, snapshot: Date(timeIntervalSince1970: seconds))
    }
}
