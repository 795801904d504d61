import TongwenAnalysis
import TongwenIndex

/// The documents of one run as the stages see them (stage 1): every document's comparison units
/// (the only per-character data kept for the whole run, 16 bits each: ``CompactUnits``) and its number of distinct fingerprints,
/// made on both cores; and, in an incremental run, which documents the previous run already
/// compared (same id and content). Original texts stay in the ``DupesSource``.
struct DupesCorpus {
    let source: DupesSource
    let options: DupesOptions
    /// One analyzer per worker (they keep scratch state).
    let analyzers: [Analyzer]
    let units: [[Unit]]
    /// Per document, its distinct fingerprint hashes (for near-duplicate candidates).
    let distinct: [Int]
    /// The fingerprints stage 1 made for documents whose source stores none (texts in memory,
    /// which are small); documents of an index read theirs again from it when a stage needs them.
    let made: [[Winnowing.Fingerprint]?]
    let previous: DupesState?
    /// Per document, its index in the previous run's state when unchanged since.
    let old: [Int?]
    let isNew: [Bool]
    /// Whether some document was compared before (so only pairs with a new one are compared now).
    let incremental: Bool

    /// One analyzer per worker of ``parallelMap(_:_:)``, sharing one normalization table.
    static func analyzerPair() throws(DupesError) -> [Analyzer] {
        do {
            let first = try Analyzer()
            return [first, try Analyzer(table: first.table)]
        } catch { throw .analysis(error) }
    }

    /// The corpus of `source`, the seeds of stage 2, and what the late stages learn from each
    /// document as stage 1 reads it (``Late``). In an incremental run only the hashes a new
    /// document has can seed a pair with one.
    static func make(_ source: DupesSource, options: DupesOptions, previous: DupesState?) throws(DupesError) -> (DupesCorpus, SeedTable, Late) {
        let analyzers = try analyzerPair()
        var made: [Made] = []
        var late = Late()
        for block in stride(from: 0, to: source.count, by: Self.block) {
            var found = try parallelMap(min(Self.block, source.count - block)) { (i, worker) throws(DupesError) in
                try analyze(block + i, source, analyzers[worker], late: true)
            }
            for i in found.indices {
                late.pages.append(found[i].page ?? ChromePage([]))
                late.clauses.append(found[i].clauses)
                (found[i].page, found[i].clauses) = (nil, [])
            }
            made += found
        }
        let before = previous?.documentIndex ?? [:]
        let old = source.keys.map { before[$0] }
        let corpus = DupesCorpus(source: source, options: options, analyzers: analyzers, units: made.map { $0.units },
                                 distinct: made.map { $0.distinct }, made: made.map { $0.fingerprints }, previous: previous, old: old,
                                 isNew: old.map { $0 == nil }, incremental: old.contains { $0 != nil })
        return (corpus, try corpus.seeds(expected: made.reduce(0) { $0 + $1.count }), late)
    }

    /// What the late stages need of every document, made by stage 1 so that no stage reads the
    /// archive twice for it: its page's zones (stage 8, the templates) and its distinct clauses
    /// (stage 6, the stock phrases; spilled until then).
    struct Late {
        var pages: [ChromePage] = []
        let clauses = ClauseSpill()
    }

    /// What stage 1 makes of one document: its comparison units, its number of distinct
    /// fingerprint hashes and of fingerprints, the fingerprints when its source stores none, and
    /// (when asked for) what ``Late`` holds of it.
    typealias Made = (units: [Unit], distinct: Int, count: Int, fingerprints: [Winnowing.Fingerprint]?, page: ChromePage?, clauses: [StockPhrases.Clause])

    /// Stage 1 for document `doc` of `source`; with `late`, also its page and clauses.
    static func analyze(_ doc: Int, _ source: DupesSource, _ analyzer: Analyzer, late: Bool) throws(DupesError) -> Made {
        let original = try source.text(doc)
        let text: DedupText
        do throws(AnalysisError) { text = try DedupText(original, analyzer: analyzer) } catch { throw .analysis(error) }
        let stored = try source.fingerprints(doc)
        let fingerprints = stored ?? Winnowing.fingerprints(text.units)
        return (CompactUnits.make(text.units), Set(fingerprints.map(\.hash)).count, fingerprints.count, stored == nil ? fingerprints : nil,
                late ? ChromePage(Array(original.utf8)) : nil, late ? StockPhrases.clauses(text) : [])
    }

    /// The corpus of a pairwise stage run apart (``DupesStages``): every document's units and
    /// distinct counts as other parts' stage 1 made them, nothing from a previous run.
    static func loaded(_ source: DupesSource, units: [[Unit]], distinct: [Int]) throws(DupesError) -> DupesCorpus {
        let none = [Int?](repeating: nil, count: source.count)
        return DupesCorpus(source: source, options: DupesOptions(), analyzers: try analyzerPair(), units: units, distinct: distinct,
                           made: [[Winnowing.Fingerprint]?](repeating: nil, count: source.count), previous: nil, old: none,
                           isNew: [Bool](repeating: true, count: source.count), incremental: false)
    }

