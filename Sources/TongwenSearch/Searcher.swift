import Foundation
import Synchronization
import TongwenAnalysis
import TongwenIndex

/// Runs queries against one index snapshot. Thread-safe: analyzers are pooled, and the
/// per-snapshot document table is built once, on first use.
///
/// Ranking (constants in ``RankingParameters``, defaults in brackets): the score of a document is
/// the sum, over the query's positive terms and phrases, of BM25 (k1 [0.6], b [0.3], length in
/// ICU words) of the number of exact occurrences of the term's normalized text, quoted phrases
/// weighted `phrase` [1.5]; plus `word` [0] × BM25 of each ICU word of the term as a word of the
/// document, and `title` [0] × the term's IDF when the document's title contains it; plus, for
/// two or more terms, a proximity bonus among the best `window` [30] (``proximityBonuses(_:scores:lowerTier:leaves:matches:_:_:_:)``).
/// Filters (`title:`, `speaker:`, `date:` …) do not score. Ties are broken by document id,
/// ascending. `search --explain` shows each part.
///
/// Boilerplate: when `tongwen dupes` has left masks beside the index (``BoilerplateMasks``),
/// occurrences inside a document's boilerplate passages and page chrome do not count toward its
/// term frequencies (its ICU-word frequencies shrink in the same proportion), and its length is
/// shortened by the masked fraction. A document whose every match is masked still matches, in a
/// lower tier below every document where a term is substantive, ranked there by its unmasked score.
public final class Searcher: @unchecked Sendable {
    public let snapshot: IndexSnapshot
    let table: NormalizationTable
    private let analyzerPool = Mutex<[AnalyzerBox]>([])
    private let documentTable = Mutex<DocumentTable?>(nil)
    /// Per segment, its `V`, `C` and `R` keys, read on first use.
    private let alternateKeys = Mutex<[SegmentAlternates]?>(nil)

    /// How many stored texts confirming matches has decompressed (tests count them).
    let textReads = Atomic<Int>(0)


    public init(snapshot: IndexSnapshot) throws(SearchError) {
        self.snapshot = snapshot
        do { table = try NormalizationTable.shared() } catch {
            throw .index(.analyzerMismatch(detail: "\(error)"))
        }
    }

    /// Opens the current commit of the index in `directory`.
    public static func open(_ directory: String) throws(SearchError) -> Searcher {
        try open(shards: [directory])
    }

    /// Opens the current commits of several indexes as one (``IndexSnapshot/open(shards:)``):
    /// BM25 statistics, totals and the ranking are those of one index over all their documents.
    public static func open(shards directories: [String]) throws(SearchError) -> Searcher {
        do { return try Searcher(snapshot: IndexSnapshot.open(shards: directories)) } catch let error as IndexError {
            throw .index(error)
        } catch let error as SearchError {
            throw error
        } catch {
            throw .index(.invalidArgument("\(error)"))
        }
    }

    /// The `V`, `C` and `R` terms of every segment, read once (they are few: alternates and the
    /// pairs they make), so a query looks up only the alternates that exist.
    func alternates() throws(SearchError) -> [SegmentAlternates] {
        if let cached = alternateKeys.withLock({ $0 }) { return cached }
        var all: [SegmentAlternates] = []
        do {
            for segment in snapshot.segments {
                var found = SegmentAlternates()
                for kind in [TermKind.hanVariant, .hanVariantBigram, .hanVariantSymbol] {
                    var cursor = try segment.reader.terms(from: [kind.rawValue])
                    while let (key, _) = try cursor.next() {
                        if key.first! < kind.rawValue { continue }
                        guard key.first == kind.rawValue else { break }
                        found.insert(key)
                    }
                }
                all.append(found)
            }
        } catch { throw .index(error) }
        alternateKeys.withLock { $0 = all }
        return all
    }

    final class AnalyzerBox: @unchecked Sendable {
        let analyzer: Analyzer
        init(_ analyzer: Analyzer) { self.analyzer = analyzer }
    }

    /// A pooled analyzer, or a new one when every pooled one is in use; give it back to the pool.
    private func takeAnalyzer() throws(SearchError) -> AnalyzerBox {
        if let pooled = analyzerPool.withLock({ $0.popLast() }) { return pooled }
        do { return AnalyzerBox(try Analyzer(table: table)) } catch { throw .index(.analyzerMismatch(detail: "\(error)")) }
    }

    func withAnalyzer<T>(_ body: (Analyzer) throws(SearchError) -> T) throws(SearchError) -> T {
        let box = try takeAnalyzer()
        defer { analyzerPool.withLock { $0.append(box) } }
        return try body(box.analyzer)
    }

    /// Readies `analyzers` pooled analyzers with their cross-strait converters, and the document
    /// table, so that the first queries do not pay for opening them (OpenCC's converters take
    /// tens of milliseconds). A server does it for each commit before answering from it; a batch
    /// before its first query.
    public func warmUp(analyzers count: Int = 1) throws(SearchError) {
        var boxes: [AnalyzerBox] = []
        defer { analyzerPool.withLock { $0.append(contentsOf: boxes) } }
        for _ in 0..<max(1, count) {
            let box = try takeAnalyzer()
            boxes.append(box)
            do { try box.analyzer.variants().prepareQueryForms() } catch { throw .index(.analyzerMismatch(detail: "\(error)")) }
        }
        _ = try documents()
    }

