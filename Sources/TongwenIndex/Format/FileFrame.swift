import CCompressionShim

/// Every index file is framed the same way (see OnDiskFormat.md):
///
/// ```
/// ┌────────────┬───────────┬──────────────┬─────────┬────────────┬──────────────┐
/// │ Magic(4)   │ Kind(4)   │ Version(u32) │ payload │ Magic(4)   │ CRC32(u32)   │
/// │ "TWNX"     │ e.g."TERM"│ 1            │   …     │ "TWNF"     │ of all before│
/// └────────────┴───────────┴──────────────┴─────────┴────────────┴──────────────┘
/// ```
enum FileFrame {
    static let headerSize = 12
    static let footerSize = 8
    static let magic: [UInt8] = Array("TWNX".utf8)
    static let footerMagic: [UInt8] = Array("TWNF".utf8)
    /// The format version this build writes, and the range it reads.
    static let version: UInt32 = 1
    static let readable: ClosedRange<UInt32> = 1...1

    /// The file kinds, each a four-letter tag in the header.
    enum Kind: String, CaseIterable {
        case manifest = "MANI"
        case documents = "DOCS"
        case storedText = "TEXT"
        case terms = "TERM"
        case postings = "POST"
        case positions = "POSI"
        case deletes = "DELS"
        case fingerprints = "FING"
        case sideFile = "SIDE"
    }

    /// Header bytes for a file of `kind`.
    static func header(_ kind: Kind) -> [UInt8] {
        var w = ByteWriter(capacity: headerSize)
        w.append(magic)
        w.append(Array(kind.rawValue.utf8))
        w.u32(version)
        return w.bytes
    }

    /// Footer bytes for a file whose bytes before the footer have CRC `crc`.
    static func footer(crcBefore crc: UInt32) -> [UInt8] {
        let withMagic = CCompressionShim_crc32(crc, footerMagic, footerMagic.count)
        var w = ByteWriter(capacity: footerSize)
        w.append(footerMagic)
        w.u32(withMagic)
        return w.bytes
    }

    /// Frames a whole payload held in memory.
    static func frame(_ kind: Kind, _ payload: [UInt8]) -> [UInt8] {
        var bytes = header(kind)
        bytes.append(contentsOf: payload)
        let crc = bytes.withUnsafeBufferPointer { CCompressionShim_crc32(0, $0.baseAddress, $0.count) }
        bytes.append(contentsOf: footer(crcBefore: crc))
        return bytes
    }

    /// Checks magic, kind, version and checksum; returns the payload's byte range.
    static func verify(_ bytes: UnsafeRawBufferPointer, kind: Kind, file: String,
                       checked: (Range<Int>) -> Void = { _ in }) throws(IndexError) -> Range<Int> {
        guard bytes.count >= headerSize + footerSize else {
            throw .corrupt(file: file, offset: bytes.count, detail: "file too short (\(bytes.count) bytes) to hold header and footer")
        }
        guard Array(bytes[0..<4]) == magic else {
            throw .corrupt(file: file, offset: 0, detail: "not a Tongwen index file (bad magic)")
        }
        guard Array(bytes[4..<8]) == Array(kind.rawValue.utf8) else {
            throw .corrupt(file: file, offset: 4, detail: "expected a \(kind.rawValue) file, found \(String(decoding: bytes[4..<8], as: UTF8.self))")
        }
        var reader = ByteReader(bytes, file: file, start: 8)
        let version = try reader.u32()
        let end = bytes.count - footerSize
        guard Array(bytes[end..<(end + 4)]) == footerMagic else {
            throw .corrupt(file: file, offset: end, detail: "bad footer magic (file truncated or overwritten)")
        }
        let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: end + 4, as: UInt32.self))
        // In 64 MB steps, each handed to `checked` once summed (a reader lets its pages go).
        var actual: UInt32 = 0
        for start in stride(from: 0, to: end + 4, by: 64 << 20) {
            let step = start..<min(end + 4, start + (64 << 20))
            actual = CCompressionShim_crc32(actual, bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + start, step.count)
            checked(step)
        }
        guard stored == actual else {
            throw .corrupt(file: file, offset: end + 4, detail: "checksum mismatch (stored \(hex(stored)), computed \(hex(actual)))")
        }
        // Checked after the checksum, so a flipped version byte reads as corruption, not as a
        // newer format.
        guard readable.contains(version) else {
            throw .unsupportedVersion(file: file, found: version, supported: readable)
        }
        return headerSize..<end
    }

    private static func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16) }
}
