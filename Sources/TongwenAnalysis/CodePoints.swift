/// The per-code-point normalization of single characters, for building the tables above.
struct Normalizer {
    let table: NormalizationTable
    init(_ table: NormalizationTable) { self.table = table }

    func all(_ c: UInt32) -> [UInt32] {
        var out: [UInt32] = []
        table.normalize(c) { out.append($0) }
        return out
    }

    func callAsFunction(_ c: UInt32) -> [UInt32] { all(c) }

    /// The normal form when it is one Han character.
    func single(_ c: UInt32) -> UInt32? {
        let out = all(c)
        return out.count == 1 && table.isHan(out[0]) ? out[0] : nil
    }
}

/// A bit per code point (0 … 0x10FFFF) in 64-bit words.
enum Bits {
    @inline(__always) static func test(_ bits: [UInt64], _ c: UInt32) -> Bool { c < 0x110000 && bits[Int(c >> 6)] >> UInt64(c & 63) & 1 != 0 }
    @inline(__always) static func set(_ bits: inout [UInt64], _ c: UInt32) { if c < 0x110000 { bits[Int(c >> 6)] |= 1 << UInt64(c & 63) } }
}

/// The code point whose UTF-8 encoding starts at `bytes[i]` (valid UTF-8 assumed).
@inline(__always)
func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt32 {
    let b0 = bytes[i]
    if b0 < 0x80 { return UInt32(b0) }
    if b0 < 0xE0 { return UInt32(b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F) }
    if b0 < 0xF0 { return UInt32(b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F) }
    return UInt32(b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F)
}

/// Appends the UTF-8 encoding of `c`.
func appendUTF8(_ c: UInt32, to out: inout [UInt8]) {
    if c < 0x80 { out.append(UInt8(c)) }
    else if c < 0x800 { out += [UInt8(0xC0 | c >> 6), UInt8(0x80 | c & 0x3F)] }
    else if c < 0x10000 { out += [UInt8(0xE0 | c >> 12), UInt8(0x80 | c >> 6 & 0x3F), UInt8(0x80 | c & 0x3F)] }
    else { out += [UInt8(0xF0 | c >> 18), UInt8(0x80 | c >> 12 & 0x3F), UInt8(0x80 | c >> 6 & 0x3F), UInt8(0x80 | c & 0x3F)] }
}
