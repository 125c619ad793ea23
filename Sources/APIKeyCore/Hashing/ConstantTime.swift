/// Byte comparisons whose duration does not depend on the bytes compared.
enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes. Lengths are compared first: in every use here the
    /// length is public (it is fixed by the hash format), only the content is secret.
    static func equals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
