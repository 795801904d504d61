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
    /// Pairs of adjacent Han characters (`B`).
    public var hanBigramTerms: Int
    public var hanWordTerms: Int
    public var otherWordTerms: Int
    /// Punctuation and symbols (`P`), Han character and symbol pairs (`Q`), cross-strait alternates (`V`).
    public var symbolTerms: Int
    public var hanSymbolTerms: Int
    public var alternateTerms: Int
    /// Pairs read from alternates (`C` and `R` terms).
    public var alternatePairTerms: Int
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
        var bytes: [String: Int] = ["manifest": snapshot.directories.map { FileSystem.size(SegmentFiles.manifest($0)) }.reduce(0, +)]
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
        hanBigramTerms = counts[TermKind.hanBigram.rawValue] ?? 0
        hanWordTerms = counts[TermKind.hanWord.rawValue] ?? 0
        otherWordTerms = counts[TermKind.word.rawValue] ?? 0
        symbolTerms = counts[TermKind.symbol.rawValue] ?? 0
        hanSymbolTerms = counts[TermKind.hanSymbol.rawValue] ?? 0
        alternateTerms = counts[TermKind.hanVariant.rawValue] ?? 0
        alternatePairTerms = (counts[TermKind.hanVariantBigram.rawValue] ?? 0) + (counts[TermKind.hanVariantSymbol.rawValue] ?? 0)
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
