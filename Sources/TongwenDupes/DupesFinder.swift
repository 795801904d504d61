import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TongwenAnalysis
import TongwenIndex

/// Options of a duplicate-boilerplate run.
public struct DupesOptions: Sendable {
    /// Shortest repeated passage, in normalized characters.
    public var minCharacters = 20
    /// Fewest documents a passage must be in (2 also admits a passage repeated inside one document).
    public var minDocuments = 2
    /// Fuzzy mode: copies may differ by small edits (similarity ≥ 0.85); exact mode requires 1.0.
    public var fuzzy = true

    public init(minCharacters: Int = 20, minDocuments: Int = 2, fuzzy: Bool = true) {
        self.minCharacters = minCharacters
        self.minDocuments = minDocuments
        self.fuzzy = fuzzy
    }

    /// The options of the saved report and state (no --min-chars, --min-docs or --exact).
    public var isDefault: Bool { minCharacters == 20 && minDocuments == 2 && fuzzy }
}

/// What `tongwen dupes` reports (the JSON shape is documented in the README). Offsets point into
/// the ORIGINAL texts: `start`/`end` in characters, `startByte`/`endByte` in UTF-8 bytes.
public struct DupesReport: Sendable, Codable {
    public struct Member: Sendable, Codable {
        public var doc: String
        public var start: Int
        public var end: Int
        public var startByte: Int
        public var endByte: Int
        /// `Hant` when the copy has Traditional-only characters, `Hans` otherwise.
        public var script: String
    }

    public struct Passage: Sendable, Codable {
        public var id: Int
        /// The first copy's original text.
        public var text: String
        public var normLength: Int
        /// Distinct documents holding a copy.
        public var documents: Int
        public var occurrences: Int
        /// `boilerplate` (≥ 3 documents), `reuse` (2 documents that are near-duplicates), `repeat`.
        public var kind: String
        public var members: [Member]
    }

    public struct StockPhrase: Sendable, Codable {
        public var text: String
        public var normLength: Int
        public var documents: Int
    }

    public struct NearDuplicate: Sendable, Codable {
        public var a: String
        public var b: String
        public var jaccard: Double
        public var containment: Double
    }

    public struct Span: Sendable, Codable {
        public var start: Int
        public var end: Int
        public var startByte: Int
        public var endByte: Int
        public var rule: String
        public var text: String
    }

    public struct Document: Sendable, Codable {
        public var doc: String
        /// Normalized characters (punctuation and spaces not counted).
        public var characters: Int
        public var boilerplateRatio: Double
        public var repeatRatio: Double
        public var chromeRatio: Double
        public var chrome: [Span]
        public var markup: [Span]
    }

    public var passages: [Passage]
    public var stockPhrases: [StockPhrase]
    public var nearDuplicates: [NearDuplicate]
    /// Groups of near-duplicate documents (connected by the pairs above).
    public var nearDuplicateClusters: [[String]]
    public var documents: [Document]
}

/// Finds duplicate boilerplate: repeated passages, near-duplicate documents and page chrome.
public enum DupesFinder {
    /// A document to compare: its identity, original text and (when an index stored them) fingerprints.
    struct Input {
        var id: String
        var contentHash: UInt64
        var text: String
        var fingerprints: [Winnowing.Fingerprint]?
    }

    /// Runs over every live document of an index snapshot, with the fingerprints the index stores.
    /// With default options and `incremental`, it reuses the state the previous run saved beside
    /// the index (``DupesState``): only document pairs with a new or changed document are compared,
    /// then everything is clustered again. With `save` (and default options) it then saves the new
    /// state and the ranking masks (``BoilerplateMasks``) beside the index; without, it writes
    /// nothing: read paths (search, the server, a report) never change the index folder.
    public static func run(_ snapshot: IndexSnapshot, options: DupesOptions = DupesOptions(), incremental: Bool = true, save: Bool = false) throws -> DupesReport {
        DebugTiming.mark("start")
        let live = snapshot.liveDocuments
        let loaded = parallelMap(live.count) { i, _ in
            Result { () throws(IndexError) in
                let record = try snapshot.document(live[i])
                return Input(id: record.id, contentHash: record.contentHash, text: try snapshot.text(live[i]),
                             fingerprints: try snapshot.fingerprints(live[i]))
            }
        }
        let inputs = try loaded.map { try $0.get() }
        DebugTiming.mark("load")
        let (report, state, masks) = try run(inputs, options: options, previous: incremental && options.isDefault ? DupesState.load(snapshot.directory) : nil)
        if save && options.isDefault {
            // Caches: failing to write them costs only time (state) or ranking quality (masks) later.
            try? state.save(snapshot.directory)
            try? masks.save(snapshot.directory)
        }
        DebugTiming.mark("save state")
        return report
    }

