@testable import APIKeyCore
import Testing

/// Parses what the test knows to be valid.
private func ip(_ text: String) -> IPAddress { try! IPAddress(text) }
private func range(_ text: String) -> IPRange { try! IPRange(text) }

@Suite("IP addresses, ranges, allowlists and trusted proxies")
struct NetworkTests {
    @Test("addresses parse strictly and print in their shortest form (RFC 5952)")
    func addresses() throws {
        let cases: [(String, String)] = [
            ("203.0.113.7", "203.0.113.7"), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"),
            ("2001:db8::7", "2001:db8::7"), ("2001:DB8:0:0:0:0:0:7", "2001:db8::7"), ("::", "::"), ("::1", "::1"),
            ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"), ("1:0:0:2:0:0:0:3", "1:0:0:2::3"), ("::ffff:203.0.113.7", "203.0.113.7"),
            ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
        ]
        for (text, printed) in cases { #expect(ip(text).description == printed, "\(text)") }
        for bad in ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", " 1.2.3.4", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9",
                    "::g", "example.com", "1.2.3.4/24", "[::1]", "fe80::1%eth0", ":::", "1:2:3:4:5:6:7::8:9", "+1::"] {
            #expect(throws: APIKeyFieldError.self, "\(bad)") { try IPAddress(bad) }
        }
        #expect(ip("::ffff:10.0.0.1") == IPAddress(ipv4: (10, 0, 0, 1)), "IPv4-mapped is IPv4")
    }

    @Test("ranges: contain what they should, refuse bits past their length with what was likely meant")
    func ranges() throws {
        let office = try IPRange("203.0.113.0/24")
        #expect(office.contains(ip("203.0.113.255")) && !office.contains(ip("203.0.114.0")))
        #expect(office.contains(ip("::ffff:203.0.113.9")), "an IPv4 client on an IPv6 socket")
        #expect(!office.contains(ip("2001:db8::1")))
        #expect(range("0.0.0.0/0").contains(ip("8.8.8.8")))
        #expect(!(range("0.0.0.0/0")).contains(ip("2001:db8::1")), "every IPv4 address, and no IPv6 one")
        #expect(range("2001:db8::/32").contains(ip("2001:db8:ffff::1")))
        #expect(range("::/0").contains(ip("2001:db8::1")))
        #expect(range("2001:db8::1/128").description == "2001:db8::1")
        #expect(range(" 10.0.0.0/8 ").description == "10.0.0.0/8")
        #expect(range("2001:db8::8000:0/97").contains(ip("2001:db8::ffff:ffff")))
        #expect(throws: APIKeyFieldError(field: .allowedIPs, description: "'10.1.2.3/8' has bits set past its /8: did you mean 10.0.0.0/8? Use an address (203.0.113.7, 2001:db8::7) or a CIDR range (203.0.113.0/24, 2001:db8::/32).")) {
            try IPRange("10.1.2.3/8")
        }
        for bad in ["10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/08x", "::/129", "10.0.0.0/8/8", "/8"] {
            #expect(throws: APIKeyFieldError.self, "\(bad)") { try IPRange(bad) }
        }
    }

    @Test("an allowlist: empty is anywhere; unknown clients are off any other; stored garbage allows nothing")
    func allowlists() throws {
        #expect(IPAllowlist.anywhere.allows(nil))
        let list = try IPAllowlist(["203.0.113.0/24", "2001:db8::/32", "203.0.113.0/24"])
        #expect(list.entries.count == 2 && list.entries == ["203.0.113.0/24", "2001:db8::/32"])
        #expect(list.allows(ip("2001:db8::5")) && !list.allows(ip("198.51.100.1")) && !list.allows(nil))
        #expect(!IPAllowlist(stored: ["garbage"]).allows(ip("1.2.3.4")), "fail closed")
        #expect(IPAllowlist(stored: ["garbage", "1.2.3.4"]).allows(ip("1.2.3.4")))
        #expect(throws: APIKeyFieldError.self) { try IPAllowlist((0...100).map { "10.0.0.\($0 % 256)/32" } + (0...5).map { "10.0.1.\($0)" }) }
    }

    @Test("trusted proxies: the client is read from the right through trusted hops; a malformed hop makes it unknown")
    func proxies() throws {
        let proxies = try TrustedProxies(commaSeparated: "10.0.0.0/8, 192.168.1.1")
        let peer = try IPAddress("10.0.0.2")
        func client(_ values: [String], peer: IPAddress? = nil, _ proxies: TrustedProxies? = nil) -> String? {
            (proxies ?? (try! TrustedProxies(commaSeparated: "10.0.0.0/8, 192.168.1.1"))).clientAddress(peer: peer ?? (try! IPAddress("10.0.0.2")), headerValues: values)?.description
        }
        #expect(client(["198.51.100.7"]) == "198.51.100.7")
        #expect(client(["1.1.1.1, 198.51.100.7, 10.0.0.1"]) == "198.51.100.7", "the spoofed leftmost entry is never reached")
        #expect(client(["1.1.1.1", "198.51.100.7, 192.168.1.1"]) == "198.51.100.7", "several header lines, in order")
        #expect(client(["10.0.0.5, 10.0.0.1"]) == "10.0.0.5", "every hop trusted: the leftmost")
        #expect(client([]) == "10.0.0.2", "no header: the proxy itself")
        #expect(client(["198.51.100.7:4711"]) == "198.51.100.7" && client(["[2001:db8::7]:4711"]) == "2001:db8::7" && client(["2001:db8::7"]) == "2001:db8::7")
        for bad in ["garbage", "unknown", "1.1.1.1, , 10.0.0.1", "198.51.100.7:port", "[2001:db8::7", "_hidden", String(repeating: "10.0.0.1,", count: 40) + "10.0.0.1"] {
            #expect(client([bad]) == nil, "\(bad)")
        }
        #expect(proxies.clientAddress(peer: ip("198.51.100.9"), headerValues: ["1.2.3.4"]) == ip("198.51.100.9"), "an untrusted peer's header is ignored")
        #expect(TrustedProxies.none.clientAddress(peer: peer, headerValues: ["1.2.3.4"]) == peer)
        let forwarded = try TrustedProxies(["10.0.0.0/8"], header: .forwarded)
        #expect(client([#"for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8:cafe::17]:4711""#], forwarded) == "2001:db8:cafe::17")
        #expect(client(["for=192.0.2.60, for=10.0.0.1"], forwarded) == "192.0.2.60")
        #expect(client(["For=\"192.0.2.60:80\""], forwarded) == "192.0.2.60")
        #expect(client(["for=unknown"], forwarded) == nil && client(["proto=https"], forwarded) == nil && client([#"for="192.0.2.60"#], forwarded) == nil)
        #expect(throws: APIKeyFieldError.self) { try TrustedProxies(commaSeparated: "10.0.0.0/8, nonsense") }
    }
}
