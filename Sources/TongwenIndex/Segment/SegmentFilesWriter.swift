/// Writes a segment's six files, terms in key order and documents in id order. Used both to
/// flush a ``SegmentBuilder`` and to merge segments.
final class SegmentFilesWriter {
    static let blockSize = 64

    let files: SegmentFiles
    private let postings: FramedFileWriter
    private let positions: FramedFileWriter
    private let text: FramedFileWriter
    private let fingerprints: FingerprintFile.Writer
    private var terms = ByteWriter(capacity: 1 << 20)
    private var blockIndex = ByteWriter()
    private var blockCount = 0
    private var termCount = 0
    private var inBlock = 0
    private var previousKey: [UInt8] = []
    private var records: [(StoredDocument, textOffset: Int, compressed: Int)] = []

    init(_ files: SegmentFiles) throws(IndexError) {
        self.files = files
        postings = try FramedFileWriter(path: files.postings, kind: .postings)
        positions = try FramedFileWriter(path: files.positions, kind: .positions)
        text = try FramedFileWriter(path: files.text, kind: .storedText)
        fingerprints = try FingerprintFile.Writer(path: files.fingerprints)
    }

    var documentCount: Int { records.count }

    /// Adds a term (keys strictly increasing) with its doc stream's entries and its positions
    /// stream; a long doc stream gets its skip table (``SkipTable``) written before the entries.
    func addTerm(key: [UInt8], docFreq: Int, docs: [UInt8], positions positionBytes: [UInt8]) throws(IndexError) {
        let skips = SkipTable.encode(entries: docs, docFreq: docFreq, positional: TermKind(rawValue: key[0])?.hasPositions ?? true)
        if inBlock == Self.blockSize || termCount == 0 {
            inBlock = 0
            blockIndex.blob(key)
            blockIndex.vint(terms.count)
            blockIndex.vint(postings.payloadOffset)
            blockIndex.vint(positions.payloadOffset)
            blockCount += 1
            previousKey = []
        }
        var shared = 0
        while shared < min(previousKey.count, key.count), previousKey[shared] == key[shared] { shared += 1 }
        terms.vint(shared)
        terms.blob(key[shared...])
        terms.vint(docFreq)
        terms.vint(skips.count + docs.count)
        terms.vint(positionBytes.count)
        if !skips.isEmpty { try postings.write(skips) }
        try postings.write(docs)
        try positions.write(positionBytes)
        previousKey = key
        inBlock += 1
        termCount += 1
    }

    /// Adds the next document with its already compressed text and encoded fingerprints.
    func addDocument(_ record: StoredDocument, compressedText: UnsafeRawBufferPointer, fingerprints list: some Collection<UInt8>) throws(IndexError) {
        records.append((record, text.payloadOffset, compressedText.count))
        try text.write(compressedText)
        try fingerprints.add(list)
    }

    /// Writes the remaining files and fsyncs everything. Returns the document count.
    func finish() throws(IndexError) -> Int {
        try postings.finish()
        try positions.finish()
        try text.finish()
        try fingerprints.finish()

        let indexOffset = terms.count
        terms.append(blockIndex.bytes)
        terms.u64(UInt64(indexOffset))
        terms.u32(UInt32(termCount))
        terms.u32(UInt32(blockCount))
        terms.u32(UInt32(Self.blockSize))
        try FileSystem.writeDurably(files.terms, [FileFrame.frame(.terms, terms.bytes)])

        var body = ByteWriter(capacity: records.count * 128)
        var offsets: [Int] = []
        for (record, textOffset, compressed) in records {
            offsets.append(body.count)
            body.string(record.id)
            body.string(record.title)
            body.string(record.source)
            body.u64(record.contentHash)
            body.vint(record.wordCount)
            body.vint(record.textBytes)
            body.vint(textOffset)
            body.vint(compressed)
            body.vint(record.metadata.count)
            for (key, value) in record.metadata {
                body.string(key)
                body.string(value)
            }
        }
        offsets.append(body.count)
        var docs = ByteWriter(capacity: 16 + records.count * 12 + body.count)
        docs.u32(UInt32(records.count))
        docs.u32(0)
        docs.u64(UInt64(records.reduce(0) { $0 + $1.0.wordCount }))
        for (record, _, _) in records { docs.u32(UInt32(record.wordCount)) }
        let recordsStart = 16 + records.count * 4 + offsets.count * 8
        for offset in offsets { docs.u64(UInt64(recordsStart + offset)) }
        docs.append(body.bytes)
        try FileSystem.writeDurably(files.documents, [FileFrame.frame(.documents, docs.bytes)])
        return records.count
    }
}
