import CCompressionShim
import TongwenAnalysis

/// Reads one immutable segment straight from its memory-mapped files. Opening checks every file's
/// frame (magic, kind, version, CRC-32), so a flipped byte anywhere fails the open with the file's
/// name instead of giving wrong results. Safe to share between threads once opened.
public final class SegmentReader: @unchecked Sendable {
    struct Block {
        var firstKey: [UInt8]
        var offset: Int
        var postingsStart: Int
        var positionsStart: Int
    }

    let files: SegmentFiles
    private let documentsFile: MappedFile
    private let textFile: MappedFile
    private let termsFile: MappedFile
    let postingsFile: MappedFile
    let positionsFile: MappedFile
    private let fingerprintsFile: MappedFile
    private let fingerprintsPayload: Range<Int>
    private let fingerprintTable: Int
    private let documentsPayload: Range<Int>
    private let textPayload: Range<Int>
    private let termsPayload: Range<Int>
    let postingsPayload: Range<Int>
    let positionsPayload: Range<Int>
    private let blocks: [Block]
    private let blocksEnd: Int

    /// Documents in the segment (deleted ones included).
    public let documentCount: Int
    /// Distinct terms.
    public let termCount: Int
    /// Sum of the documents' word counts.
    public let totalWords: Int

    public var id: UInt64 { files.id }

    /// `file`'s frame verified (``FileFrame/verify(_:kind:file:)``), then its pages released
    /// from the resident set: the checksum reads every page, a query only a few.
    private static func verify(_ file: MappedFile, _ kind: FileFrame.Kind, _ path: String) throws(IndexError) -> Range<Int> {
        defer { file.releaseResidentPages() }
        return try FileFrame.verify(file.bytes, kind: kind, file: path) { file.releaseResidentPages($0) }
    }

    /// Drops every page of the segment's files from the resident set (see
    /// ``MappedFile/releaseResidentPages()``): a pass over all documents or terms (a merge, the
    /// duplicate finder) calls it as it goes, so the files it has read do not count as its memory.
    public func releaseResidentPages() {
        for file in [documentsFile, textFile, termsFile, postingsFile, positionsFile, fingerprintsFile] { file.releaseResidentPages() }
    }

    init(_ files: SegmentFiles) throws(IndexError) {
        self.files = files
        documentsFile = try MappedFile(path: files.documents)
        textFile = try MappedFile(path: files.text)
        termsFile = try MappedFile(path: files.terms)
        postingsFile = try MappedFile(path: files.postings)
        positionsFile = try MappedFile(path: files.positions)
        fingerprintsFile = try MappedFile(path: files.fingerprints)
        documentsPayload = try Self.verify(documentsFile, .documents, files.documents)
        textPayload = try Self.verify(textFile, .storedText, files.text)
        termsPayload = try Self.verify(termsFile, .terms, files.terms)
        postingsPayload = try Self.verify(postingsFile, .postings, files.postings)
        positionsPayload = try Self.verify(positionsFile, .positions, files.positions)
        fingerprintsPayload = try Self.verify(fingerprintsFile, .fingerprints, files.fingerprints)

        // Documents header.
        var docs = ByteReader(documentsFile.bytes, file: files.documents, start: documentsPayload.lowerBound, end: documentsPayload.upperBound)
        let count = Int(try docs.u32())
        _ = try docs.u32()
        totalWords = Int(try docs.u64())
        try docs.need(count * 4 + (count + 1) * 8)
        documentCount = count
        fingerprintTable = try FingerprintFile.verifyTail(fingerprintsFile.bytes, payload: fingerprintsPayload, file: files.fingerprints, documentCount: count)

        // Term dictionary tail and block index.
        let tailSize = 20
        guard termsPayload.count >= tailSize else {
            throw .corrupt(file: files.terms, offset: termsPayload.lowerBound, detail: "term dictionary too short")
        }
        var tail = ByteReader(termsFile.bytes, file: files.terms, start: termsPayload.upperBound - tailSize, end: termsPayload.upperBound)
        let indexOffset = Int(try tail.u64())
        termCount = Int(try tail.u32())
        let blockCount = Int(try tail.u32())
        _ = try tail.u32()
        let indexStart = termsPayload.lowerBound + indexOffset
        guard indexOffset >= 0, indexStart <= termsPayload.upperBound - tailSize else {
            throw .corrupt(file: files.terms, offset: termsPayload.upperBound - tailSize, detail: "block index offset out of range")
        }
        var index = ByteReader(termsFile.bytes, file: files.terms, start: indexStart, end: termsPayload.upperBound - tailSize)
        var blocks: [Block] = []
        blocks.reserveCapacity(blockCount)
        for _ in 0..<blockCount {
            let key = Array(try index.blob())
            let offset = try index.count(max: indexOffset, "block offset")
            let post = try index.count(max: postingsPayload.count, "postings offset")
            let posi = try index.count(max: positionsPayload.count, "positions offset")
            blocks.append(Block(firstKey: key, offset: termsPayload.lowerBound + offset, postingsStart: post, positionsStart: posi))
        }
        self.blocks = blocks
        blocksEnd = indexStart
    }

