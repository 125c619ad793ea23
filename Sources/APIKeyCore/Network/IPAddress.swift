/// An IPv4 or IPv6 address, as a value: parsed once, compared with integer operations.
///
/// IPv4 addresses are kept as IPv4-mapped IPv6 addresses (`::ffff:203.0.113.7`), so that a
/// client on an IPv6 socket that reaches the server over IPv4 matches an IPv4 range.
///
/// ```swift
/// let address = try IPAddress("2001:db8::7")
/// address.description                           // "2001:db8::7"
/// ```
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The 128 bits, most significant first.
    let high: UInt64
    let low: UInt64

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The IPv4 address `a.b.c.d`.
    package init(ipv4 bytes: (UInt8, UInt8, UInt8, UInt8)) {
        self.init(ipv4: UInt32(bytes.0) << 24 | UInt32(bytes.1) << 16 | UInt32(bytes.2) << 8 | UInt32(bytes.3))
    }

    /// The IPv4 address whose 32 bits, most significant first, are `bits`.
    package init(ipv4 bits: UInt32) {
        self.init(high: 0, low: 0xffff_0000_0000 | UInt64(bits))
    }

    /// The IPv6 address made of these 16 bytes, in network order; an IPv4-mapped one is the IPv4
    /// address.
    package init(ipv6 bytes: some Collection<UInt8>) {
        precondition(bytes.count == 16, "an IPv6 address has 16 bytes")
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
        }
        self.init(high: high, low: low)
    }

    /// Parses `203.0.113.7` or `2001:db8::7` (no zone, no port, no brackets).
    ///
    /// - Throws: ``APIKeyFieldError`` saying what is accepted.
    public init(_ text: some StringProtocol) throws(APIKeyFieldError) {
        guard let address = Self.parse(Substring(text)) else {
            throw APIKeyFieldError(
                field: .allowedIPs,
                description: "'\(APIKeyFieldError.printable(text))' is not an IP address. Use an IPv4 address such as 203.0.113.7 or an IPv6 address such as 2001:db8::7.")
        }
        self = address
    }

    /// Whether it is an IPv4 address.
    public var isIPv4: Bool { high == 0 && low >> 32 == 0xffff }

    /// `203.0.113.7`, or `2001:db8::7` in the shortest form (RFC 5952).
    public var description: String {
        if isIPv4 {
            let bits = UInt32(truncatingIfNeeded: low)
            return "\(bits >> 24).\(bits >> 16 & 0xff).\(bits >> 8 & 0xff).\(bits & 0xff)"
        }
        let groups = (0..<8).map { index -> UInt16 in
            let word = index < 4 ? high : low
            return UInt16(truncatingIfNeeded: word >> (48 - 16 * UInt64(index % 4)))
        }
        // The longest run of two or more zero groups becomes "::" (the first, on a tie).
        var best: Range<Int>? = nil
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else { index += 1; continue }
            let start = index
            while index < 8 && groups[index] == 0 { index += 1 }
            if index - start >= 2, index - start > (best?.count ?? 0) { best = start..<index }
        }
        let hex = { (range: Range<Int>) in range.map { String(groups[$0], radix: 16) }.joined(separator: ":") }
        guard let best else { return hex(0..<8) }
        return hex(0..<best.lowerBound) + "::" + hex(best.upperBound..<8)
    }

    /// An IPv4 or IPv6 address in text, or `nil`.
    static func parse(_ text: Substring) -> IPAddress? {
        if let v4 = parseIPv4(text) { return IPAddress(ipv4: v4) }
        return parseIPv6(text)
    }

    /// Four decimal numbers 0–255 joined by dots, without leading zeros (`010` could mean octal).
    static func parseIPv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bits: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.utf8.count), part.utf8.allSatisfy({ (48...57).contains($0) }),
                part.utf8.count == 1 || part.utf8.first != UInt8(ascii: "0"), let value = UInt32(part), value <= 255
            else { return nil }
            bits = bits << 8 | value
        }
        return bits
    }

    /// Up to eight groups of one to four hex digits, one `::` at most, and an IPv4 address in the
    /// last two groups' place.
    static func parseIPv6(_ text: Substring) -> IPAddress? {
        guard text.utf8.count <= 45, text.contains(":") else { return nil }
        let halves = text.split(separator: "::", maxSplits: 2, omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return nil }
        func groups(_ half: Substring, allowIPv4: Bool) -> [UInt16]? {
            guard !half.isEmpty else { return [] }
            let parts = half.split(separator: ":", omittingEmptySubsequences: false)
            var result: [UInt16] = []
            for (index, part) in parts.enumerated() {
                if allowIPv4, index == parts.count - 1, part.contains(".") {
                    guard let v4 = parseIPv4(part) else { return nil }
                    result += [UInt16(v4 >> 16), UInt16(v4 & 0xffff)]
                } else {
                    guard (1...4).contains(part.utf8.count), let value = UInt16(part, radix: 16), !part.hasPrefix("+") else { return nil }
                    result.append(value)
                }
            }
            return result
        }
        let all: [UInt16]
        if halves.count == 2 {
            guard let head = groups(halves[0], allowIPv4: false), let tail = groups(halves[1], allowIPv4: true),
                head.count + tail.count <= 7
            else { return nil }
            all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let only = groups(halves[0], allowIPv4: true), only.count == 8 else { return nil }
            all = only
        }
        let high = all[0..<4].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        let low = all[4..<8].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        return IPAddress(high: high, low: low)
    }
}
