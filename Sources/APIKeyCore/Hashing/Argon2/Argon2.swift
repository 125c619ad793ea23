/// Argon2d, Argon2i and Argon2id (RFC 9106), versions 0x10 and 0x13.
///
/// Written for one job: verifying the `argon2$…` hashes that Django's `Argon2PasswordHasher`
/// left in djangorestframework-api-key 1.x/2.x tables. Memory is one contiguous allocation of
/// `memoryKiB` blocks of 1 KiB; lanes are filled one after another on the calling thread, which
/// must therefore not be an event loop or the cooperative pool (see ``LegacyHashing``).
enum Argon2 {
    enum Variant: UInt32, Sendable { case d = 0, i = 1, id = 2 }

    struct Parameters: Sendable, Equatable {
        var variant: Variant
        var version: UInt32 = 0x13
        var memoryKiB: UInt32
        var iterations: UInt32
        var parallelism: UInt32
        var tagLength: Int = 32
    }

    static let wordsPerBlock = 128
    static let syncPoints = 4

    /// The tag for `password` and `salt`; `secret` and `associatedData` are RFC 9106's K and X.
    static func hash(
        password: [UInt8],
        salt: [UInt8],
        secret: [UInt8] = [],
        associatedData: [UInt8] = [],
        parameters: Parameters
    ) -> [UInt8] {
        let lanes = Int(parameters.parallelism)
        precondition(lanes >= 1 && parameters.iterations >= 1 && parameters.tagLength >= 4)
        precondition(parameters.memoryKiB >= 8 * parameters.parallelism)
        let segmentLength = Int(parameters.memoryKiB) / (lanes * syncPoints)
        let laneLength = segmentLength * syncPoints
        let blockCount = laneLength * lanes

        var initial = BLAKE2b(digestLength: 64)
        for value in [
            parameters.parallelism, UInt32(parameters.tagLength), parameters.memoryKiB, parameters.iterations,
            parameters.version, parameters.variant.rawValue,
        ] {
            initial.update(littleEndian: value)
        }
        for field in [password, salt, secret, associatedData] {
            initial.update(littleEndian: UInt32(field.count))
            initial.update(field)
        }
        let h0 = initial.finalize()

        let memory = UnsafeMutablePointer<UInt64>.allocate(capacity: blockCount * wordsPerBlock)
        defer {
            memory.update(repeating: 0, count: blockCount * wordsPerBlock)
            memory.deallocate()
        }
        for lane in 0..<lanes {
            for column in 0..<2 {
                let block = variableLengthHash(h0 + littleEndianBytes(UInt32(column)) + littleEndianBytes(UInt32(lane)), length: 1024)
                load(block, into: memory + (lane * laneLength + column) * wordsPerBlock)
            }
        }

        let filler = SegmentFiller(
            memory: memory, parameters: parameters, lanes: lanes, laneLength: laneLength, segmentLength: segmentLength,
            blockCount: blockCount)
        for pass in 0..<Int(parameters.iterations) {
            for slice in 0..<syncPoints {
                for lane in 0..<lanes { filler.fill(pass: pass, lane: lane, slice: slice) }
            }
        }

        var final = [UInt64](repeating: 0, count: wordsPerBlock)
        for lane in 0..<lanes {
            let last = memory + (lane * laneLength + laneLength - 1) * wordsPerBlock
            for word in 0..<wordsPerBlock { final[word] ^= last[word] }
        }
        var finalBytes: [UInt8] = []
        finalBytes.reserveCapacity(1024)
        for word in final { finalBytes.append(contentsOf: littleEndianBytes(word)) }
        return variableLengthHash(finalBytes, length: parameters.tagLength)
    }

    /// RFC 9106 H': BLAKE2b stretched to `length` bytes.
    static func variableLengthHash(_ input: [UInt8], length: Int) -> [UInt8] {
        let message = littleEndianBytes(UInt32(length)) + input
        if length <= 64 { return BLAKE2b.hash(message, digestLength: length) }
        let fullRounds = (length + 31) / 32 - 2
        var v = BLAKE2b.hash(message)
        var output = Array(v.prefix(32))
        output.reserveCapacity(length)
        for _ in 1..<fullRounds {
            v = BLAKE2b.hash(v)
            output.append(contentsOf: v.prefix(32))
        }
        output.append(contentsOf: BLAKE2b.hash(v, digestLength: length - 32 * fullRounds))
        return output
    }

