import TongwenAnalysis

/// Figures about an index, for `tongwen stats`.
public struct IndexStatistics: Sendable, Codable {
    public var generation: UInt64
    public var documents: Int
    public var deletedDocuments: Int
    public var segments: Int
    /// Distinct terms across segments, by kind.
    public var terms: Int
    public var hanCharacterTerms: Int
    public var hanWordTerms: Int
    public var otherWordTerms: Int
    /// Punctuation and symbols (`P`), Han character and symbol pairs (`Q`), cross-strait alternates (`V`).
    public var symbolTerms: Int
    public var hanSymbolTerms: Int
    public var alternateTerms: Int
    /// Bytes on disk per file kind (manifest, documents, text, terms, postings, positions,
    /// fingerprints, deletes).
    public var bytesByKind: [String: Int]
    public var indexBytes: Int
    public var indexBytesWithoutText: Int
    /// What search reads: the index without stored text and without the duplicate finder's fingerprints.
    public var searchIndexBytes: Int
    /// UTF-8 bytes of the live documents' original text.
    public var rawTextBytes: Int
    public var icuVersion: String
    /// The OpenCC dictionaries the index was built with.
    public var openccVersion: String
    public var normalizationTable: String

    public var ratioWithoutText: Double { rawTextBytes == 0 ? 0 : Double(indexBytesWithoutText) / Double(rawTextBytes) }
    public var searchRatio: Double { rawTextBytes == 0 ? 0 : Double(searchIndexBytes) / Double(rawTextBytes) }
    public var ratio: Double { rawTextBytes == 0 ? 0 : Double(indexBytes) / Double(rawTextBytes) }

    /// Gathers the statistics of a snapshot.
    public init(_ snapshot: IndexSnapshot) throws(IndexError) {
        generation = snapshot.generation
        documents = snapshot.documentCount
        deletedDocuments = snapshot.documentSlots - snapshot.documentCount
        segments = snapshot.segments.count
        icuVersion = snapshot.icuVersion
        openccVersion = snapshot.openccVersion
        normalizationTable = String(snapshot.tableChecksum, radix: 16)
        var bytes: [String: Int] = ["manifest": FileSystem.size(SegmentFiles.manifest(snapshot.directory))]
        var raw = 0
        for segment in snapshot.segments {
            for (kind, size) in segment.reader.fileSizes { bytes[Self.name(kind), default: 0] += size }
            if let d = segment.deletions {
                bytes["deletes", default: 0] += FileFrame.headerSize + FileFrame.footerSize + 8 + d.bits.count * 8
            }
            for doc in 0..<segment.reader.documentCount where !segment.isDeleted(doc) {
                raw += try segment.reader.document(doc).textBytes
            }
        }
        bytesByKind = bytes
        indexBytes = bytes.values.reduce(0, +)
        indexBytesWithoutText = indexBytes - (bytes["text"] ?? 0)
        searchIndexBytes = indexBytesWithoutText - (bytes["fingerprints"] ?? 0)
        rawTextBytes = raw

        // Distinct terms: a k-way walk over the segments' sorted dictionaries.
        var merged = try MergedTerms(snapshot.segments.map(\.reader))
        var counts: [UInt8: Int] = [:]
        while let (key, _) = try merged.next() { counts[key[0], default: 0] += 1 }
        hanCharacterTerms = counts[TermKind.han.rawValue] ?? 0
        hanWordTerms = counts[TermKind.hanWord.rawValue] ?? 0
        otherWordTerms = counts[TermKind.word.rawValue] ?? 0
        symbolTerms = counts[TermKind.symbol.rawValue] ?? 0
        hanSymbolTerms = counts[TermKind.hanSymbol.rawValue] ?? 0
        alternateTerms = counts[TermKind.hanVariant.rawValue] ?? 0
        terms = counts.values.reduce(0, +)
    }

    static func name(_ kind: FileFrame.Kind) -> String {
        switch kind {
        case .manifest: "manifest"
        case .documents: "documents"
        case .storedText: "text"
        case .terms: "terms"
        case .postings: "postings"
        case .positions: "positions"
        case .deletes: "deletes"
        case .fingerprints: "fingerprints"
        case .sideFile: "side files"
        }
    }
}

/// Verifies an index from the manifest down: every file's frame and checksum (done by opening),
/// then every structural invariant a reader relies on. Throws at the first fault, naming the file
/// and byte offset.
public enum IndexChecker {
    public struct Report: Sendable {
        public var segments = 0
        public var documents = 0
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
        var scratch: [Int32] = []
        let analyzer: Analyzer
        do { analyzer = try Analyzer() } catch { throw .analyzerMismatch(detail: "cannot start the analyzer: \(error)") }
        for segment in snapshot.segments {
            let reader = segment.reader
            report.segments += 1
            report.files += 6 + (segment.deletions == nil ? 0 : 1)
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
                report.documents += 1
            }
            guard words == reader.totalWords else {
                throw .corrupt(file: reader.files.documents, offset: FileFrame.headerSize + 8, detail: "total words \(reader.totalWords) ≠ sum of documents \(words)")
            }
            var cursor = try reader.terms()
            var previous: [UInt8]?
            var terms = 0
            var postingsEnd = 0, positionsEnd = 0
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
                var iterator = reader.postings(info, positional: kind.hasPositions)
                var docs = 0
                var positionsSeen = 0
                while let (doc, tf, range) = try iterator.next() {
                    docs += 1
                    if kind.hasPositions {
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
                }
                guard docs == info.docFreq, positionsSeen == info.positions.count else {
                    throw .corrupt(file: reader.files.postings, offset: reader.postingsPayload.lowerBound + info.postings.lowerBound,
                                   detail: "term \(terms): \(docs) documents decoded, the dictionary says \(info.docFreq)")
                }
                report.postings += docs
                previous = key
                terms += 1
            }
            guard terms == reader.termCount, postingsEnd == reader.postingsPayload.count, positionsEnd == reader.positionsPayload.count else {
                throw .corrupt(file: reader.files.terms, offset: FileFrame.headerSize,
                               detail: "dictionary covers \(terms) terms / \(postingsEnd) postings bytes / \(positionsEnd) positions bytes; the files hold \(reader.termCount) / \(reader.postingsPayload.count) / \(reader.positionsPayload.count)")
            }
            report.terms += terms
        }
        return report
    }
}
