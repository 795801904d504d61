extension SegmentReader {
    /// The raw positions stream of a term.
    func positionsBytes(_ info: TermInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: positionsFile.bytes[(positionsPayload.lowerBound + info.positions.lowerBound)..<(positionsPayload.lowerBound + info.positions.upperBound)])
    }

    /// Where a term's doc stream entries start (after its skip table) and end, absolute.
    func entries(_ info: TermInfo) throws(IndexError) -> Range<Int> {
        let start = postingsPayload.lowerBound + info.postings.lowerBound
        let end = postingsPayload.lowerBound + info.postings.upperBound
        let entries = start + SkipTable.count(docFreq: info.docFreq) * SkipTable.entrySize
        guard entries <= end else { throw .corrupt(file: files.postings, offset: start, detail: "skip table longer than the doc stream") }
        return entries..<end
    }

    /// The skip table of a term (empty for a list of one block).
    func skipEntries(_ info: TermInfo) throws(IndexError) -> [SkipTable.Entry] {
        let start = postingsPayload.lowerBound + info.postings.lowerBound
        _ = try entries(info)
        return (0..<SkipTable.count(docFreq: info.docFreq)).map { SkipTable.entry(postingsFile.bytes, at: start, $0) }
    }

    /// Decodes a term's postings: documents in increasing order, with term frequency and
    /// (for positional kinds) where the document's positions are in the positions stream.
    public struct PostingsIterator {
        private var reader: ByteReader
        private let positional: Bool
        private let documentCount: Int
        private let entriesStart: Int
        private var doc = -1
        private var positionsOffset = 0

        init(_ segment: SegmentReader, _ info: TermInfo, positional: Bool) throws(IndexError) {
            let entries = try segment.entries(info)
            reader = ByteReader(segment.postingsFile.bytes, file: segment.files.postings, start: entries.lowerBound, end: entries.upperBound)
            entriesStart = entries.lowerBound
            self.positional = positional
            documentCount = segment.documentCount
        }

        /// Bytes of entries decoded so far: where the next entry starts after the skip table.
        var entryOffset: Int { reader.offset - entriesStart }

        /// The next (doc, tf, positions byte range within the term's positions stream), or nil.
        public mutating func next() throws(IndexError) -> (doc: Int, tf: Int, positions: Range<Int>)? {
            if reader.isAtEnd { return nil }
            let at = reader.offset
            let delta = try reader.count(max: documentCount, "document delta")
            doc += delta
            guard delta > 0, doc < documentCount else { throw reader.corrupt("document id \(doc) out of order or range", at: at) }
            let tf = try reader.count(max: Int(Int32.max), "term frequency")
            guard tf > 0 else { throw reader.corrupt("zero term frequency", at: at) }
            var range = positionsOffset..<positionsOffset
            if positional {
                let length = try reader.count(max: Int(Int32.max), "positions length")
                range = positionsOffset..<(positionsOffset + length)
                positionsOffset += length
            }
            return (doc, tf, range)
        }
    }

    public func postings(_ info: TermInfo, positional: Bool) throws(IndexError) -> PostingsIterator {
        try PostingsIterator(self, info, positional: positional)
    }

    /// Decodes a whole doc stream at once (a tight loop): documents ascending, their term
    /// frequencies, and where each document's positions start in the term's positions stream.
    public func decodePostings(_ info: TermInfo, positional: Bool, docs: inout [Int32], tfs: inout [Int32], positionStarts: inout [Int32]) throws(IndexError) {
        docs.removeAll(keepingCapacity: true)
        tfs.removeAll(keepingCapacity: true)
        positionStarts.removeAll(keepingCapacity: true)
        docs.reserveCapacity(info.docFreq)
        tfs.reserveCapacity(info.docFreq)
        var cursor = EntryCursor(self, try entries(info), positional: positional)
        while cursor.i < cursor.end {
            guard cursor.next() else { break }
            docs.append(cursor.doc)
            tfs.append(cursor.tf)
            if positional { positionStarts.append(cursor.positionsStart) }
        }
        guard cursor.ok, docs.count == info.docFreq, !positional || cursor.positions == Int64(info.positions.count) else {
            throw .corrupt(file: files.postings, offset: cursor.end, detail: "doc stream does not decode to \(info.docFreq) documents")
        }
    }

    /// Decodes the entries of a term's postings whose documents are in `wanted` (ascending), as
    /// ``decodePostings(_:positional:docs:tfs:positionStarts:)`` does for all: only the blocks
    /// of 128 documents that may hold them are read, found through the skip table. Each entry's
    /// positions end where `positionEnds` says (the next entry kept may start further on).
    public func decodePostings(_ info: TermInfo, positional: Bool, only wanted: [Int32], docs: inout [Int32], tfs: inout [Int32],
                               positionStarts: inout [Int32], positionEnds: inout [Int32]) throws(IndexError) {
        docs.removeAll(keepingCapacity: true)
        tfs.removeAll(keepingCapacity: true)
        positionStarts.removeAll(keepingCapacity: true)
        positionEnds.removeAll(keepingCapacity: true)
        let entries = try entries(info)
        let tableStart = postingsPayload.lowerBound + info.postings.lowerBound
        let skips = SkipTable.count(docFreq: info.docFreq)
        var cursor = EntryCursor(self, entries, positional: positional)
        var block = 0, left = min(info.docFreq, SkipTable.interval), pending = false
        for target in wanted {
            var next = block
            while next < skips && SkipTable.entry(postingsFile.bytes, at: tableStart, next).lastDoc < target { next += 1 }
            if next != block {
                let skip = SkipTable.entry(postingsFile.bytes, at: tableStart, next - 1)
                guard skip.entryOffset >= 0, Int(skip.entryOffset) < entries.count, skip.lastDoc >= cursor.doc, skip.positionsOffset >= 0 else {
                    throw .corrupt(file: files.postings, offset: tableStart, detail: "skip entry \(next - 1) out of range")
                }
                cursor.jump(to: entries.lowerBound + Int(skip.entryOffset), after: skip.lastDoc, positions: Int64(skip.positionsOffset))
                block = next
                left = block < skips ? SkipTable.interval : info.docFreq - skips * SkipTable.interval
                pending = false
            }
            while !pending || cursor.doc < target {
                guard left > 0 else { break }
                guard cursor.next() else {
                    throw .corrupt(file: files.postings, offset: entries.lowerBound, detail: "doc stream does not decode to \(info.docFreq) documents")
                }
                left -= 1
                pending = true
            }
            if pending && cursor.doc == target {
                docs.append(cursor.doc)
                tfs.append(cursor.tf)
                if positional {
                    positionStarts.append(cursor.positionsStart)
                    positionEnds.append(Int32(truncatingIfNeeded: cursor.positions))
                }
            }
        }
    }

    /// Decodes `tf` positions from `range` of a term's positions stream into `output` (replacing
    /// its contents). A tight loop: bounds are checked once per value, not per byte.
    public func decodePositions(_ info: TermInfo, _ range: Range<Int>, count tf: Int, into output: inout [Int32]) throws(IndexError) {
        let start = positionsPayload.lowerBound + info.positions.lowerBound + range.lowerBound
        let end = positionsPayload.lowerBound + info.positions.lowerBound + range.upperBound
        guard range.lowerBound >= 0, range.upperBound <= info.positions.count, tf >= 0 else {
            throw .corrupt(file: files.positions, offset: start, detail: "positions beyond the term's stream")
        }
        // Resized in place: the caller's scratch list keeps its storage from document to document.
        if output.count > tf {
            output.removeLast(output.count - tf)
        } else if output.count < tf {
            output.append(contentsOf: repeatElement(0, count: tf - output.count))
        }
        let base = positionsFile.bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var i = start
        var position: UInt32 = 0
        var ok = true
        output.withUnsafeMutableBufferPointer { out in
            for k in 0..<tf {
                var value: UInt32 = 0
                var shift: UInt32 = 0
                while true {
                    guard i < end, shift < 32 else { ok = false; return }
                    let byte = base[i]
                    i += 1
                    value |= UInt32(byte & 0x7F) << shift
                    if byte & 0x80 == 0 { break }
                    shift += 7
                }
                let (next, overflow) = position.addingReportingOverflow(value)
                guard !overflow, next <= UInt32(Int32.max) else { ok = false; return }
                position = next
                out[k] = Int32(bitPattern: position)
            }
        }
        guard ok, i == end else {
            throw .corrupt(file: files.positions, offset: start, detail: "positions do not match the term frequency")
        }
    }
}