    // MARK: Terms

    /// Looks a term up by key. O(log blocks + block size).
    public func lookup(_ key: [UInt8]) throws(IndexError) -> TermInfo? {
        guard let block = block(holding: key) else { return nil }
        var cursor = try TermCursor(self, block: block)
        while let info = try cursor.nextInfo() {
            let order = compareKeys(cursor.key, key)
            if order == 0 { return info }
            if order > 0 || cursor.block != block { return nil }
        }
        return nil
    }

    /// Every term in key order, from the first block at or before `from` (all terms when nil).
    public func terms(from: [UInt8]? = nil) throws(IndexError) -> TermCursor {
        guard let from else { return try TermCursor(self, block: 0) }
        return try TermCursor(self, block: block(holding: from) ?? 0)
    }

    /// The last block whose first key is ≤ `key` (nil when every block starts after it).
    private func block(holding key: [UInt8]) -> Int? {
        var lo = 0, hi = blocks.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if compareKeys(key, blocks[mid].firstKey) >= 0 { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? lo - 1 : nil
    }

    /// Walks the term dictionary in key order, decoding front-coded keys block by block.
    public struct TermCursor {
        let segment: SegmentReader
        private(set) var block: Int
        private var reader: ByteReader
        private(set) var key: [UInt8] = []
        private var postings: Int
        private var positions: Int

        init(_ segment: SegmentReader, block: Int) throws(IndexError) {
            self.segment = segment
            self.block = block
            let start = block < segment.blocks.count ? segment.blocks[block].offset : segment.blocksEnd
            reader = ByteReader(segment.termsFile.bytes, file: segment.files.terms, start: start, end: segment.blocksEnd)
            postings = block < segment.blocks.count ? segment.blocks[block].postingsStart : 0
            positions = block < segment.blocks.count ? segment.blocks[block].positionsStart : 0
        }

        public mutating func next() throws(IndexError) -> ([UInt8], TermInfo)? {
            guard let info = try nextInfo() else { return nil }
            return (key, info)
        }

        /// Moves to the next term (its key is then ``key``) and returns its entry, or nil at the end.
        mutating func nextInfo() throws(IndexError) -> TermInfo? {
            if reader.isAtEnd { return nil }
            if block + 1 < segment.blocks.count, reader.offset >= segment.blocks[block + 1].offset {
                block += 1
                key.removeAll(keepingCapacity: true)
                postings = segment.blocks[block].postingsStart
                positions = segment.blocks[block].positionsStart
            }
            let at = reader.offset
            let shared = try reader.count(max: key.count, "shared prefix")
            let suffix = try reader.blob()
            key.removeLast(key.count - shared)
            key.append(contentsOf: suffix)
            let docFreq = try reader.count(max: segment.documentCount, "document frequency")
            let postingsLength = try reader.count(max: segment.postingsPayload.count - postings, "postings length")
            let positionsLength = try reader.count(max: segment.positionsPayload.count - positions, "positions length")
            guard docFreq > 0, postingsLength > 0 else {
                throw reader.corrupt("empty term entry", at: at)
            }
            let info = TermInfo(docFreq: docFreq, postings: postings..<(postings + postingsLength),
                                positions: positions..<(positions + positionsLength))
            postings += postingsLength
            positions += positionsLength
            return info
        }
    }

    // MARK: Documents

    /// The BM25 length (word count) of a document. O(1).
    public func wordCount(_ doc: Int) -> Int {
        let offset = documentsPayload.lowerBound + 16 + doc * 4
        return Int(UInt32(littleEndian: documentsFile.bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    }

    private func recordStart(_ doc: Int) throws(IndexError) -> (Int, Int) {
        let table = documentsPayload.lowerBound + 16 + documentCount * 4
        var r = ByteReader(documentsFile.bytes, file: files.documents, start: table + doc * 8, end: documentsPayload.upperBound)
        let start = Int(try r.u64()), end = Int(try r.u64())
        guard start <= end, documentsPayload.lowerBound + end <= documentsPayload.upperBound else {
            throw .corrupt(file: files.documents, offset: table + doc * 8, detail: "record offsets out of range")
        }
        return (documentsPayload.lowerBound + start, documentsPayload.lowerBound + end)
    }

    /// The stored record of document `doc` (0..<documentCount).
    public func document(_ doc: Int) throws(IndexError) -> StoredDocument {
        try documentWithText(doc).0
    }

    func documentWithText(_ doc: Int) throws(IndexError) -> (StoredDocument, textOffset: Int, compressed: Int) {
        let (start, end) = try recordStart(doc)
        var r = ByteReader(documentsFile.bytes, file: files.documents, start: start, end: end)
        let id = try r.string()
        let title = try r.string()
        let source = try r.string()
        let hash = try r.u64()
        let words = try r.count(max: Int(UInt32.max), "word count")
        let textBytes = try r.count(max: Int(Int32.max), "text length")
        let textOffset = try r.count(max: textPayload.count, "text offset")
        let compressed = try r.count(max: textPayload.count - textOffset, "compressed length")
        let metadataCount = try r.count(max: r.remaining, "metadata count")
        var metadata: [(key: String, value: String)] = []
        for _ in 0..<metadataCount {
            let key = try r.string()
            metadata.append((key, try r.string()))
        }
        let record = StoredDocument(id: id, title: title, source: source, metadata: metadata, contentHash: hash,
                                    wordCount: words, textBytes: textBytes)
        return (record, textOffset, compressed)
    }

    /// The compressed text bytes of a document (for merging without recompressing).
    func compressedText(offset: Int, length: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: textFile.bytes[(textPayload.lowerBound + offset)..<(textPayload.lowerBound + offset + length)])
    }

    /// The winnowing fingerprints of document `doc` (``Winnowing``), as the writer computed them.
    public func fingerprints(_ doc: Int) throws(IndexError) -> [Winnowing.Fingerprint] {
        try FingerprintFile.decode(fingerprintsFile.bytes, try fingerprintRange(doc), file: files.fingerprints)
    }

    /// Document `doc`'s encoded fingerprint list, for copying into a merged segment.
    func fingerprintBytes(_ doc: Int) throws(IndexError) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: fingerprintsFile.bytes[try fingerprintRange(doc)])
    }