    static func littleEndianBytes<Word: FixedWidthInteger>(_ value: Word) -> [UInt8] {
        (0..<(Word.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    static func load(_ bytes: [UInt8], into block: UnsafeMutablePointer<UInt64>) {
        for word in 0..<wordsPerBlock {
            var value: UInt64 = 0
            for byte in 0..<8 { value |= UInt64(bytes[word * 8 + byte]) << UInt64(8 * byte) }
            block[word] = value
        }
    }
}

/// Fills one segment of Argon2 memory; the hot loop of the whole algorithm.
private struct SegmentFiller {
    let memory: UnsafeMutablePointer<UInt64>
    let parameters: Argon2.Parameters
    let lanes: Int
    let laneLength: Int
    let segmentLength: Int
    let blockCount: Int

    func fill(pass: Int, lane: Int, slice: Int) {
        let words = Argon2.wordsPerBlock
        let dataIndependent =
            parameters.variant == .i || (parameters.variant == .id && pass == 0 && slice < Argon2.syncPoints / 2)
        // Scratch: two blocks for the compression, three for address generation.
        let scratch = UnsafeMutablePointer<UInt64>.allocate(capacity: 5 * words)
        scratch.initialize(repeating: 0, count: 5 * words)
        defer { scratch.deallocate() }
        let (r, t) = (scratch, scratch + words)
        let (zero, input, addresses) = (scratch + 2 * words, scratch + 3 * words, scratch + 4 * words)

        if dataIndependent {
            input[0] = UInt64(pass)
            input[1] = UInt64(lane)
            input[2] = UInt64(slice)
            input[3] = UInt64(blockCount)
            input[4] = UInt64(parameters.iterations)
            input[5] = UInt64(parameters.variant.rawValue)
        }
        func nextAddresses() {
            input[6] &+= 1
            compress(zero, input, addresses, xorInto: false, r, t)
            compress(zero, addresses, addresses, xorInto: false, r, t)
        }

        var start = 0
        if pass == 0 && slice == 0 {
            start = 2
            if dataIndependent { nextAddresses() }
        }
        var current = lane * laneLength + slice * segmentLength + start
        var previous = current % laneLength == 0 ? current + laneLength - 1 : current - 1
        let xorInto = parameters.version != 0x10 && pass != 0

        for index in start..<segmentLength {
            if current % laneLength == 1 { previous = current - 1 }
            let pseudoRandom: UInt64
            if dataIndependent {
                if index % words == 0 { nextAddresses() }
                pseudoRandom = addresses[index % words]
            } else {
                pseudoRandom = memory[previous * words]
            }
            let referenceLane = pass == 0 && slice == 0 ? lane : Int((pseudoRandom >> 32) % UInt64(lanes))
            let referenceIndex = self.referenceIndex(
                pass: pass, slice: slice, index: index, sameLane: referenceLane == lane,
                pseudoRandom: pseudoRandom & 0xFFFF_FFFF)
            compress(
                memory + previous * words, memory + (referenceLane * laneLength + referenceIndex) * words,
                memory + current * words, xorInto: xorInto, r, t)
            current += 1
            previous += 1
        }
    }

    /// RFC 9106 §3.4.1.2: which earlier block of the reference lane a block depends on.
    private func referenceIndex(pass: Int, slice: Int, index: Int, sameLane: Bool, pseudoRandom: UInt64) -> Int {
        let areaSize: Int
        if pass == 0 {
            if slice == 0 {
                areaSize = index - 1
            } else if sameLane {
                areaSize = slice * segmentLength + index - 1
            } else {
                areaSize = slice * segmentLength + (index == 0 ? -1 : 0)
            }
        } else if sameLane {
            areaSize = laneLength - segmentLength + index - 1
        } else {
            areaSize = laneLength - segmentLength + (index == 0 ? -1 : 0)
        }
        var relative = (pseudoRandom &* pseudoRandom) >> 32
        relative = UInt64(areaSize) - 1 - ((UInt64(areaSize) &* relative) >> 32)
        let start = pass == 0 || slice == Argon2.syncPoints - 1 ? 0 : (slice + 1) * segmentLength
        return (start + Int(relative)) % laneLength
    }
}

/// Argon2's compression G: `next = P(prev ^ ref) ^ (prev ^ ref)`, also xored with the old `next`
/// on later passes of version 0x13. `next` may alias `ref`. `r` and `t` are scratch blocks.
@inline(__always)
private func compress(
    _ previous: UnsafePointer<UInt64>, _ reference: UnsafePointer<UInt64>, _ next: UnsafeMutablePointer<UInt64>,
    xorInto: Bool, _ r: UnsafeMutablePointer<UInt64>, _ t: UnsafeMutablePointer<UInt64>
) {
    for word in 0..<128 { r[word] = reference[word] ^ previous[word] }
    if xorInto {
        for word in 0..<128 { t[word] = r[word] ^ next[word] }
    } else {
        t.update(from: r, count: 128)
    }
    for row in 0..<8 {
        let p = r + 16 * row
        permute(p, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    }
    for column in 0..<8 {
        let p = r + 2 * column
        permute(p, 0, 1, 16, 17, 32, 33, 48, 49, 64, 65, 80, 81, 96, 97, 112, 113)
    }
    for word in 0..<128 { next[word] = t[word] ^ r[word] }
}

/// One BLAKE2b round without message words, over 16 words of `p` at the given offsets, with
/// Argon2's multiplication-hardened mixing (BlaMka).
@inline(__always)
private func permute(
    _ p: UnsafeMutablePointer<UInt64>, _ i0: Int, _ i1: Int, _ i2: Int, _ i3: Int, _ i4: Int, _ i5: Int, _ i6: Int,
    _ i7: Int, _ i8: Int, _ i9: Int, _ i10: Int, _ i11: Int, _ i12: Int, _ i13: Int, _ i14: Int, _ i15: Int
) {
    var (v0, v1, v2, v3) = (p[i0], p[i1], p[i2], p[i3])
    var (v4, v5, v6, v7) = (p[i4], p[i5], p[i6], p[i7])
    var (v8, v9, v10, v11) = (p[i8], p[i9], p[i10], p[i11])
    var (v12, v13, v14, v15) = (p[i12], p[i13], p[i14], p[i15])
    mix(&v0, &v4, &v8, &v12)
    mix(&v1, &v5, &v9, &v13)
    mix(&v2, &v6, &v10, &v14)
    mix(&v3, &v7, &v11, &v15)
    mix(&v0, &v5, &v10, &v15)
    mix(&v1, &v6, &v11, &v12)
    mix(&v2, &v7, &v8, &v13)
    mix(&v3, &v4, &v9, &v14)
    (p[i0], p[i1], p[i2], p[i3]) = (v0, v1, v2, v3)
    (p[i4], p[i5], p[i6], p[i7]) = (v4, v5, v6, v7)
    (p[i8], p[i9], p[i10], p[i11]) = (v8, v9, v10, v11)
    (p[i12], p[i13], p[i14], p[i15]) = (v12, v13, v14, v15)
}

@inline(__always)
private func mix(_ a: inout UInt64, _ b: inout UInt64, _ c: inout UInt64, _ d: inout UInt64) {
    a = a &+ b &+ 2 &* (a & 0xFFFF_FFFF) &* (b & 0xFFFF_FFFF)
    d = (d ^ a).rotatedRight(by: 32)
    c = c &+ d &+ 2 &* (c & 0xFFFF_FFFF) &* (d & 0xFFFF_FFFF)
    b = (b ^ c).rotatedRight(by: 24)
    a = a &+ b &+ 2 &* (a & 0xFFFF_FFFF) &* (b & 0xFFFF_FFFF)
    d = (d ^ a).rotatedRight(by: 16)
    c = c &+ d &+ 2 &* (c & 0xFFFF_FFFF) &* (d & 0xFFFF_FFFF)
    b = (b ^ c).rotatedRight(by: 63)
}
