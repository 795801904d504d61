import TongwenAnalysis
import TongwenIndex

/// The documents of one run as the stages see them (stage 1): comparison texts, UTF-8 and
/// fingerprints, on both cores; and, in an incremental run, which documents the previous run
/// already compared (same id and content).
struct DupesCorpus {
    let documents: [DupesFinder.Input]
    let options: DupesOptions
    /// One analyzer per worker (they keep scratch state).
    let analyzers: [Analyzer]
    let texts: [DedupText]
    let utf8: [[UInt8]]
    let units: [[UInt32]]
    let fingerprints: [[Winnowing.Fingerprint]]
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

    init(_ documents: [DupesFinder.Input], options: DupesOptions, previous: DupesState?) throws(DupesError) {
        let analyzers = try Self.analyzerPair()
        let made = parallelMap(documents.count) { i, worker in
            Result { () throws(AnalysisError) in try DedupText(documents[i].text, analyzer: analyzers[worker]) }
        }
        var texts: [DedupText] = []
        for result in made {
            switch result {
            case let .success(text): texts.append(text)
            case let .failure(error): throw .analysis(error)
            }
        }
        self.documents = documents
        self.options = options
        self.analyzers = analyzers
        self.texts = texts
        utf8 = documents.map { Array($0.text.utf8) }
        units = texts.map(\.units)
        fingerprints = documents.indices.map { [units] in documents[$0].fingerprints ?? Winnowing.fingerprints(units[$0]) }
        self.previous = previous
        let before = previous?.documentIndex ?? [:]
        old = documents.map { before[DupesState.Key(id: $0.id, contentHash: $0.contentHash)] }
        isNew = old.map { $0 == nil }
        incremental = isNew.contains(false)
    }

    var table: NormalizationTable { analyzers[0].table }

    /// Stage 2: the fingerprints that may seed a pair, sorted by hash. In an incremental run only
    /// the hashes a new document has can seed a pair with one.
    func seeds() -> [PassageFinder.Seed] {
        let newHashes = incremental ? Set(documents.indices.filter { isNew[$0] }.flatMap { fingerprints[$0].map(\.hash) }) : nil
        var seeds: [PassageFinder.Seed] = []
        seeds.reserveCapacity(incremental ? 0 : fingerprints.reduce(0) { $0 + $1.count })
        for (doc, list) in fingerprints.enumerated() {
            for f in list where newHashes?.contains(f.hash) ?? true { seeds.append(.init(hash: f.hash, doc: Int32(doc), position: f.position)) }
        }
        seeds.sort()
        return seeds
    }

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
        var distinct: [Int: Int] = [:]
        func distinctHashes(_ doc: Int) -> Int {
            if let known = distinct[doc] { return known }
            let count = Set(fingerprints[doc].map(\.hash)).count
            distinct[doc] = count
            return count
        }
        var near = NearDuplicateFinder().find(units, seeds: seeds, distinct: distinctHashes, isNew: incremental ? isNew : nil)
        if let previous, incremental {
            previous.carryOver(to: old, lengths: units.map(\.count), pairs: &pairs, near: &near)
        }
        near.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        return (pairs, near)
    }

    /// Stage 7: groups of near-duplicate documents (ids, connected by the pairs), sorted.
    func nearDuplicateClusters(_ near: [NearDuplicateFinder.Pair]) -> [[String]] {
        var sets = UnionFind(count: documents.count)
        for p in near { sets.union(p.a, p.b) }
        var groups: [Int: [String]] = [:]
        for p in near {
            for d in [p.a, p.b] where !(groups[sets.root(d)]?.contains(documents[d].id) ?? false) {
                groups[sets.root(d), default: []].append(documents[d].id)
            }
        }
        return groups.values.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }
}
