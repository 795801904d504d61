import TongwenAnalysis

/// Builds one segment in memory: interns terms to integer ids, appends each term's postings as
/// LEB128 deltas to its own byte buffers (no per-posting objects), and keeps the documents'
/// records and compressed text. ``SegmentFilesWriter`` turns it into files.
final class SegmentBuilder {
    /// The segment's terms (the builder's own thread's term ids).
    private let ownTerms = ThreadTerms()
    private var lists = PostingLists()

    // Documents.
    private(set) var records: [StoredDocument] = []
    private(set) var text: [UInt8] = []
    private(set) var textSpans: [(offset: Int, compressed: Int, length: Int)] = []
    private(set) var fingerprints: [UInt8] = []
    private(set) var fingerprintSpans: [Range<Int>] = []

    var documentCount: Int { records.count }
    var termCount: Int { ownTerms.dictionary.count }

    /// A rough count of the memory held, for flushing at a RAM budget: postings bytes plus about
    /// 100 bytes of bookkeeping per term, the compressed text and the records.
    var estimatedBytes: Int {
        lists.bytes + ownTerms.dictionary.memory + termCount * 88 + text.count + fingerprints.count + records.count * 256
    }

    /// Adds a document with its analysis, alternates and fingerprints; returns its segment-local id.
    @discardableResult
    func add(_ document: IndexDocument, _ analysis: Analysis, alternates: [Variants.Alternate], fingerprints list: [Winnowing.Fingerprint], analyzer: Analyzer) -> Int {
        let utf8 = Array(document.text.utf8)
        let occurrences = ownTerms.occurrences(analysis, alternates, analyzer)
        return append(document, occurrences, mapping: nil, fingerprints: list, wordCount: analysis.segments.count,
                      compressedText: PreparedDocument.deflate(utf8), textBytes: utf8.count)
    }

    /// Adds a document another thread prepared. `terms` are all the terms that thread has handed
    /// over (by its term ids, this document's new ones last), `mapping` their ids in this builder
    /// (-1 where not yet needed, or missing: empty it for a new builder); the document's are set.
    @discardableResult
    func add(_ document: IndexDocument, _ prepared: PreparedDocument, terms: PreparedDocument.NewTerms, mapping: inout [Int32]) -> Int {
        if mapping.count < terms.count { mapping += repeatElement(-1, count: terms.count - mapping.count) }
        for local in prepared.occurrences.terms where mapping[Int(local)] < 0 {
            mapping[Int(local)] = terms.withTerm(Int(local)) { kind, units in ownTerms.intern(kind, units) }
        }
        return append(document, prepared.occurrences, mapping: mapping, fingerprints: prepared.fingerprints, wordCount: prepared.wordCount,
                      compressedText: prepared.compressedText, textBytes: prepared.textBytes)
    }

    private func append(_ document: IndexDocument, _ occurrences: Occurrences, mapping: [Int32]?, fingerprints list: [Winnowing.Fingerprint],
                        wordCount: Int, compressedText: [UInt8], textBytes: Int) -> Int {
        let doc = Int32(records.count)
        lists.add(doc: doc, occurrences, mapping: mapping, kinds: ownTerms.dictionary.termKind)
        textSpans.append((text.count, compressedText.count, textBytes))
        text.append(contentsOf: compressedText)
        let start = fingerprints.count
        fingerprints.append(contentsOf: FingerprintFile.encode(list))
        fingerprintSpans.append(start..<fingerprints.count)
        records.append(StoredDocument(
            id: document.id, title: document.title, source: document.source,
            metadata: document.metadata.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) },
            contentHash: document.contentHash, wordCount: wordCount, textBytes: textBytes))
        return Int(doc)
    }

    /// Term ids in key order (kind byte, then UTF-8 of the text), with their keys.
    func sortedTerms() -> [(id: Int, key: [UInt8])] {
        var keyed: [(id: Int, key: [UInt8])] = []
        keyed.reserveCapacity(termCount)
        for id in 0..<termCount where lists.states[id].docFreq > 0 {
            keyed.append((id, [ownTerms.dictionary.termKind[id].rawValue] + Array(ownTerms.dictionary.text(id).utf8)))
        }
        keyed.sort { compareKeys($0.key, $1.key) < 0 }
        return keyed
    }
}

extension SegmentBuilder {
    /// Writes the builder's segment to `files` (fsynced, not yet part of any commit).
    func write(to files: SegmentFiles) throws(IndexError) -> Int {
        let writer = try SegmentFilesWriter(files)
        for (id, key) in sortedTerms() {
            try writer.addTerm(key: key, docFreq: Int(lists.states[id].docFreq), docs: lists.docs[id], positions: lists.positions[id])
        }
        for (i, record) in records.enumerated() {
            let span = textSpans[i]
            let result = text.withUnsafeBytes { all in
                Result { () throws(IndexError) in
                    try writer.addDocument(record, compressedText: UnsafeRawBufferPointer(rebasing: all[span.offset..<(span.offset + span.compressed)]),
                                           fingerprints: fingerprints[fingerprintSpans[i]])
                }
            }
            try result.get()
        }
        return try writer.finish()
    }
}

