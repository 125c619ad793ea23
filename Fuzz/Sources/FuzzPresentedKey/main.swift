import APIKeyCore
import FuzzSupport

private let generator = AlphanumericKeyGenerator()
private let hasher = SHA512KeyHasher()
private let stored = hasher.hash("abcdEFGH.0123456789abcdefghijABCDEFGHIJkl")

/// Input: a presented key. Checks that the shape check accepts exactly `prefix.secret` with 8 and
/// 32 ASCII letters and digits, and that only the one right key verifies against a stored hash.
func fuzzPresentedKey(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let key = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let bytes = Array(key.utf8)
    let isAlphanumeric = { (b: UInt8) in (48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b) }
    let wellFormed = bytes.count == 41 && bytes[8] == UInt8(ascii: ".")
        && bytes[..<8].allSatisfy(isAlphanumeric) && bytes[9...].allSatisfy(isAlphanumeric)
    let prefix = generator.prefix(ofPresentedKey: key)
    precondition((prefix != nil) == wellFormed, "the shape check disagrees with the format")
    if let prefix { precondition(Array(prefix.utf8) == Array(bytes[..<8]), "a prefix that is not the key's") }
    let matches = hasher.verify(key, against: stored)
    precondition(matches == (key == "abcdEFGH.0123456789abcdefghijABCDEFGHIJkl"), "a wrong key verified")
    precondition(hasher.verify(key, against: hasher.hash(key)), "a key does not verify against its own hash")
    // The stored side is untrusted too (a corrupted row): any string, never a crash.
    _ = hasher.verify("abcdEFGH.0123456789abcdefghijABCDEFGHIJkl", against: key)
    _ = hasher.isPreferred(key)
    return 0
}

exit(runFuzzer(fuzzPresentedKey))