    /// Document `doc`'s fingerprints: as the index stores them, or as stage 1 made them.
    func fingerprints(_ doc: Int) throws(DupesError) -> [Winnowing.Fingerprint] {
        if let made = made[doc] { return made }
        return try source.fingerprints(doc) ?? []
    }

    /// Stage 2: every document's fingerprints (read again, a block of documents at a time, so
    /// they are never all held beside the seeds) as seeds.
    private func seeds(expected: Int) throws(DupesError) -> SeedTable {
        var newHashes: Set<UInt32>?
        if incremental {
            let lists = try parallelMap(source.count) { (doc, worker) throws(DupesError) in isNew[doc] ? try fingerprints(doc).map(\.hash) : [] }
            newHashes = Set(lists.joined())
        }
        return try SeedTable(expected: expected) { (visit) throws(DupesError) in
            for block in stride(from: 0, to: source.count, by: Self.block) {
                let lists = try parallelMap(min(Self.block, source.count - block)) { (i, worker) throws(DupesError) in
                    try fingerprints(block + i).filter { newHashes?.contains($0.hash) ?? true }
                }
                for (i, list) in lists.enumerated() {
                    for f in list { visit(.init(hash: f.hash, doc: Int32(block + i), position: f.position)) }
                }
            }
        }
    }

    /// Documents a stage works on at once (on both cores) before it gathers their results.
    static let block = 512

    /// Document `doc` read again (original bytes and comparison text), by worker `worker`.
    func read(_ doc: Int, worker: Int) throws(DupesError) -> ReadDocument {
        let text = try source.text(doc)
        do { return ReadDocument(utf8: Array(text.utf8), text: try DedupText(text, analyzer: analyzers[worker])) } catch {
            throw .analysis(error)
        }
    }

    var table: NormalizationTable { analyzers[0].table }

    /// The passage finder these options ask for.
    var finder: PassageFinder {
        var finder = PassageFinder()
        finder.minLength = options.minCharacters
        finder.minSimilarity = options.fuzzy ? 0.85 : 1.0
        if !options.fuzzy {
            finder.maxGap = -1
            finder.extendThroughEdits = false
        }
        return finder
    }

    /// Stage 3: aligned passages and near-duplicate document pairs from the seeds, one document
    /// at a time on both cores (the pairs whose first copy it holds: of the documents `first`,
    /// all by default), with the previous run's pairs between unchanged documents carried over.
    /// The seed table is released (emptied) before the alignments are joined.
    func pairs(_ table: inout SeedTable, first: Range<Int>? = nil) throws(DupesError) -> (pairs: PassageFinder.PairResults, near: [NearDuplicateFinder.Pair]) {
        let finder = self.finder, nearFinder = NearDuplicateFinder(), isNew = incremental ? self.isNew : nil
        var alignments: [PackedMatches] = [], short: [PackedMatches] = []
        var near: [NearDuplicateFinder.Pair] = []
        let docs = first ?? 0..<source.count
        for block in stride(from: docs.lowerBound, to: docs.upperBound, by: Self.block) {
            let found = try parallelMap(min(Self.block, docs.upperBound - block)) { (i, worker) throws(DupesError) in
                let a = block + i
                let groups = table.groups(of: try fingerprints(a))
                return (finder.pairs(of: a, groups: groups, table, units, isNew: isNew),
                        nearFinder.pairs(of: a, groups: groups, table, units, distinct: distinct, isNew: isNew))
            }
            alignments.append(PackedMatches(Array(found.map(\.0.alignments).joined())))
            short.append(PackedMatches(Array(found.map(\.0.shortMatches).joined())))
            near += found.flatMap(\.1)
        }
        table = SeedTable()
        returnFreedMemory()
        var pairs = PassageFinder.PairResults(alignments: Self.joined(&alignments), shortMatches: Self.joined(&short))
        if let previous, incremental {
            previous.carryOver(to: old, lengths: units.map(\.count), pairs: &pairs, near: &near)
        }
        near.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        return (pairs, near)
    }

    /// `chunks` unpacked into one array, each released once copied: a growing array would hold up to
    /// twice its final size while it grows, and the alignments are the largest thing a run makes.
    static func joined(_ chunks: inout [PackedMatches]) -> [PassageFinder.Match] {
        let total = chunks.reduce(0) { $0 + $1.count }
        return [PassageFinder.Match](unsafeUninitializedCapacity: total) { buffer, count in
            for c in chunks.indices {
                chunks[c].forEach { m in
                    buffer.initializeElement(at: count, to: m)
                    count += 1
                }
                chunks[c] = PackedMatches([])
                if c % 16 == 15 { returnFreedMemory() }  // the chunks' pages go back as the copy grows
            }
        }
    }

    /// Stage 7: groups of near-duplicate documents (ids, connected by the pairs), sorted.
    func nearDuplicateClusters(_ near: [NearDuplicateFinder.Pair]) -> [[String]] {
        var sets = UnionFind(count: source.count)
        for p in near { sets.union(p.a, p.b) }
        var groups: [Int: [String]] = [:]
        for p in near {
            for d in [p.a, p.b] where !(groups[sets.root(d)]?.contains(source.ids[d]) ?? false) {
                groups[sets.root(d), default: []].append(source.ids[d])
            }
        }
        return groups.values.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }
}
