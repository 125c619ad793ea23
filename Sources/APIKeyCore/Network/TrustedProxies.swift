/// The proxies in front of the app (load balancers, ingress), whose word about the client's
/// address is taken: the client is the first address, reading `X-Forwarded-For` (or `Forwarded`)
/// from the right, that is not one of them. Only an IP allowlist reads it.
///
/// With no trusted proxies (the default), the client is the connection's peer and forwarded
/// headers are ignored: anyone can write them.
///
/// ```swift
/// app.apiKeys.trustedProxies = try TrustedProxies(["10.0.0.0/8"])           // X-Forwarded-For
/// app.apiKeys.trustedProxies = try TrustedProxies(["10.0.0.0/8"], header: .forwarded)
/// ```
///
/// Name the header your proxy writes: a proxy appends to the one it knows and passes the other
/// along untouched, so a client could write the other itself.
public struct TrustedProxies: Sendable, Hashable {
    /// The header a trusted proxy appends the address it received from to.
    public struct Header: Sendable, Hashable, CustomStringConvertible {
        /// The header's name.
        public let name: String
        let isForwarded: Bool

        /// `X-Forwarded-For: client, proxy1, proxy2`: what nginx, HAProxy and cloud load
        /// balancers write.
        public static let xForwardedFor = Header(name: "X-Forwarded-For", isForwarded: false)
        /// `Forwarded: for=client, for=proxy1` (RFC 7239).
        public static let forwarded = Header(name: "Forwarded", isForwarded: true)

        /// The name.
        public var description: String { name }
    }

    /// The proxies' addresses and ranges.
    let ranges: [IPRange]
    /// The header they write.
    public let header: Header

    /// At most this many hops are read from the right: a longer chain of trusted proxies is
    /// not a real deployment, and the client is then unknown.
    static let maximumHops = 32

    /// No proxy is trusted: the client is the connection's peer.
    public static let none = TrustedProxies(ranges: [], header: .xForwardedFor)

    /// Proxies at `ranges`, writing `header`.
    init(ranges: [IPRange], header: Header = .xForwardedFor) {
        self.ranges = ranges
        self.header = header
    }

    /// Proxies at these addresses and ranges (`10.0.0.0/8`, `2001:db8::1`), writing `header`.
    ///
    /// - Throws: ``APIKeyFieldError`` for an entry that is not an address or range.
    public init(_ entries: some Sequence<String>, header: Header = .xForwardedFor) throws(APIKeyFieldError) {
        self.init(ranges: try IPAllowlist(entries).ranges, header: header)
    }

    /// Reads a comma-separated list, as an environment variable holds it
    /// (`API_KEY_TRUSTED_PROXIES=10.0.0.0/8, 192.168.0.1`); empty entries are skipped.
    ///
    /// - Throws: ``APIKeyFieldError`` for an entry that is not an address or range.
    public init(commaSeparated list: String, header: Header = .xForwardedFor) throws(APIKeyFieldError) {
        try self.init(list.split(separator: ",").map { String($0.trimmingSpaces) }.filter { !$0.isEmpty }, header: header)
    }

    /// Whether any proxy is trusted.
    package var isEmpty: Bool { ranges.isEmpty }

    /// Whether `address` is a trusted proxy.
    package func trusts(_ address: IPAddress) -> Bool {
        ranges.contains { $0.contains(address) }
    }

    /// The client's address: `peer` itself unless it is a trusted proxy; then the first address,
    /// reading `headerValues` (every line of ``header``, in order) from the right, that is not a
    /// trusted proxy, or the leftmost if all are. `nil` (unknown) when a hop read is not an
    /// address (`unknown`, an obfuscated name, garbage), or past ``maximumHops``: a key with an
    /// allowlist is then refused, a key without one is not affected.
    ///
    /// ```swift
    /// proxies.clientAddress(peer: try IPAddress("10.0.0.2"), headerValues: ["198.51.100.7, 10.0.0.1"])
    /// // 198.51.100.7
    /// ```
    public func clientAddress(peer: IPAddress?, headerValues: some Sequence<some StringProtocol>) -> IPAddress? {
        guard var current = peer, trusts(current) else { return peer }
        var hops: [Substring] = []
        for line in headerValues {
            for element in Substring(line).split(separator: ",", omittingEmptySubsequences: false) { hops.append(element) }
        }
        var read = 0
        for hop in hops.reversed() {
            read += 1
            guard read <= Self.maximumHops, let address = header.isForwarded ? Self.forwardedFor(hop) : Self.address(hop.trimmingSpaces)
            else { return nil }
            current = address
            if !trusts(address) { return address }
        }
        return current
    }

    /// An `X-Forwarded-For` hop: `203.0.113.7`, `203.0.113.7:4711`, `2001:db8::7` or
    /// `[2001:db8::7]:4711`.
    static func address(_ hop: Substring) -> IPAddress? {
        if hop.first == "[" {
            guard let close = hop.firstIndex(of: "]") else { return nil }
            let rest = hop[hop.index(after: close)...]
            guard rest.isEmpty || Self.isPort(rest) else { return nil }
            return IPAddress.parseIPv6(hop[hop.index(after: hop.startIndex)..<close])
        }
        if let v4 = IPAddress.parseIPv4(hop) { return IPAddress(ipv4: v4) }
        if let colon = hop.firstIndex(of: ":"), hop[hop.index(after: colon)...].firstIndex(of: ":") == nil {
            // One colon: an IPv4 address and a port.
            guard Self.isPort(hop[colon...]), let v4 = IPAddress.parseIPv4(hop[..<colon]) else { return nil }
            return IPAddress(ipv4: v4)
        }
        return IPAddress.parseIPv6(hop)
    }

    /// The `for=` of a `Forwarded` element (`for=192.0.2.60;proto=http`, `for="[2001:db8::17]:4711"`).
    static func forwardedFor(_ element: Substring) -> IPAddress? {
        for pair in element.split(separator: ";") {
            let pair = pair.trimmingSpaces
            guard let equals = pair.firstIndex(of: "="), pair[..<equals].lowercased() == "for" else { continue }
            var value = pair[pair.index(after: equals)...]
            if value.first == "\"" {
                guard value.count >= 2, value.last == "\"" else { return nil }
                value = value.dropFirst().dropLast()
            }
            return address(value)
        }
        return nil
    }

    /// `:` and 1 to 5 digits.
    private static func isPort(_ text: Substring) -> Bool {
        text.first == ":" && (2...6).contains(text.utf8.count) && text.utf8.dropFirst().allSatisfy { (48...57).contains($0) }
    }
}
