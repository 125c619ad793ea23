@_spi(Internals) import APIKeyCore
import FuzzSupport

/// Limits small enough that one input costs milliseconds: the parser and the checks before any
/// work are what is fuzzed; the refusals beyond the limits are part of that.
private let limits: LegacyHashLimits = {
    var limits = LegacyHashLimits()
    limits.maximumPBKDF2Iterations = 2_000
    limits.maximumBcryptCost = 5
    limits.maximumMemoryBytes = 1 << 20
    limits.maximumWorkBytes = 4 << 20
    return limits
}()

/// Input: a stored hash, a NUL, then a key. Parses the hash in every supported format and, when
/// it parses within the limits, verifies the key against it: never a crash, never a hang.
func fuzzHashes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let split = bytes.firstIndex(of: 0) ?? size
    let stored = String(decoding: bytes[..<split], as: UTF8.self)
    let key = split < size ? String(decoding: bytes[(split + 1)...], as: UTF8.self) : "abcdEFGH.0123456789abcdefghijABCDEFGHIJkl"
    guard let hash = try? LegacyHash(parsing: stored, limits: limits) else { return 0 }
    _ = hash.verify(key)
    return 0
}

exit(runFuzzer(fuzzHashes))
