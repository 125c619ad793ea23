import APIKeyCore
import FuzzSupport

/// Input: a mode byte, then lines separated by 0x0A. Checks that the parsers of what clients and
/// administrators type never crash, and that what they accept is consistent:
/// - forwarded headers (X-Forwarded-For or Forwarded, behind a trusted 10.0.0.0/8): the client is
///   the peer, unknown, or (for IPv4) an address written in the header;
/// - addresses and ranges: what parses prints in a form that parses back to the same value, and a
///   range holds its own first address;
/// - metadata: what is accepted is at most 4 KiB once stored, and reads back as the same value.
func fuzzClientAddress(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let mode = bytes.first else { return 0 }
    let lines = bytes.dropFirst().split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    switch mode % 3 {
    case 0:
        let header: TrustedProxies.Header = mode & 0x80 == 0 ? .xForwardedFor : .forwarded
        let proxies = try! TrustedProxies(["10.0.0.0/8"], header: header)
        let peer = try! IPAddress("10.0.0.1")
        guard let client = proxies.clientAddress(peer: peer, headerValues: lines), client != peer else { return 0 }
        // An IPv4 client was written in the header as it prints (no leading zeros are accepted),
        // or as an IPv4-mapped IPv6 address (`::ffff:a10:3`); IPv6 has many spellings of one address.
        let written = lines.joined().lowercased()
        precondition(!client.isIPv4 || written.contains(client.description) || written.contains("ffff"), "a client address that is not in the header")
        precondition((try? IPAddress(client.description)) == client, "a client address that does not print back")
    case 1:
        for line in lines {
            if let address = try? IPAddress(line) {
                precondition((try? IPAddress(address.description)) == address, "an address that does not print back")
            }
            if let allowlist = try? IPAllowlist([line]) {
                precondition((try? IPAllowlist(allowlist.entries)) == allowlist, "a range that does not print back")
                let first = try! IPAddress(allowlist.entries[0].split(separator: "/")[0])
                precondition(allowlist.allows(first), "a range without its own address")
            }
        }
    default:
        let text = lines.joined(separator: "\n")
        if let metadata = try? APIKeyMetadata(json: text) {
            precondition(metadata.json.utf8.count <= APIKeyMetadata.maximumSize, "stored metadata over 4 KiB")
            precondition((try? APIKeyMetadata(json: metadata.json)) == metadata, "metadata that does not read back")
        }
    }
    return 0
}

exit(runFuzzer(fuzzClientAddress))
