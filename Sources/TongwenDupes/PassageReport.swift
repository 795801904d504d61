import TongwenAnalysis

/// Stage 5: the report's passages from the clusters, and per document the comparison units its
/// repeated and its boilerplate passages cover (for the ratios and the masks).
struct PassageReport {
    var passages: [DupesReport.Passage] = []
    var repeatUnits: [[Range<Int>]]
    var boilerplateUnits: [[Range<Int>]]
    /// Character indexes built for the members' offsets, kept for the per-document stage.
    var characterIndexes: [Int: CharacterIndex] = [:]

    init(_ found: PassageFinder.Result, near: [NearDuplicateFinder.Pair], _ corpus: DupesCorpus) {
        repeatUnits = Array(repeating: [], count: corpus.documents.count)
        boilerplateUnits = repeatUnits
        let nearSet = Set(near.map { [$0.a, $0.b] })
        let minDocuments = corpus.options.minDocuments
        for cluster in found.clusters {
            let regions = Self.disjoint(cluster.map { found.regions[$0] })
            let docs = Set(regions.map(\.doc))
            guard docs.count >= minDocuments || (minDocuments <= 2 && regions.count >= 2) else { continue }
            let kind = docs.count >= 3 ? "boilerplate" : (docs.count == 2 && nearSet.contains(docs.sorted()) ? "reuse" : "repeat")
            for r in regions {
                repeatUnits[r.doc].append(r.start..<r.end)
                if kind == "boilerplate" { boilerplateUnits[r.doc].append(r.start..<r.end) }
            }
            let members = regions.map { member($0, corpus) }
            let first = members[0]
            passages.append(DupesReport.Passage(
                id: 0, text: String(decoding: corpus.utf8[regions[0].doc][first.startByte..<first.endByte], as: UTF8.self),
                normLength: regions.map(\.count).max() ?? 0, documents: docs.count, occurrences: regions.count, kind: kind, members: members))
        }
        passages.sort { ($0.documents * $0.normLength, $0.occurrences, $0.normLength) > ($1.documents * $1.normLength, $1.occurrences, $1.normLength) }
        for i in passages.indices { passages[i].id = i + 1 }
    }

    /// A cluster's regions with the overlapping ones of a document joined: copies of one passage
    /// never overlap (a sub-span that joined the cluster on its own may overlap its region).
    static func disjoint(_ regions: [PassageFinder.Region]) -> [PassageFinder.Region] {
        var result: [PassageFinder.Region] = []
        for r in regions.sorted(by: { ($0.doc, $0.start) < ($1.doc, $1.start) }) {
            if var last = result.last, last.doc == r.doc, r.start < last.end {
                last.end = max(last.end, r.end)
                last.coreStart = min(last.coreStart, r.coreStart)
                last.coreEnd = max(last.coreEnd, r.coreEnd)
                result[result.count - 1] = last
            } else {
                result.append(r)
            }
        }
        return result
    }

    /// One copy of a passage, located in the original text (characters and UTF-8 bytes).
    private mutating func member(_ region: PassageFinder.Region, _ corpus: DupesCorpus) -> DupesReport.Member {
        let bytes = corpus.texts[region.doc].byteRange(region.start..<region.end)
        let index = characterIndexes[region.doc] ?? CharacterIndex(utf8: corpus.utf8[region.doc])
        characterIndexes[region.doc] = index
        let slice = String(decoding: corpus.utf8[region.doc][bytes], as: UTF8.self)
        return DupesReport.Member(doc: corpus.documents[region.doc].id, start: index.character(atByte: bytes.lowerBound),
                                  end: index.character(atByte: bytes.upperBound), startByte: bytes.lowerBound,
                                  endByte: bytes.upperBound, script: Self.script(slice, corpus.table))
    }

    /// `Hant` when some Han character of `text` changes under Traditional → Simplified.
    static func script(_ text: String, _ table: NormalizationTable) -> String {
        for scalar in text.unicodeScalars where table.isHan(scalar.value) {
            var changed = false
            table.normalize(scalar.value) { changed = changed || $0 != scalar.value }
            if changed { return "Hant" }
        }
        return "Hans"
    }
}