/// Decodes doc stream entries one by one from the mapped bytes (no per-byte bounds objects):
/// the current document, its frequency and where its positions start.
struct EntryCursor {
    private let base: UnsafePointer<UInt8>
    private let positional: Bool
    private let documentCount: Int32
    var i: Int
    let end: Int
    private(set) var doc: Int32 = -1
    private(set) var tf: Int32 = 0
    private(set) var positionsStart: Int32 = 0
    /// Where the next document's positions start.
    private(set) var positions: Int64 = 0
    private(set) var ok = true

    init(_ reader: SegmentReader, _ entries: Range<Int>, positional: Bool) {
        base = reader.postingsFile.bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        self.positional = positional
        documentCount = Int32(clamping: reader.documentCount)
        i = entries.lowerBound
        end = entries.upperBound
    }

    @inline(__always) private mutating func vint() -> UInt32? {
        var value: UInt32 = 0
        var shift: UInt32 = 0
        while i < end && shift < 32 {
            let byte = base[i]
            i += 1
            value |= UInt32(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }

    /// Decodes the next entry; false (and `ok` false) when the stream is malformed or ends.
    @inline(__always) mutating func next() -> Bool {
        guard let delta = vint(), delta > 0, let tf = vint(), tf > 0, Int64(doc) + Int64(delta) < Int64(documentCount), tf <= UInt32(Int32.max) else {
            ok = false
            return false
        }
        doc += Int32(delta)
        self.tf = Int32(tf)
        if positional {
            guard let length = vint() else { ok = false; return false }
            positionsStart = Int32(truncatingIfNeeded: positions)
            positions += Int64(length)
        }
        return true
    }

    /// Continues at `offset` (absolute), the previous document being `doc`.
    mutating func jump(to offset: Int, after doc: Int32, positions: Int64) {
        i = offset
        self.doc = doc
        self.positions = positions
    }
}
