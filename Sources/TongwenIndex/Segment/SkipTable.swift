/// The skip table at the head of a long doc stream (see OnDiskFormat.md, "Postings"): the
/// stream's entries fall into blocks of ``interval`` documents, and for each block after the
/// first the table says where it starts, so a reader that wants a few documents of a long list
/// decodes only the blocks that may hold them.
///
/// An entry is three little-endian u32: the last document of the block before, the byte offset
/// of the block's first entry (from the end of the table), and the offset in the term's positions
/// stream where the block's positions start.
public enum SkipTable {
    /// Documents per block.
    static let interval = 128
    /// Bytes per entry.
    static let entrySize = 12

    /// Whether decoding only `wanted` documents of a list of `docFreq` (through the table) is
    /// worth it rather than decoding the whole list: when they are fewer than one in eight.
    @inline(__always)
    public static func partialDecodePays(wanted: Int, docFreq: Int) -> Bool { wanted * 8 < docFreq }

    /// Entries in the table of a term with `docFreq` documents (none for one block).
    @inline(__always)
    static func count(docFreq: Int) -> Int { docFreq > 0 ? (docFreq - 1) / interval : 0 }

    struct Entry: Equatable {
        var lastDoc: Int32
        var entryOffset: Int32
        var positionsOffset: Int32
    }

    /// The table of an encoded doc stream (`entries`: delta, frequency and, when `positional`,
    /// positions length per document), as written before it.
    static func encode(entries: [UInt8], docFreq: Int, positional: Bool) -> [UInt8] {
        let count = count(docFreq: docFreq)
        guard count > 0 else { return [] }
        var table = ByteWriter(capacity: count * entrySize)
        var i = 0, doc: UInt32 = 0, positions: UInt32 = 0, n = 0
        func next() -> UInt32 {
            var value: UInt32 = 0, shift: UInt32 = 0
            while true {
                let byte = entries[i]
                i += 1
                value |= UInt32(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
        }
        while i < entries.count && table.count < count * entrySize {
            if n > 0 && n % interval == 0 {
                table.u32(doc &- 1)
                table.u32(UInt32(i))
                table.u32(positions)
            }
            doc &+= next()
            _ = next()
            if positional { positions &+= next() }
            n += 1
        }
        return table.bytes
    }

    /// Entry `k` of the table starting at `start` of `bytes` (bounds checked by the caller).
    @inline(__always)
    static func entry(_ bytes: UnsafeRawBufferPointer, at start: Int, _ k: Int) -> Entry {
        let at = start + k * entrySize
        return Entry(lastDoc: Int32(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self))),
                     entryOffset: Int32(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self))),
                     positionsOffset: Int32(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at + 8, as: UInt32.self))))
    }
}
