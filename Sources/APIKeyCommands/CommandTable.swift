/// The commands' tables: columns aligned with two spaces between them, no trailing spaces, the
/// first row the header.
///
/// ```swift
/// CommandTable.lines([["DAY", "GRANTED"], ["2026-12-04", "12"]])   // ["DAY         GRANTED", "2026-12-04  12"]
/// ```
enum CommandTable {
    static func lines(_ rows: [[String]]) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            let line = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
            return String(line.reversed().drop { $0 == " " }.reversed())
        }
    }
}
