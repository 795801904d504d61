import TongwenAnalysis

/// Verifies an index from the manifest down: every file's frame and checksum (done by opening),
/// then every structural invariant a reader relies on. Throws at the first fault, naming the file
/// and byte offset.
public enum IndexChecker {
    public struct Report: Sendable {
        public var segments = 0
        /// Live documents (as `stats` counts them), and those deleted but still stored.
        public var documents = 0
        public var deletedDocuments = 0
        public var terms = 0
        public var postings = 0
        public var positions = 0
        public var fingerprints = 0
        public var files = 0
    }

    public static func check(_ directory: String) throws(IndexError) -> Report {
        let snapshot = try IndexSnapshot.open(directory)
        var report = Report()
        report.files = 1
        let analyzer: Analyzer
        do { analyzer = try Analyzer() } catch { throw .analyzerMismatch(detail: "cannot start the analyzer: \(error)") }
        for segment in snapshot.segments {
            report.segments += 1
            report.files += 6 + (segment.deletions == nil ? 0 : 1)
            try checkDocuments(segment.reader, analyzer, &report)
            try checkTerms(segment.reader, &report)
        }
        report.documents = snapshot.documentCount
        report.deletedDocuments = snapshot.segments.reduce(0) { $0 + $1.reader.documentCount } - report.documents
        return report
    }

    /// Each stored document: word counts, text length, and fingerprints equal to its text's own.
    static func checkDocuments(_ reader: SegmentReader, _ analyzer: Analyzer, _ report: inout Report) throws(IndexError) {
        var words = 0
        var fingerprintsEnd: Int?
        for doc in 0..<reader.documentCount {
            let record = try reader.document(doc)
            guard record.wordCount == reader.wordCount(doc) else {
                throw .corrupt(file: reader.files.documents, offset: FileFrame.headerSize, detail: "word count of document \(doc) disagrees with its record")
            }
            words += record.wordCount
            let text = try reader.text(doc)
            guard text.utf8.count == record.textBytes else {
                throw .corrupt(file: reader.files.text, offset: FileFrame.headerSize, detail: "text of '\(record.id)' has the wrong length")
            }
            // Fingerprint lists: contiguous, and equal to the text's own fingerprints.
            let range = try reader.fingerprintRange(doc)
            guard range.lowerBound == (fingerprintsEnd ?? FileFrame.headerSize) else {
                throw .corrupt(file: reader.files.fingerprints, offset: range.lowerBound, detail: "fingerprint list of document \(doc) does not follow the previous one")
            }
            fingerprintsEnd = range.upperBound
            let stored = try reader.fingerprints(doc)
            let comparison: DedupText
            do { comparison = try DedupText(text, analyzer: analyzer) } catch { throw .analyzerMismatch(detail: "\(error)") }
            guard stored == Winnowing.fingerprints(comparison.units) else {
                throw .corrupt(file: reader.files.fingerprints, offset: range.lowerBound, detail: "fingerprints of '\(record.id)' differ from its text's")
            }
            report.fingerprints += stored.count
        }
        guard words == reader.totalWords else {
            throw .corrupt(file: reader.files.documents, offset: FileFrame.headerSize + 8, detail: "total words \(reader.totalWords) ≠ sum of documents \(words)")
        }
    }

    /// The dictionary: known kinds, strictly ascending UTF-8 keys, contiguous postings covering the files.
    static func checkTerms(_ reader: SegmentReader, _ report: inout Report) throws(IndexError) {
        var cursor = try reader.terms()
        var previous: [UInt8]?
        var terms = 0
        var postingsEnd = 0, positionsEnd = 0
        var scratch: [Int32] = []
        while let (key, info) = try cursor.next() {
            guard let kind = key.first.flatMap(TermKind.init(rawValue:)), key.count > 1 else {
                throw .corrupt(file: reader.files.terms, offset: FileFrame.headerSize, detail: "term \(terms) has an unknown kind or is empty")
            }
            if let previous, !previous.lexicographicallyPrecedes(key) {
                throw .corrupt(file: reader.files.terms, offset: FileFrame.headerSize, detail: "terms out of order at term \(terms)")
            }
            guard String(validating: key.dropFirst(), as: UTF8.self) != nil else {
                throw .corrupt(file: reader.files.terms, offset: FileFrame.headerSize, detail: "term \(terms) is not UTF-8")
            }
            guard info.postings.lowerBound == postingsEnd, info.positions.lowerBound == positionsEnd,
                  kind.hasPositions || info.positions.isEmpty else {
                throw .corrupt(file: reader.files.terms, offset: FileFrame.headerSize, detail: "postings of term \(terms) are not contiguous")
            }
            postingsEnd = info.postings.upperBound
            positionsEnd = info.positions.upperBound
            try checkPostings(reader, info, kind: kind, term: terms, &report, scratch: &scratch)
            previous = key
            terms += 1
        }
        guard terms == reader.termCount, postingsEnd == reader.postingsPayload.count, positionsEnd == reader.positionsPayload.count else {
            throw .corrupt(file: reader.files.terms, offset: FileFrame.headerSize,
                           detail: "dictionary covers \(terms) terms / \(postingsEnd) postings bytes / \(positionsEnd) positions bytes; the files hold \(reader.termCount) / \(reader.postingsPayload.count) / \(reader.positionsPayload.count)")
        }
        report.terms += terms
    }

    /// One term's postings: as many documents as the dictionary says, positions contiguous and
    /// strictly increasing within each document.
    static func checkPostings(_ reader: SegmentReader, _ info: TermInfo, kind: TermKind, term: Int, _ report: inout Report,
                              scratch: inout [Int32]) throws(IndexError) {
        var iterator = try reader.postings(info, positional: kind.hasPositions)
        let skips = try reader.skipEntries(info)
        var docs = 0
        var positionsSeen = 0
        var previous = -1
        while true {
            let entryOffset = iterator.entryOffset
            guard let (doc, tf, range) = try iterator.next() else { break }
            if docs > 0 && docs % SkipTable.interval == 0 {
                let expected = SkipTable.Entry(lastDoc: Int32(previous), entryOffset: Int32(entryOffset), positionsOffset: Int32(positionsSeen))
                guard docs / SkipTable.interval <= skips.count, skips[docs / SkipTable.interval - 1] == expected else {
                    throw .corrupt(file: reader.files.postings, offset: reader.postingsPayload.lowerBound + info.postings.lowerBound,
                                   detail: "term \(term): skip entry \(docs / SkipTable.interval - 1) does not match its block")
                }
            }
            previous = doc
            docs += 1
            guard kind.hasPositions else { continue }
            guard range.lowerBound == positionsSeen else {
                throw .corrupt(file: reader.files.postings, offset: reader.postingsPayload.lowerBound + info.postings.lowerBound,
                               detail: "positions of document \(doc) are not contiguous")
            }
            positionsSeen = range.upperBound
            try reader.decodePositions(info, range, count: tf, into: &scratch)
            for i in 1..<max(1, scratch.count) where scratch[i] <= scratch[i - 1] {
                throw .corrupt(file: reader.files.positions, offset: reader.positionsPayload.lowerBound + info.positions.lowerBound + range.lowerBound,
                               detail: "positions not increasing in document \(doc)")
            }
            report.positions += tf
        }
        guard docs == info.docFreq, positionsSeen == info.positions.count else {
            throw .corrupt(file: reader.files.postings, offset: reader.postingsPayload.lowerBound + info.postings.lowerBound,
                           detail: "term \(term): \(docs) documents decoded, the dictionary says \(info.docFreq)")
        }
        report.postings += docs
    }
}
