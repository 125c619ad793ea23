package import APIKeyCore
package import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension IPAddress {
    /// The address of an IPv4 or IPv6 socket address, read from its bytes (no text is made:
    /// this runs for every request); `nil` for a Unix socket.
    package init?(socketAddress: SocketAddress) {
        switch socketAddress {
        case .v4(let address):
            self.init(ipv4: UInt32(bigEndian: address.address.sin_addr.s_addr))
        case .v6(let address):
            var storage = address.address.sin6_addr
            self = withUnsafeBytes(of: &storage) { IPAddress(ipv6: $0) }
        default:
            return nil
        }
    }
}