    func documents() throws(SearchError) -> DocumentTable {
        if let ready = documentTable.withLock({ $0 }) { return ready }
        let built: DocumentTable
        var masks = BoilerplateMasks()
        for directory in snapshot.directories { masks.documents.merge(BoilerplateMasks.load(directory).documents) { first, _ in first } }
        do { built = try DocumentTable(snapshot, table: table, masks: masks) } catch { throw .index(error) }
        documentTable.withLock { $0 = built }
        return built
    }

    // MARK: Search

    /// The query and filters parsed and compiled: the plan over its leaves.
    func compiled(_ query: String?, filters: [(String, String)], options: SearchOptions) throws(SearchError) -> (Plan, [Leaf]) {
        var nodes: [QueryNode] = []
        if let query, !(query.unicodeScalars.allSatisfy { $0.properties.isWhitespace } && !filters.isEmpty) {
            do { nodes.append(try QueryParser.parse(query)) } catch { throw .query(error) }
        }
        for (name, value) in filters {
            guard !value.isEmpty else { throw .filter(name, QueryError("empty value", column: 1)) }
            if name == "date" {
                do { nodes.append(try DateRange.parse(value, column: -4)) } catch { throw .filter(name, error) }
            } else if QueryParser.fields.contains(name) {
                nodes.append(.field(name, value: value, column: 1))
            } else {
                throw .filter(name, QueryError("unknown filter (use title, speaker, venue, source, path or date)", column: 1))
            }
        }
        guard !nodes.isEmpty else { throw .query(QueryError("empty query", column: 1)) }
        let node = nodes.count == 1 ? nodes[0] : .and(nodes)
        var leaves: [Leaf] = []
        let mode: VariantMode = options.variants ? .standard : .exact
        let plan = try withAnalyzer { (analyzer) throws(SearchError) in try compile(node, positive: true, mode: mode, analyzer: analyzer, leaves: &leaves) }
        return (plan, leaves)
    }

    /// What running `query` would cost, roughly, in bytes read: those of the postings its terms'
    /// lists hold (a prefix or a filter counts as costly), and with snippets, `limit` documents of
    /// the mean length (about 8 bytes of text and analysis a word). A query that does not parse
    /// costs nothing (it fails at once). The server runs cheap queries in a lane of their own.
    public func estimatedCost(_ query: String?, filters: [(String, String)], options: SearchOptions = SearchOptions()) -> Int {
        guard let (_, leaves) = try? compiled(query, filters: filters, options: options) else { return 0 }
        var bytes = options.snippets ? options.limit * 8 * snapshot.totalWords / max(1, snapshot.documentCount) : 0
        for leaf in leaves {
            switch leaf.kind {
            case let .text(query, parts, _, _):
                for pattern in query.patterns + (parts.count > 1 ? parts.flatMap(\.patterns) : []) {
                    let units = PhraseMatcher.lookupUnits(pattern)
                    for segment in snapshot.segments {
                        for unit in units { bytes += (try? segment.reader.lookup(unit.key))?.byteCount ?? 0 }
                    }
                }
            case .prefix, .field, .date:
                bytes += Self.costlyLeaf
            }
        }
        return bytes
    }

    /// The cost given a leaf that scans a dictionary range or every document.
    static let costlyLeaf = 1 << 32

    /// Parses and runs `query`.
    public func search(_ query: String, options: SearchOptions = SearchOptions()) throws(SearchError) -> SearchResults {
        try search(query, filters: [], options: options)
    }

    /// Runs `query` (may be nil when there are filters) ANDed with `filters`: (`title`, `speaker`,
    /// `venue`, `source`, `path` or `date`, value) pairs given apart from the query text, as the
    /// server's parameters are. A malformed filter is ``SearchError/filter(_:_:)``.
    public func search(_ query: String?, filters: [(String, String)], options: SearchOptions = SearchOptions()) throws(SearchError) -> SearchResults {
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = Deadline(options.timeout)
        let (plan, leaves) = try compiled(query, filters: filters, options: options)
        let documents = try documents()
        var matches: [LeafMatch] = []
        for leaf in leaves {
            try deadline.check()
            matches.append(try evaluate(leaf, documents, deadline))
        }
        try deadline.check()
        let result = combine(plan, matches, documents)
        var (scores, lowerTier) = try score(result, leaves: leaves, matches: matches, documents, options)
        let bonuses = try proximityBonuses(result, scores: scores, lowerTier: lowerTier, leaves: leaves, matches: matches, documents, options, deadline)
        for (i, bonus) in bonuses { scores[i] += bonus.value }

        let page = rank(result, scores: scores, lowerTier: lowerTier, documents, options)
        var hits = hits(page, result: result, scores: scores, lowerTier: lowerTier, documents, options)
        if options.snippets { try addSnippets(&hits, leaves: leaves, options) }
        if options.explain {
            let byDocument = Dictionary(uniqueKeysWithValues: bonuses.map { (result[$0.key], $0.value) })
            for (k, explanation) in try explain(hits, leaves: leaves, matches: matches, documents, options).enumerated() {
                hits[k].explanation = explanation.adding(byDocument[hits[k].document], options.ranking)
            }
        }
        let took = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        var results = SearchResults(query: query ?? "", total: page.total, offset: options.offset, limit: options.limit, tookMs: took, hits: hits)
        for leaf in leaves where leaf.positive {
            guard case let .text(query, _, _, _) = leaf.kind, !query.shown.isEmpty, !results.variants.contains(where: { $0.term == query.typed }) else { continue }
            results.variants.append((query.typed, query.shown))
        }
        return results
    }
}
