/// The addresses a key may be used from: addresses and CIDR ranges, IPv4 and IPv6. An empty
/// allowlist lets the key be used from anywhere.
///
/// ```swift
/// let allowlist = try IPAllowlist(["203.0.113.0/24", "2001:db8::/32"])
/// allowlist.allows(try IPAddress("203.0.113.7"))   // true
/// allowlist.allows(nil)                              // false: an unknown address is not on it
/// ```
public struct IPAllowlist: Sendable, Hashable, CustomStringConvertible {
    /// The ranges; empty for "anywhere".
    package let ranges: [IPRange]

    /// At most this many entries per key: every request from the key compares its address with
    /// each.
    public static let maximumCount = 100

    /// Any address.
    public static let anywhere = IPAllowlist(ranges: [])

    /// The allowlist of `ranges`.
    package init(ranges: [IPRange]) {
        self.ranges = ranges
    }

    /// Parses each entry; duplicates are dropped.
    ///
    /// - Throws: ``APIKeyFieldError`` for the first entry that is not an address or range, or
    ///   for more than ``maximumCount`` entries.
    public init(_ entries: some Sequence<String>) throws(APIKeyFieldError) {
        var ranges: [IPRange] = []
        for entry in entries {
            let range = try IPRange(entry)
            if !ranges.contains(range) { ranges.append(range) }
        }
        guard ranges.count <= Self.maximumCount else {
            throw APIKeyFieldError(
                field: .allowedIPs, description: "A key may list at most \(Self.maximumCount) addresses or ranges; \(ranges.count) were given.")
        }
        self.ranges = ranges
    }

    /// Reads stored entries, skipping any that is not an address or range: a bad entry allows
    /// nothing, while the good ones still work (an allowlist with no good entry allows nothing
    /// at all, see ``allows(_:)``).
    package init(stored entries: [String]) {
        self.ranges = entries.compactMap { try? IPRange($0) }
        self.restrictsEverything = !entries.isEmpty && ranges.isEmpty
    }

    /// Set when every stored entry was unreadable: then no address is allowed (fail closed).
    private var restrictsEverything = false

    /// Whether the list lets every address through.
    public var isAnywhere: Bool { ranges.isEmpty && !restrictsEverything }

    /// Whether `address` may use the key. An unknown address (`nil`) is allowed only when the
    /// list is empty.
    public func allows(_ address: IPAddress?) -> Bool {
        if isAnywhere { return true }
        guard let address else { return false }
        return ranges.contains { $0.contains(address) }
    }

    /// The entries as they are stored: `["203.0.113.0/24", "2001:db8::7"]`.
    public var entries: [String] { ranges.map(\.description) }

    /// `203.0.113.0/24, 2001:db8::7`, or `anywhere`.
    public var description: String { isAnywhere ? "anywhere" : entries.joined(separator: ", ") }
}
