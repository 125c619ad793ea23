import APIKeyCore
import FuzzSupport

/// Input: a mode byte, then header values separated by 0x0A. Checks that extraction never
/// crashes, and that a key it returns is what the rules allow: non-empty, valid UTF-8, within the
/// length limit, and (with a keyword) preceded by that keyword and one space, in the value without
/// the spaces and tabs around it (RFC 9110 §5.5).
func fuzzKeyHeader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let mode = bytes.first else { return 0 }
    let header: KeyHeader =
        switch mode % 3 {
        case 0: .authorization()
        case 1: .authorization(keyword: "Bearer")
        default: .custom("X-Api-Key")
        }
    let values = bytes.dropFirst().split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    let extraction = header.extract(fromBytes: values)
    guard case .key(let key) = extraction else { return 0 }
    precondition(values.count == 1, "a key from several header values")
    precondition(!key.isEmpty && key.utf8.count <= header.maximumLength, "an empty or oversized key")
    let raw = trimmed(values[0])
    if let keyword = header.keyword {
        let head = Array((keyword + " ").utf8)
        precondition(raw.count == head.count + key.utf8.count, "a key that is not the rest of the value")
        precondition(zip(raw, head).allSatisfy { lowercased($0) == lowercased($1) }, "a key after the wrong keyword")
        precondition(Array(raw[head.count...]) == Array(key.utf8), "a key that is not the value verbatim")
    } else {
        precondition(raw == Array(key.utf8), "a custom header's key that is not the value verbatim")
    }
    // The String entry point agrees with the bytes one.
    precondition(header.extract(from: [key]).presentedKey != nil || header.keyword != nil)
    return 0
}

private func lowercased(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte | 0x20 : byte }

/// `bytes` without the spaces and tabs around them: not part of an HTTP field value.
private func trimmed(_ bytes: [UInt8]) -> [UInt8] {
    let isWhitespace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
    guard let start = bytes.firstIndex(where: { !isWhitespace($0) }), let end = bytes.lastIndex(where: { !isWhitespace($0) }) else { return [] }
    return Array(bytes[start...end])
}

exit(runFuzzer(fuzzKeyHeader))