    /// Runs over documents given as (id, original text), fingerprinting them here.
    public static func run(_ documents: [(id: String, text: String)], options: DupesOptions = DupesOptions()) throws -> DupesReport {
        let inputs = documents.map { Input(id: $0.id, contentHash: contentHash(Array($0.text.utf8)), text: $0.text, fingerprints: nil) }
        return try run(inputs, options: options, previous: nil).report
    }

    static func run(_ documents: [Input], options: DupesOptions, previous: DupesState?) throws -> (report: DupesReport, state: DupesState, masks: BoilerplateMasks) {
        let analyzer = try Analyzer()
        // The comparison texts, on both cores (an analyzer each: they keep scratch state).
        let second = try Analyzer(table: analyzer.table)
        let texts = try parallelMap(documents.count) { i, worker in
            Result { () throws(AnalysisError) in try DedupText(documents[i].text, analyzer: worker == 0 ? analyzer : second) }
        }.map { try $0.get() }
        let utf8 = documents.map { Array($0.text.utf8) }
        let units = texts.map(\.units)
        let fingerprints = documents.indices.map { documents[$0].fingerprints ?? Winnowing.fingerprints(units[$0]) }
        DebugTiming.mark("dedupText")

        // What the previous run already compared: documents with the same id and content.
        let before = previous?.documentIndex ?? [:]
        let old: [Int?] = documents.map { before[DupesState.Key(id: $0.id, contentHash: $0.contentHash)] }
        let isNew = old.map { $0 == nil }
        let incremental = isNew.contains(false)
        // In an incremental run only the hashes a new document has can seed a pair with one.
        var newHashes: Set<UInt32>?
        if incremental {
            newHashes = Set(documents.indices.filter { isNew[$0] }.flatMap { fingerprints[$0].map(\.hash) })
        }
        var seeds: [PassageFinder.Seed] = []
        seeds.reserveCapacity(incremental ? 0 : fingerprints.reduce(0) { $0 + $1.count })
        for (doc, list) in fingerprints.enumerated() {
            for f in list where newHashes?.contains(f.hash) ?? true { seeds.append(.init(hash: f.hash, doc: Int32(doc), position: f.position)) }
        }
        seeds.sort()
        DebugTiming.mark("seeds (\(seeds.count), \(isNew.count(where: { $0 })) new documents)")

        var finder = PassageFinder()
        finder.minLength = options.minCharacters
        finder.minSimilarity = options.fuzzy ? 0.85 : 1.0
        if !options.fuzzy {
            finder.maxGap = -1
            finder.extendThroughEdits = false
        }
        var pairs = finder.pairwise(units, seeds: seeds, isNew: incremental ? isNew : nil)
        DebugTiming.mark("pairwise")
        var distinct: [Int: Int] = [:]
        func distinctHashes(_ doc: Int) -> Int {
            if let known = distinct[doc] { return known }
            let count = Set(fingerprints[doc].map(\.hash)).count
            distinct[doc] = count
            return count
        }
        var nearPairs = NearDuplicateFinder().find(units, seeds: seeds, distinct: distinctHashes, isNew: incremental ? isNew : nil)
        if let previous, incremental {
            previous.carryOver(to: old, lengths: units.map(\.count), pairs: &pairs, near: &nearPairs)
        }
        nearPairs.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        DebugTiming.mark("near")
        let found = finder.cluster(pairs)
        let nearSet = Set(nearPairs.map { [$0.a, $0.b] })
        DebugTiming.mark("cluster (\(pairs.alignments.count) alignments, \(pairs.shortMatches.count) short matches, \(found.regions.count) regions)")

        var characterIndexes: [Int: CharacterIndex] = [:]
        func characters(_ doc: Int) -> CharacterIndex {
            if let c = characterIndexes[doc] { return c }
            let c = CharacterIndex(utf8: utf8[doc])
            characterIndexes[doc] = c
            return c
        }
        func member(_ region: PassageFinder.Region) -> DupesReport.Member {
            let bytes = texts[region.doc].byteRange(region.start..<region.end)
            let index = characters(region.doc)
            let slice = String(decoding: utf8[region.doc][bytes], as: UTF8.self)
            return DupesReport.Member(doc: documents[region.doc].id, start: index.character(atByte: bytes.lowerBound),
                                      end: index.character(atByte: bytes.upperBound), startByte: bytes.lowerBound,
                                      endByte: bytes.upperBound, script: script(slice, analyzer.table))
        }

        // Passages.
        var passages: [DupesReport.Passage] = []
        var repeatUnits = [[Range<Int>]](repeating: [], count: documents.count)
        var boilerplateUnits = [[Range<Int>]](repeating: [], count: documents.count)
        for cluster in found.clusters {
            let regions = cluster.map { found.regions[$0] }
            let docs = Set(regions.map(\.doc))
            guard docs.count >= options.minDocuments || (options.minDocuments <= 2 && regions.count >= 2) else { continue }
            let kind = docs.count >= 3 ? "boilerplate" : (docs.count == 2 && nearSet.contains(docs.sorted()) ? "reuse" : "repeat")
            for r in regions {
                repeatUnits[r.doc].append(r.start..<r.end)
                if kind == "boilerplate" { boilerplateUnits[r.doc].append(r.start..<r.end) }
            }
            let members = regions.map(member)
            let first = members[0]
            passages.append(DupesReport.Passage(
                id: 0, text: String(decoding: utf8[regions[0].doc][first.startByte..<first.endByte], as: UTF8.self),
                normLength: regions.map(\.count).max() ?? 0, documents: docs.count, occurrences: regions.count, kind: kind, members: members))
        }
        passages.sort { ($0.documents * $0.normLength, $0.occurrences, $0.normLength) > ($1.documents * $1.normLength, $1.occurrences, $1.normLength) }
        for i in passages.indices { passages[i].id = i + 1 }

        DebugTiming.mark("passage report")
        // Stock phrases: short exact repeats (k to minCharacters-1 units) in many documents.
        var phraseDocs: [[UInt32]: (docs: Set<Int>, example: (Int, Range<Int>))] = [:]
        for m in found.shortMatches {
            let key = Array(units[Int(m.a)][Int(m.sa)..<Int(m.ea)])
            var entry = phraseDocs[key] ?? ([], (Int(m.a), Int(m.sa)..<Int(m.ea)))
            entry.docs.insert(Int(m.a))
            entry.docs.insert(Int(m.b))
            phraseDocs[key] = entry
        }
        let phraseThreshold = max(3, (documents.count + 99) / 100)
        var stock = phraseDocs.filter { $0.value.docs.count >= phraseThreshold }.mapValues { ($0.docs.count, $0.example) }
        // And whole clauses of 4–19 characters (between punctuation) in as many documents.
        for (key, value) in StockPhrases.frequentClauses(texts, minDocuments: phraseThreshold) where (stock[key]?.0 ?? 0) < value.documents {
            stock[key] = (value.documents, value.example)
        }
        // Phrases are words: mostly Han characters, not numbers, markup or URLs.
        stock = stock.filter { key, _ in
            let han = key.count { analyzer.table.isHan($0) }
            return han >= 3 && han * 3 >= key.count * 2
        }
        let stockPhrases = stock.map { key, value -> DupesReport.StockPhrase in
            let (doc, range) = value.1
            let bytes = texts[doc].byteRange(range)
            return DupesReport.StockPhrase(text: String(decoding: utf8[doc][bytes], as: UTF8.self),
                                           normLength: key.count, documents: value.0)
        }.sorted { ($0.documents, $0.normLength, $0.text) > ($1.documents, $1.normLength, $1.text) }

        // Near-duplicate clusters.
        var sets = UnionFind(count: documents.count)
        for p in nearPairs { sets.union(p.a, p.b) }
        var groups: [Int: [String]] = [:]
        for p in nearPairs {
            for d in [p.a, p.b] where !(groups[sets.root(d)]?.contains(documents[d].id) ?? false) { groups[sets.root(d), default: []].append(documents[d].id) }
        }

        DebugTiming.mark("stock+clusters")
        // Per document: chrome, markup, ratios, masks (on both cores).
        let perDocument = parallelMap(documents.count) { doc, worker in
            let document = documents[doc]
            let (chrome, markup) = old[doc].map { previous!.documents[$0].chrome }
                ?? ChromeRules.find(document.text, analyzer: worker == 0 ? analyzer : second)
            let index = characterIndexes[doc] ?? CharacterIndex(utf8: utf8[doc])
            let bytes = utf8[doc]
            func span(_ s: ChromeRules.Segment) -> DupesReport.Span {
                DupesReport.Span(start: index.character(atByte: s.startByte), end: index.character(atByte: s.endByte),
                                 startByte: s.startByte, endByte: s.endByte, rule: s.rule,
                                 text: String(decoding: bytes[s.startByte..<s.endByte], as: UTF8.self))
            }
            let chromeUnits = chrome.map { unitRange(texts[doc], $0.startByte..<$0.endByte) }
            let total = max(1, texts[doc].characterCount)
            func covered(_ ranges: [Range<Int>]) -> Int { countUnion(ranges, texts[doc].units) }
            let masked = boilerplateUnits[doc] + chromeUnits
            let boilerplateRatio = Double(covered(masked)) / Double(total)
            var mask: BoilerplateMasks.Document?
            if !masked.isEmpty {
                let spans = normalizedUnion(masked.filter { !$0.isEmpty }.map { texts[doc].normalizedRange($0) })
                mask = BoilerplateMasks.Document(
                    contentHash: document.contentHash, maskedFraction: min(1, boilerplateRatio), spans: spans,
                    bigrams: BoilerplateMasks.Document.bigrams(of: texts[doc].normalized, in: spans))
            }
            let report = DupesReport.Document(
                doc: document.id, characters: texts[doc].characterCount,
                boilerplateRatio: boilerplateRatio,
                repeatRatio: Double(covered(repeatUnits[doc])) / Double(total),
                chromeRatio: Double(covered(chromeUnits)) / Double(total),
                chrome: chrome.map(span), markup: markup.map(span))
            return (report: report, found: (chrome: chrome, markup: markup), mask: mask)
        }
        let reports = perDocument.map(\.report)
        let chromeFound = perDocument.map(\.found)
        var masks = BoilerplateMasks()
        for (doc, entry) in perDocument.enumerated() { if let mask = entry.mask { masks.documents[documents[doc].id] = mask } }
        DebugTiming.mark("chrome+docs")
        let report = DupesReport(
            passages: passages, stockPhrases: Array(stockPhrases.prefix(500)),
            nearDuplicates: nearPairs.map { DupesReport.NearDuplicate(a: documents[$0.a].id, b: documents[$0.b].id, jaccard: $0.jaccard, containment: $0.containment) },
            nearDuplicateClusters: groups.values.map { $0.sorted() }.sorted { $0[0] < $1[0] }, documents: reports)
        let state = DupesState(
            documents: documents.indices.map { DupesState.Document(key: .init(id: documents[$0].id, contentHash: documents[$0].contentHash), chrome: chromeFound[$0]) },
            pairs: pairs, nearPairs: nearPairs)
        return (report, state, masks)
    }

