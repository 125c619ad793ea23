/// Fields of a query string or an `application/x-www-form-urlencoded` body: `+` is a space,
/// `%XX` a byte, and every value must be UTF-8.
package struct AdminForm: Sendable {
    private var fields: [(name: String, value: String)] = []

    /// No fields.
    package init() {}

    /// Parses a query string (without the `?`).
    ///
    /// - Throws: ``AdminInputError`` when it is not UTF-8 once decoded.
    package init(query: String) throws(AdminInputError) {
        try self.init(bytes: Array(query.utf8))
    }

    /// Parses a form body.
    ///
    /// - Throws: ``AdminInputError`` when it is not UTF-8 once decoded.
    package init(bytes: [UInt8]) throws(AdminInputError) {
        for pair in bytes.split(separator: UInt8(ascii: "&")) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            let value = parts.count > 1 ? try Self.decode(parts[1]) : ""
            fields.append((name, value))
        }
    }

    /// The first value of `name`.
    package subscript(name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// Every value of `name` (or `name[]`), in order.
    package func values(_ name: String) -> [String] {
        fields.filter { $0.name == name || $0.name == name + "[]" }.map(\.value)
    }

    private static func decode(_ bytes: ArraySlice<UInt8>) throws(AdminInputError) -> String {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                decoded.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.endIndex,
                let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) {
                decoded.append(high << 4 | low)
                index += 2
            } else {
                decoded.append(byte)
            }
            index += 1
        }
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw AdminInputError("The form must be sent as UTF-8.")
        }
        return text
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Input the panel refuses, with a message for people.
package struct AdminInputError: Error, Sendable {
    /// What was wrong and what is accepted.
    package let message: String
    /// An error with this message.
    package init(_ message: String) { self.message = message }
}
