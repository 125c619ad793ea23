/// An address or a CIDR range of addresses: `203.0.113.7`, `203.0.113.0/24`, `2001:db8::/32`,
/// one entry of an ``IPAllowlist`` or of ``TrustedProxies``.
package struct IPRange: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the range.
    package let address: IPAddress
    /// How many leading bits every address of the range shares, counted as for the address's own
    /// family: 0–32 for IPv4, 0–128 for IPv6.
    package let prefixLength: Int

    /// The bits compared, in the 128-bit space IPv4 addresses are mapped into.
    private var mappedLength: Int { address.isIPv4 ? prefixLength + 96 : prefixLength }

    /// Parses an address (a range of one) or `address/length`.
    ///
    /// - Throws: ``APIKeyFieldError`` saying what is accepted; a range whose address has bits set
    ///   past its length (`203.0.113.7/24`) is refused with the range it likely meant.
    package init(_ text: some StringProtocol) throws(APIKeyFieldError) {
        let text = Substring(text).trimmingSpaces
        let accepted = "Use an address (203.0.113.7, 2001:db8::7) or a CIDR range (203.0.113.0/24, 2001:db8::/32)."
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress.parse(parts[0]) else {
            throw APIKeyFieldError(field: .allowedIPs, description: "'\(APIKeyFieldError.printable(text))' is not an IP address or range. \(accepted)")
        }
        let maximum = address.isIPv4 ? 32 : 128
        var length = maximum
        if parts.count == 2 {
            guard (1...3).contains(parts[1].utf8.count), parts[1].utf8.allSatisfy({ (48...57).contains($0) }), let value = Int(parts[1]),
                value <= maximum
            else {
                throw APIKeyFieldError(
                    field: .allowedIPs,
                    description: "'\(APIKeyFieldError.printable(text))' has a prefix length that is not 0 to \(maximum). \(accepted)")
            }
            length = value
        }
        self.address = address
        self.prefixLength = length
        guard masked(address) == address else {
            let meant = IPRange(uncheckedAddress: masked(address), prefixLength: length)
            throw APIKeyFieldError(
                field: .allowedIPs,
                description: "'\(APIKeyFieldError.printable(text))' has bits set past its /\(length): did you mean \(meant)? \(accepted)")
        }
    }

    private init(uncheckedAddress: IPAddress, prefixLength: Int) {
        self.address = uncheckedAddress
        self.prefixLength = prefixLength
    }

    /// Whether `candidate` is in the range.
    package func contains(_ candidate: IPAddress) -> Bool {
        // An IPv4 range holds only IPv4 (mapped) addresses, and the reverse: the mapped prefix
        // ::ffff:0:0/96 is part of the comparison.
        masked(candidate) == address
    }

    /// `candidate` with the bits past the range's length cleared.
    private func masked(_ candidate: IPAddress) -> IPAddress {
        let length = mappedLength
        let highMask: UInt64 = length >= 64 ? .max : (length == 0 ? 0 : .max << (64 - UInt64(length)))
        let lowMask: UInt64 = length <= 64 ? 0 : (length >= 128 ? .max : .max << (128 - UInt64(length)))
        return IPAddress(high: candidate.high & highMask, low: candidate.low & lowMask)
    }

    /// `203.0.113.0/24`, or `203.0.113.7` for a single address.
    package var description: String {
        prefixLength == (address.isIPv4 ? 32 : 128) ? address.description : "\(address)/\(prefixLength)"
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