    /// Where document `doc`'s list is in the `.fing` file (absolute offsets).
    func fingerprintRange(_ doc: Int) throws(IndexError) -> Range<Int> {
        try FingerprintFile.range(fingerprintsFile.bytes, payload: fingerprintsPayload, table: fingerprintTable, file: files.fingerprints, doc: doc)
    }

    /// The original text of document `doc`, decompressed.
    public func text(_ doc: Int) throws(IndexError) -> String {
        let (record, offset, compressed) = try documentWithText(doc)
        let source = compressedText(offset: offset, length: compressed)
        var output = [UInt8](repeating: 0, count: record.textBytes)
        let rc = output.withUnsafeMutableBufferPointer { out in
            CCompressionShim_inflate(source.baseAddress?.assumingMemoryBound(to: UInt8.self), source.count,
                                     out.baseAddress, record.textBytes)
        }
        guard rc == 0 || (record.textBytes == 0 && compressed > 0),
              let text = String(validating: output, as: UTF8.self) else {
            throw .corrupt(file: files.text, offset: textPayload.lowerBound + offset, detail: "stored text of '\(record.id)' does not decompress")
        }
        return text
    }

    /// Bytes on disk of each file kind.
    var fileSizes: [(FileFrame.Kind, Int)] {
        [(.documents, documentsFile.bytes.count), (.storedText, textFile.bytes.count), (.terms, termsFile.bytes.count),
         (.postings, postingsFile.bytes.count), (.positions, positionsFile.bytes.count), (.fingerprints, fingerprintsFile.bytes.count)]
    }
}
