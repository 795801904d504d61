import TongwenAnalysis

/// A segment's `.fing` file: every document's winnowing fingerprints (``Winnowing``), computed by
/// the writer from the same analysis as the postings, so the duplicate finder reads them instead
/// of recomputing them (see OnDiskFormat.md, "Fingerprints"). Streamed: the lists come first, the
/// offsets and counts last.
///
/// ```
/// List × DocumentCount:  Count(vint) (PositionDelta(vint) Hash(u32)) × Count
/// Offset(u64) × (DocumentCount + 1)      payload-relative start of each list, then the lists' end
/// DocumentCount(u32) K(u32) W(u32)       the last 12 bytes of the payload
/// ```
enum FingerprintFile {
    static let tailSize = 12

    /// One document's fingerprints as stored (positions strictly increasing).
    static func encode(_ fingerprints: [Winnowing.Fingerprint]) -> [UInt8] {
        var w = ByteWriter(capacity: 1 + fingerprints.count * 5)
        w.vint(fingerprints.count)
        var previous: Int32 = 0
        for f in fingerprints {
            w.vint(UInt64(f.position - previous))
            w.u32(f.hash)
            previous = f.position
        }
        return w.bytes
    }

    /// Streams the lists of one segment to its file.
    final class Writer {
        private let file: FramedFileWriter
        private var offsets: [Int] = []

        init(path: String) throws(IndexError) {
            file = try FramedFileWriter(path: path, kind: .fingerprints)
        }

        /// Adds the next document's encoded list (``FingerprintFile/encode(_:)``).
        func add(_ list: some Collection<UInt8>) throws(IndexError) {
            offsets.append(file.payloadOffset)
            try file.write(Array(list))
        }

        func finish() throws(IndexError) {
            var tail = ByteWriter(capacity: (offsets.count + 1) * 8 + tailSize)
            for offset in offsets { tail.u64(UInt64(offset)) }
            tail.u64(UInt64(file.payloadOffset))
            tail.u32(UInt32(offsets.count))
            tail.u32(UInt32(Winnowing.k))
            tail.u32(UInt32(Winnowing.w))
            try file.write(tail.bytes)
            try file.finish()
        }
    }

    /// Checks the tail against the segment's document count and this build's `k` and `w`;
    /// returns where the offsets table starts (absolute).
    static func verifyTail(_ bytes: UnsafeRawBufferPointer, payload: Range<Int>, file: String, documentCount: Int) throws(IndexError) -> Int {
        let tableSize = (documentCount + 1) * 8
        guard payload.count >= tailSize + tableSize else {
            throw .corrupt(file: file, offset: payload.lowerBound, detail: "fingerprint file too short for \(documentCount) documents")
        }
        var r = ByteReader(bytes, file: file, start: payload.upperBound - tailSize, end: payload.upperBound)
        let count = Int(try r.u32())
        guard count == documentCount else { throw r.corrupt("\(count) fingerprint lists for \(documentCount) documents", at: payload.upperBound - tailSize) }
        let k = Int(try r.u32()), w = Int(try r.u32())
        guard k == Winnowing.k, w == Winnowing.w else {
            throw r.corrupt("fingerprints with k \(k), w \(w); this build uses k \(Winnowing.k), w \(Winnowing.w)", at: payload.upperBound - 8)
        }
        return payload.upperBound - tailSize - tableSize
    }

    /// The byte range (absolute in the file) of document `doc`'s list.
    static func range(_ bytes: UnsafeRawBufferPointer, payload: Range<Int>, table: Int, file: String, doc: Int) throws(IndexError) -> Range<Int> {
        var r = ByteReader(bytes, file: file, start: table + doc * 8, end: payload.upperBound)
        let start = Int(try r.u64()), end = Int(try r.u64())
        guard start <= end, payload.lowerBound + end <= table else {
            throw r.corrupt("fingerprint list \(start)..<\(end) of document \(doc) outside the lists", at: table + doc * 8)
        }
        return (payload.lowerBound + start)..<(payload.lowerBound + end)
    }

    /// Decodes one document's list, checking that positions increase and the list fills its range.
    static func decode(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, file: String) throws(IndexError) -> [Winnowing.Fingerprint] {
        var r = ByteReader(bytes, file: file, start: range.lowerBound, end: range.upperBound)
        let count = try r.count(max: range.count / 5, "fingerprint count")
        var result: [Winnowing.Fingerprint] = []
        result.reserveCapacity(count)
        var position: Int64 = 0
        for i in 0..<count {
            let delta = Int64(try r.vint())
            guard delta > 0 || i == 0, position + delta <= Int64(Int32.max) else {
                throw r.corrupt("fingerprint positions not increasing")
            }
            position += delta
            result.append(Winnowing.Fingerprint(hash: try r.u32(), position: Int32(position)))
        }
        guard r.offset == range.upperBound else { throw r.corrupt("\(range.upperBound - r.offset) bytes after the fingerprint list") }
        return result
    }
}
