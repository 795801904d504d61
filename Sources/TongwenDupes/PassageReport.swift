import TongwenAnalysis

/// Stage 5: the report's passages from the clusters, and per document the comparison units its
/// repeated and its boilerplate passages cover (for the ratios and the masks). Passages are
/// ranked here, on units alone; their members are located in the original texts later, when
/// each document is read again (``locations``, then ``passages(_:)``).
struct PassageReport {
    /// A passage before its members are located: its copies (regions, sorted by document and
    /// start) and how it ranks.
    struct Found {
        var regions: [PassageFinder.Region]
        var documents: Int
        /// The copy that stands for the passage: its shortest (the first of those), so its text
        /// is what every copy shares; the others may reach a little further into their context.
        var representative: Int
        var kind: String
        var normLength: Int { regions[representative].count }
    }

    var found: [Found] = []
    var repeatUnits: [[Range<Int>]]
    var boilerplateUnits: [[Range<Int>]]

    init(_ result: PassageFinder.Result, near: [NearDuplicateFinder.Pair], documentCount: Int, minDocuments: Int) {
        repeatUnits = Array(repeating: [], count: documentCount)
        boilerplateUnits = repeatUnits
        let nearSet = Set(near.map { [$0.a, $0.b] })
        for cluster in result.clusters {
            let regions = Self.disjoint(cluster.map { result.regions[$0] })
            let docs = Set(regions.map(\.doc))
            guard docs.count >= minDocuments || (minDocuments <= 2 && regions.count >= 2) else { continue }
            let kind = docs.count >= 3 ? "boilerplate" : (docs.count == 2 && nearSet.contains(docs.sorted()) ? "reuse" : "repeat")
            for r in regions {
                repeatUnits[r.doc].append(r.start..<r.end)
                if kind == "boilerplate" { boilerplateUnits[r.doc].append(r.start..<r.end) }
            }
            let shortest = regions.indices.min { (regions[$0].count, $0) < (regions[$1].count, $1) } ?? 0
            found.append(Found(regions: regions, documents: docs.count, representative: shortest, kind: kind))
        }
        // Most widespread first; ties by the first copy's place, so the order is always the same.
        found.sort {
            let x = ($0.documents * $0.normLength, $0.regions.count, $0.normLength), y = ($1.documents * $1.normLength, $1.regions.count, $1.normLength)
            return x != y ? x > y : ($0.regions[0].doc, $0.regions[0].start) < ($1.regions[0].doc, $1.regions[0].start)
        }
    }

    /// Per document, the unit ranges of the members it holds, in passage order, and whether
    /// the member's text is wanted (a passage's representative copy).
    var locations: [[(units: Range<Int>, text: Bool)]] {
        var wanted = [[(units: Range<Int>, text: Bool)]](repeating: [], count: repeatUnits.count)
        for passage in found {
            for (k, r) in passage.regions.enumerated() { wanted[r.doc].append((r.start..<r.end, k == passage.representative)) }
        }
        return wanted
    }

    /// A copy located in its document's original text, as the last stage keeps it until the report
    /// (40 bytes; the report's member names its document too).
    struct Copy {
        var start: Int32, end: Int32, startByte: Int32, endByte: Int32
        var traditional: Bool
        /// Its original text, when it stands for its passage.
        var text: String?
    }

    /// The passages (ids from 1 in rank order), given per document (named by `ids`) its copies
    /// located in the order of ``locations``; each document's list is released once taken.
    func passages(_ located: inout [[Copy]], ids: [String]) -> [DupesReport.Passage] {
        var next = [Int](repeating: 0, count: located.count)
        return found.enumerated().map { i, passage in
            var text = ""
            let members = passage.regions.map { r -> DupesReport.Member in
                defer {
                    next[r.doc] += 1
                    if next[r.doc] == located[r.doc].count { located[r.doc] = [] }
                }
                let copy = located[r.doc][next[r.doc]]
                if let t = copy.text { text = t }
                return DupesReport.Member(doc: ids[r.doc], start: Int(copy.start), end: Int(copy.end), startByte: Int(copy.startByte),
                                          endByte: Int(copy.endByte), script: copy.traditional ? "Hant" : "Hans")
            }
            return DupesReport.Passage(id: i + 1, text: text, normLength: passage.normLength, documents: passage.documents,
                                       occurrences: members.count, kind: passage.kind, members: members)
        }
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

    /// One copy of a passage, `units` of a document, located in its original text (characters
    /// and UTF-8 bytes), with that text when `withText`.
    static func copy(_ units: Range<Int>, withText: Bool, _ document: ReadDocument, _ index: CharacterIndex,
                     _ table: NormalizationTable) -> Copy {
        let bytes = document.text.byteRange(units)
        let slice = String(decoding: document.utf8[bytes], as: UTF8.self)
        return Copy(start: Int32(index.character(atByte: bytes.lowerBound)), end: Int32(index.character(atByte: bytes.upperBound)),
                    startByte: Int32(bytes.lowerBound), endByte: Int32(bytes.upperBound), traditional: script(slice, table) == "Hant",
                    text: withText ? slice : nil)
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
