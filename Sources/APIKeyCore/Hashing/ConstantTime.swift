/// Byte comparisons whose duration does not depend on the bytes compared.
///
/// ```swift
/// ConstantTime.equals(Array(submittedToken.utf8), Array(expectedToken.utf8))
/// ```
@_spi(Internals) public enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes. Lengths are compared first: in every use here the
    /// length is public (fixed by a hash or token format), only the content is secret.
    public static func equals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
