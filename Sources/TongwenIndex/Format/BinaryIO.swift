#if canImport(Glibc)
import Glibc
#endif
/// Appends little-endian integers, LEB128 variable-length integers and byte strings to a buffer.
/// Unless noted, every multi-byte integer in Tongwen's files is little-endian.
public struct ByteWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    public var count: Int { bytes.count }

    public mutating func u8(_ v: UInt8) { bytes.append(v) }
    public mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    public mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    public mutating func f64(_ v: Double) { u64(v.bitPattern) }

    /// LEB128: 7 bits per byte, low bits first, high bit set on every byte but the last.
    @inline(__always)
    public mutating func vint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    public mutating func vint(_ value: Int) { vint(UInt64(value)) }
    public mutating func vint(_ value: Int32) { vint(UInt64(UInt32(bitPattern: value))) }

    /// A length-prefixed (vint) byte string.
    public mutating func blob(_ value: some Collection<UInt8>) {
        vint(value.count)
        bytes.append(contentsOf: value)
    }

    public mutating func string(_ value: String) { blob(Array(value.utf8)) }
    public mutating func append(_ other: some Sequence<UInt8>) { bytes.append(contentsOf: other) }
}

/// Bytewise order of two keys (a memcmp, then the shorter first): < 0, 0 or > 0.
@inline(__always)
func compareKeys(_ a: [UInt8], _ b: [UInt8]) -> Int {
    let common = min(a.count, b.count)
    let order = common == 0 ? 0 : a.withUnsafeBytes { a in b.withUnsafeBytes { b in memcmp(a.baseAddress!, b.baseAddress!, common) } }
    return order != 0 ? Int(order) : a.count - b.count
}

/// Appends one LEB128 integer to a byte array (the hot path of postings building).
@inline(__always)
func appendVInt(_ bytes: inout [UInt8], _ value: UInt32) {
    var v = value
    while v >= 0x80 {
        bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
        v >>= 7
    }
    bytes.append(UInt8(v))
}

/// Reads what ``ByteWriter`` wrote, from a region of a mapped file, checking every bound.
/// A read past the end or a malformed integer throws ``IndexError/corrupt(file:offset:detail:)``
/// naming the file and the absolute offset.
public struct ByteReader {
    let base: UnsafeRawPointer
    let end: Int
    public internal(set) var offset: Int
    public let file: String

    public init(_ region: UnsafeRawBufferPointer, file: String, start: Int = 0, end: Int? = nil) {
        base = region.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        self.end = end ?? region.count
        offset = start
        self.file = file
    }

    public var remaining: Int { end - offset }
    public var isAtEnd: Bool { offset >= end }

    public func corrupt(_ detail: String, at: Int? = nil) -> IndexError {
        .corrupt(file: file, offset: at ?? offset, detail: detail)
    }

    public mutating func need(_ n: Int) throws(IndexError) {
        if n < 0 || offset + n > end { throw corrupt("truncated: needs \(n) more bytes, \(max(0, end - offset)) left") }
    }

    public mutating func u8() throws(IndexError) -> UInt8 {
        try need(1)
        defer { offset += 1 }
        return base.load(fromByteOffset: offset, as: UInt8.self)
    }

    public mutating func u32() throws(IndexError) -> UInt32 {
        try need(4)
        defer { offset += 4 }
        return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    public mutating func u64() throws(IndexError) -> UInt64 {
        try need(8)
        defer { offset += 8 }
        return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    public mutating func f64() throws(IndexError) -> Double { Double(bitPattern: try u64()) }

    @inline(__always)
    public mutating func vint() throws(IndexError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end else { throw corrupt("truncated variable-length integer") }
            let byte = base.load(fromByteOffset: offset, as: UInt8.self)
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw corrupt("variable-length integer too long") }
        }
    }

    /// A vint that must fit `limit` (inclusive); guards counts and lengths before allocation.
    public mutating func count(max limit: Int, _ what: String) throws(IndexError) -> Int {
        let at = offset
        let v = try vint()
        guard v <= UInt64(limit) else { throw corrupt("\(what) \(v) exceeds \(limit)", at: at) }
        return Int(v)
    }

    public mutating func bytes(_ n: Int) throws(IndexError) -> UnsafeRawBufferPointer {
        try need(n)
        defer { offset += n }
        return UnsafeRawBufferPointer(start: base + offset, count: n)
    }

    public mutating func blob() throws(IndexError) -> UnsafeRawBufferPointer {
        let n = try count(max: remaining, "byte string length")
        return try bytes(n)
    }

    public mutating func string() throws(IndexError) -> String {
        let at = offset
        let raw = try blob()
        guard let s = String(validating: raw, as: UTF8.self) else { throw corrupt("invalid UTF-8 string", at: at) }
        return s
    }
}
