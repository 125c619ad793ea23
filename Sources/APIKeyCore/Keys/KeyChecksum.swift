/// The checksum at the end of a tagged key: CRC-32 (IEEE 802.3, zlib's and GitHub's tokens') of
/// everything before it, written as 6 base62 digits (`0-9A-Za-z`, most significant first, zeros
/// on the left). It tells a typo or random text from a key without a database; it is not a
/// secret and proves nothing about who made the key.
package enum KeyChecksum {
    /// The digits of a checksum, in order of value.
    static let digits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
    /// How many digits a checksum takes: 62^6 > 2^32.
    package static let length = 6

    /// The CRC-32 of `bytes`.
    package static func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    /// `value` as 6 base62 digits.
    package static func base62(_ value: UInt32) -> String {
        var rest = UInt64(value)
        var text = [UInt8](repeating: digits[0], count: length)
        for index in stride(from: length - 1, through: 0, by: -1) {
            text[index] = digits[Int(rest % 62)]
            rest /= 62
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Whether `text` is the 6 base62 digits of `value`.
    package static func matches(_ value: UInt32, _ text: some Collection<UInt8>) -> Bool {
        guard text.count == length else { return false }
        var decoded: UInt64 = 0
        for byte in text {
            guard let digit = digit(byte) else { return false }
            decoded = decoded * 62 + UInt64(digit)
        }
        return decoded == UInt64(value)
    }

    private static func digit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 36
        default: nil
        }
    }

    /// The reflected polynomial 0xEDB88320's table, one entry per byte value.
    private static let table: [UInt32] = (0..<256).map { index in
        var entry = UInt32(index)
        for _ in 0..<8 { entry = entry & 1 == 1 ? 0xEDB8_8320 ^ (entry >> 1) : entry >> 1 }
        return entry
    }
}
