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

    /// The corpus of `source`, and the seeds of stage 2: the fingerprints that may seed a pair,
    /// sorted by hash. In an incremental run only the hashes a new document has can seed a pair
    /// with one. Fingerprints are not kept past this.
    static func make(_ source: DupesSource, options: DupesOptions, previous: DupesState?) throws(DupesError) -> (DupesCorpus, [PassageFinder.Seed]) {
        let analyzers = try analyzerPair()
        typealias Made = (units: [Unit], fingerprints: [Winnowing.Fingerprint])
        let made = try parallelMap(source.count) { (doc, worker) throws(DupesError) -> Made in
            let original = try source.text(doc)
            let text: DedupText
            do throws(AnalysisError) { text = try DedupText(original, analyzer: analyzers[worker]) } catch { throw .analysis(error) }
            return (CompactUnits.make(text.units), try source.fingerprints(doc) ?? Winnowing.fingerprints(text.units))
        }
        let before = previous?.documentIndex ?? [:]
        let old = source.keys.map { before[$0] }
        let corpus = DupesCorpus(source: source, options: options, analyzers: analyzers, units: made.map { $0.units },
                                 distinct: made.map { Set($0.fingerprints.map(\.hash)).count }, previous: previous, old: old,
                                 isNew: old.map { $0 == nil }, incremental: old.contains { $0 != nil })
        return (corpus, corpus.seeds(made.map { $0.fingerprints }))
    }

    /// Stage 2 (see ``make(_:options:previous:)``).
    private func seeds(_ fingerprints: [[Winnowing.Fingerprint]]) -> [PassageFinder.Seed] {
        let newHashes = incremental ? Set(fingerprints.indices.filter { isNew[$0] }.flatMap { fingerprints[$0].map(\.hash) }) : nil
        var seeds: [PassageFinder.Seed] = []
        seeds.reserveCapacity(incremental ? 0 : fingerprints.reduce(0) { $0 + $1.count })
        for (doc, list) in fingerprints.enumerated() {
            for f in list where newHashes?.contains(f.hash) ?? true { seeds.append(.init(hash: f.hash, doc: Int32(doc), position: f.position)) }
        }
        seeds.sort()
        return seeds
    }

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

    /// Stage 3: aligned passages and near-duplicate document pairs from the seeds, with the
    /// previous run's pairs between unchanged documents carried over.
    func pairs(_ seeds: [PassageFinder.Seed]) -> (pairs: PassageFinder.PairResults, near: [NearDuplicateFinder.Pair]) {
        var pairs = finder.pairwise(units, seeds: seeds, isNew: incremental ? isNew : nil)
        var near = NearDuplicateFinder().find(units, seeds: seeds, distinct: { distinct[$0] }, isNew: incremental ? isNew : nil)
        if let previous, incremental {
            previous.carryOver(to: old, lengths: units.map(\.count), pairs: &pairs, near: &near)
        }
        near.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        return (pairs, near)
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