    /// The units of `text` whose original characters fall in `bytes`.
    static func unitRange(_ text: DedupText, _ bytes: Range<Int>) -> Range<Int> {
        func firstUnit(atOrAfter byte: Int) -> Int {
            var lo = 0, hi = text.byteStart.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if Int(text.byteStart[mid]) < byte { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        return firstUnit(atOrAfter: bytes.lowerBound)..<firstUnit(atOrAfter: bytes.upperBound)
    }

    /// The union of `ranges` as sorted, disjoint ranges.
    static func normalizedUnion(_ ranges: [Range<Int>]) -> [Range<Int32>] {
        var result: [Range<Int32>] = []
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, Int(last.upperBound) >= r.lowerBound {
                result[result.count - 1] = last.lowerBound..<Int32(max(Int(last.upperBound), r.upperBound))
            } else {
                result.append(Int32(r.lowerBound)..<Int32(r.upperBound))
            }
        }
        return result
    }

    /// Non-barrier units covered by the union of `ranges`.
    static func countUnion(_ ranges: [Range<Int>], _ units: [UInt32]) -> Int {
        var count = 0
        var end = 0
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            let from = max(r.lowerBound, end)
            if from < r.upperBound {
                for i in from..<r.upperBound where units[i] != DedupText.barrier { count += 1 }
                end = r.upperBound
            }
        }
        return count
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

/// The report of one commit, saved beside the index by `tongwen dupes --save` so that search
/// (`--collapse`) and the server need not recompute it. Keyed by the commit generation: a newer
/// commit makes it stale.
public enum DupesCache {
    struct Saved: Codable {
        var generation: UInt64
        var report: DupesReport
    }

    static func path(_ directory: String) -> String { directory + "/dupes-cache.json" }

    public static func load(_ directory: String, generation: UInt64) -> DupesReport? {
        guard let data = FileManager.default.contents(atPath: path(directory)),
              let saved = try? JSONDecoder().decode(Saved.self, from: data), saved.generation == generation else { return nil }
        return saved.report
    }

    public static func save(_ report: DupesReport, _ directory: String, generation: UInt64) throws {
        let data = try JSONEncoder().encode(Saved(generation: generation, report: report))
        let temp = path(directory) + ".tmp"
        try data.write(to: URL(fileURLWithPath: temp))
        guard rename(temp, path(directory)) == 0 else {  // atomic: readers see the old or the new cache
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path(directory)])
        }
    }

    /// The cached report of the snapshot's commit, or a fresh one (not saved).
    public static func report(for snapshot: IndexSnapshot) throws -> DupesReport {
        if let cached = load(snapshot.directory, generation: snapshot.generation) { return cached }
        return try DupesFinder.run(snapshot)
    }
}
