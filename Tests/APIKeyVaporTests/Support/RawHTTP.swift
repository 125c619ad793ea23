import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sends a request exactly as given, bytes and all, over a plain TCP socket: no HTTP client would
/// send NUL bytes, bare CRs or 1,000 copies of a header. Runs on a Dispatch thread, never on the
/// cooperative pool, which the server under test needs.
enum RawHTTP {
    /// What came back: a status, or the connection closed without one.
    enum Answer: Equatable, CustomStringConvertible {
        case status(Int)
        case closedWithoutResponse
        case timedOut

        var description: String {
            switch self {
            case .status(let code): "\(code)"
            case .closedWithoutResponse: "closed"
            case .timedOut: "timeout"
            }
        }
    }

    static func get(_ path: String, port: Int, headerLines: [[UInt8]]) async -> Answer {
        var request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n".utf8)
        for line in headerLines { request += line + Array("\r\n".utf8) }
        request += Array("Connection: close\r\n\r\n".utf8)
        let bytes = request
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: exchange(bytes, port: port)) }
        }
    }

    private static func exchange(_ request: [UInt8], port: Int) -> Answer {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return .closedWithoutResponse }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return .closedWithoutResponse }
        // The server may answer and close before reading everything: a failed send is not an error.
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }
            sent += n
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while !response.containsHeaderEnd {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return .timedOut }
            if n <= 0 { break }
            response += buffer[..<n]
        }
        // "HTTP/1.1 401 ..."
        guard response.count >= 12, response.starts(with: Array("HTTP/1.".utf8)),
            let code = Int(String(decoding: response[9..<12], as: UTF8.self))
        else { return .closedWithoutResponse }
        return .status(code)
    }
}

extension [UInt8] {
    fileprivate var containsHeaderEnd: Bool {
        count >= 4 && indices.dropLast(3).contains { self[$0] == 13 && self[$0 + 1] == 10 && self[$0 + 2] == 13 && self[$0 + 3] == 10 }
    }
}
