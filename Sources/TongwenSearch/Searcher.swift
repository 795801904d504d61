import Foundation
import Synchronization
import TongwenAnalysis
import TongwenIndex

/// Paging and presentation of a search.
public struct SearchOptions: Sendable {
    public var limit = 10
    public var offset = 0
    /// Build snippets with highlights for the returned hits.
    public var snippets = true
    public var maxSnippets = 2
    /// Give up with ``SearchError/timeout(milliseconds:)`` after this much time (none when nil).
    public var timeout: Double?
    /// Groups of near-duplicate document ids: only the best-ranked hit of a group is returned,
    /// with the others listed as its similar versions (and not counted in the total).
    public var collapse: [[String]]?
    /// Match cross-strait variants (計畫 for 计划); false gives every term its plain
    /// per-character meaning, as `=` does for one term.
    public var variants = true

    public init(limit: Int = 10, offset: Int = 0, snippets: Bool = true, timeoutMilliseconds: Double? = nil) {
        self.limit = limit
        self.offset = offset
        self.snippets = snippets
        self.timeout = timeoutMilliseconds
    }
}

/// A search that could not run: a malformed query (with its column), or an index fault.
public enum SearchError: Error, CustomStringConvertible, Sendable {
    case query(QueryError)
    /// A filter given apart from the query (the server's `date=` …) is malformed.
    case filter(String, QueryError)
    /// The search ran past its deadline.
    case timeout(milliseconds: Double)
    case index(IndexError)

    public var description: String {
        switch self {
        case let .query(error): return error.description
        case let .filter(name, error): return "\(name): \(error.message)"
        case let .timeout(ms): return "the search took longer than \(Int(ms)) ms and was stopped; make the query more specific"
        case let .index(error): return error.description
        }
    }
}

/// The point in time (uptime nanoseconds) a search must finish by.
struct Deadline {
    let limit: UInt64?
    let milliseconds: Double

    init(_ timeout: Double?) {
        milliseconds = timeout ?? 0
        limit = timeout.map { DispatchTime.now().uptimeNanoseconds + UInt64(max(0, $0) * 1e6) }
    }

    func check() throws(SearchError) {
        if let limit, DispatchTime.now().uptimeNanoseconds > limit { throw .timeout(milliseconds: milliseconds) }
    }
}

/// One search result.
public struct Hit: Sendable {
    public var id: String
    public var title: String
    public var score: Double
    public var metadata: [String: String]
    public var snippets: [Snippet]
    /// The document's number in the snapshot searched.
    public var document: Int
    /// With collapsing: the other matching versions folded into this hit.
    public var similarVersions: [String]?
    /// Every match lies in boilerplate or page chrome: ranked in the lower tier.
    public var boilerplateOnly = false
}

/// What a search returns: the exact total, the requested page of hits, and the time taken.
public struct SearchResults: Sendable {
    public var query: String
    public var total: Int
    public var offset: Int
    public var limit: Int
    public var tookMs: Double
    public var hits: [Hit]
    /// Each term or phrase that has variant forms, with them (as typed → the other forms).
    public var variants: [(term: String, forms: [String])] = []
}

/// Runs queries against one index snapshot. Thread-safe: analyzers are pooled, and the
/// per-snapshot document table is built once, on first use.
///
/// Ranking: the score of a document is the sum, over the query's positive terms and phrases, of
/// BM25 (k1 1.2, b 0.75) of the number of exact occurrences of the term's normalized text
/// (phrases weighted 1.5: the exact-phrase boost), plus BM25 of each ICU word of the term as a
/// word of the document, plus 1.5 × the term's IDF when the document's title contains it. Filters
/// (`title:`, `speaker:`, `date:` …) do not score. Ties are broken by document id, ascending.
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
    /// Per segment, the characters that have alternates (`V` keys) with their document frequency.
    private let alternateKeys = Mutex<[[[UInt8]: Int]]?>(nil)

    static let k1 = 1.2
    static let b = 0.75
    static let phraseWeight = 1.5
    static let titleBoost = 1.5
    static let maxPrefixExpansions = 2_000

    public init(snapshot: IndexSnapshot) throws(SearchError) {
        self.snapshot = snapshot
        do { table = try NormalizationTable.shared() } catch {
            throw .index(.analyzerMismatch(detail: "\(error)"))
        }
    }

    /// Opens the current commit of the index in `directory`.
    public static func open(_ directory: String) throws(SearchError) -> Searcher {
        do { return try Searcher(snapshot: IndexSnapshot.open(directory)) } catch let error as IndexError {
            throw .index(error)
        } catch let error as SearchError {
            throw error
        } catch {
            throw .index(.invalidArgument("\(error)"))
        }
    }

    /// The `V` terms of every segment, read once (they are few: one per character some document
    /// converts differently), so a query looks up only the alternates that exist.
    func alternates() throws(SearchError) -> [[[UInt8]: Int]] {
        if let cached = alternateKeys.withLock({ $0 }) { return cached }
        var all: [[[UInt8]: Int]] = []
        do {
            for segment in snapshot.segments {
                var keys: [[UInt8]: Int] = [:]
                var cursor = try segment.reader.terms(from: [TermKind.hanVariant.rawValue])
                while let (key, info) = try cursor.next() {
                    if key.first! < TermKind.hanVariant.rawValue { continue }
                    guard key.first == TermKind.hanVariant.rawValue else { break }
                    keys[key] = info.docFreq
                }
                all.append(keys)
            }
        } catch { throw .index(error) }
        alternateKeys.withLock { $0 = all }
        return all
    }

    final class AnalyzerBox: @unchecked Sendable {
        let analyzer: Analyzer
        init(_ analyzer: Analyzer) { self.analyzer = analyzer }
    }

    func withAnalyzer<T>(_ body: (Analyzer) throws(SearchError) -> T) throws(SearchError) -> T {
        let box: AnalyzerBox
        if let pooled = analyzerPool.withLock({ $0.popLast() }) {
            box = pooled
        } else {
            do { box = AnalyzerBox(try Analyzer(table: table)) } catch {
                throw .index(.analyzerMismatch(detail: "\(error)"))
            }
        }
        defer { analyzerPool.withLock { $0.append(box) } }
        return try body(box.analyzer)
    }

    func documents() throws(SearchError) -> DocumentTable {
        if let ready = documentTable.withLock({ $0 }) { return ready }
        let built: DocumentTable
        do { built = try DocumentTable(snapshot, table: table, masks: BoilerplateMasks.load(snapshot.directory)) } catch { throw .index(error) }
        documentTable.withLock { $0 = built }
        return built
    }

    // MARK: Search

    /// The query and filters parsed and compiled: the plan over its leaves.
    private func compiled(_ query: String?, filters: [(String, String)], options: SearchOptions) throws(SearchError) -> (Plan, [Leaf]) {
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
        let (scores, lowerTier) = try score(result, leaves: leaves, matches: matches, documents)

        var total = result.count
        var order: [Int]
        var folded: [Int: [String]] = [:]
        if let groups = options.collapse, !groups.isEmpty {
            // Rank everything, keep the first hit of each near-duplicate group.
            var group: [String: Int] = [:]
            for (g, ids) in groups.enumerated() { for id in ids { group[id] = g } }
            var seen: [Int: Int] = [:]
            order = []
            for i in topIndices(scores: scores, lowerTier: lowerTier, docs: result, ranks: documents.idRank, count: result.count) {
                let id = documents.ids[result[i]]
                if let g = group[id] {
                    if let keeper = seen[g] { folded[keeper, default: []].append(id); continue }
                    seen[g] = i
                }
                order.append(i)
            }
            total = order.count
            order = Array(order.prefix(options.offset + options.limit))
        } else {
            order = topIndices(scores: scores, lowerTier: lowerTier, docs: result, ranks: documents.idRank, count: min(result.count, options.offset + options.limit))
        }
        var hits: [Hit] = []
        for i in order.dropFirst(options.offset) {
            let doc = result[i]
            let record: StoredDocument
            do { record = try snapshot.document(doc) } catch { throw .index(error) }
            var metadata: [String: String] = [:]
            for (key, value) in record.metadata { metadata[key] = value }
            hits.append(Hit(id: record.id, title: record.title, score: scores[i], metadata: metadata, snippets: [], document: doc,
                            similarVersions: options.collapse == nil ? nil : (folded[i] ?? []), boilerplateOnly: lowerTier[i]))
        }
        if options.snippets {
            let patterns = leaves.compactMap { $0.positive ? $0.highlightPatterns : nil }
            for k in hits.indices {
                let text: String
                do { text = try snapshot.text(hits[k].document) } catch { throw .index(error) }
                hits[k].snippets = try withAnalyzer { analyzer in
                    Snippets.make(text: text, patterns: patterns, analyzer: analyzer, count: options.maxSnippets, variants: options.variants)
                }
            }
        }
        let took = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        var results = SearchResults(query: query ?? "", total: total, offset: options.offset, limit: options.limit, tookMs: took, hits: hits)
        for leaf in leaves where leaf.positive {
            guard case let .text(query, _, _, _) = leaf.kind, !query.shown.isEmpty, !results.variants.contains(where: { $0.term == query.typed }) else { continue }
            results.variants.append((query.typed, query.shown))
        }
        return results
    }

    // MARK: Plan

    indirect enum Plan {
        case leaf(Int)
        case and([Plan])
        case or([Plan])
        case not(Plan)
    }

    enum LeafKind {
        /// Exact occurrences of a term or phrase (any of its variant forms); with parts and slop,
        /// the parts in order within slop.
        case text(TextQuery, parts: [TextQuery], slop: Int?, weight: Double)
        /// Latin words starting with a prefix.
        case prefix([UInt8])
        case field(String, [UInt16])
        case date(from: String?, to: String?)
    }

    struct Leaf {
        var kind: LeafKind
        var positive: Bool
        var column: Int

        /// The forms to highlight (a slop phrase's first part).
        var highlightPatterns: [Pattern]? {
            switch kind {
            case let .text(query, parts, slop, _): return slop == nil ? query.patterns : parts.first?.patterns
            default: return nil
            }
        }
    }

    private func compile(_ node: QueryNode, positive: Bool, mode: VariantMode, analyzer: Analyzer, leaves: inout [Leaf]) throws(SearchError) -> Plan {
        func pattern(_ text: String, column: Int) throws(SearchError) -> Pattern {
            let p: Pattern
            do { p = try Pattern(text, analyzer: analyzer) } catch {
                throw .query(QueryError("cannot analyze '\(text)': \(error)", column: column))
            }
            guard !p.isEmpty else {
                throw .query(QueryError("'\(text)' has nothing searchable (only punctuation or spaces)", column: column))
            }
            return p
        }
        func text(_ text: String, column: Int) throws(SearchError) -> TextQuery {
            do {
                return try TextQuery(text, mode: mode, analyzer: analyzer) { (form) throws(SearchError) in try pattern(form, column: column) }
            } catch let .query(error) where error.column == 1 && column != 1 {
                throw .query(QueryError(error.message, column: column))
            }
        }
        func add(_ kind: LeafKind, _ column: Int) -> Plan {
            leaves.append(Leaf(kind: kind, positive: positive, column: column))
            return .leaf(leaves.count - 1)
        }
        switch node {
        case let .term(value, prefix, column):
            let q = try text(value, column: column)
            if prefix, q.main.units.count == 1, q.main.units[0].kind == .word {
                return add(.prefix(q.main.units[0].key), column)
            }
            return add(.text(q, parts: [q], slop: nil, weight: 1), column)
        case let .phrase(value, slop, column):
            let q = try text(value, column: column)
            guard let slop else { return add(.text(q, parts: [q], slop: nil, weight: Self.phraseWeight), column) }
            let pieces = value.split(whereSeparator: { $0.isWhitespace }).map(String.init)
            var parts: [TextQuery] = []
            if pieces.count > 1 {
                for piece in pieces { parts.append(try text(piece, column: column)) }
            } else {
                // One piece: each unit is a part.
                for unit in q.main.units {
                    parts.append(try text(String(decoding: unit.key.dropFirst(), as: UTF8.self), column: column))
                }
            }
            return add(.text(q, parts: parts, slop: slop, weight: Self.phraseWeight), column)
        case let .variants(childMode, child):
            return try compile(child, positive: positive, mode: mode == .exact ? .exact : childMode, analyzer: analyzer, leaves: &leaves)
        case let .field(name, value, column):
            let normalized = Array(table.normalize(value).utf16)
            return add(.field(name, normalized), column)
        case let .date(from, to, column):
            return add(.date(from: from, to: to), column)
        case let .and(children):
            var plans: [Plan] = []
            for child in children { plans.append(try compile(child, positive: positive, mode: mode, analyzer: analyzer, leaves: &leaves)) }
            return .and(plans)
        case let .or(children):
            var plans: [Plan] = []
            for child in children { plans.append(try compile(child, positive: positive, mode: mode, analyzer: analyzer, leaves: &leaves)) }
            return .or(plans)
        case let .not(child):
            return .not(try compile(child, positive: !positive, mode: mode, analyzer: analyzer, leaves: &leaves))
        }
    }

    // MARK: Leaves

    /// Documents a leaf matches (global ids, ascending) with its occurrence counts.
    struct LeafMatch {
        var docs: [Int] = []
        var counts: [Int] = []
        /// Occurrences outside masked spans, when some document has masks (else the counts).
        var unmasked: [Int]?
    }

    private func evaluate(_ leaf: Leaf, _ documents: DocumentTable, _ deadline: Deadline) throws(SearchError) -> LeafMatch {
        do {
            switch leaf.kind {
            case let .text(query, parts, slop, _):
                if let slop { return try matchInOrder(parts, slop: slop, documents, deadline) }
                return try matchText(query, documents, deadline)
            case let .prefix(key):
                return try matchPrefix(key, column: leaf.column)
            case let .field(name, value):
                var match = LeafMatch()
                let values = name == "title" ? documents.titles : documents.fields[name]!
                for doc in documents.live.indices where documents.live[doc] && contains(values[doc], value) {
                    match.docs.append(doc)
                    match.counts.append(1)
                }
                return match
            case let .date(from, to):
                var match = LeafMatch()
                for doc in documents.live.indices where documents.live[doc] {
                    guard let (lower, upper) = documents.dates[doc] else { continue }
                    if let from, upper < from { continue }
                    if let to, lower > to { continue }
                    match.docs.append(doc)
                    match.counts.append(1)
                }
                return match
            }
        } catch let error as IndexError {
            throw .index(error)
        } catch let error as SearchError {
            throw error
        } catch {
            throw .index(.invalidArgument("\(error)"))
        }
    }

    /// Exact occurrences of a term or phrase in every live document, with the unmasked counts
    /// where masks exist.
    private func matchText(_ query: TextQuery, _ documents: DocumentTable, _ deadline: Deadline) throws -> LeafMatch {
        var match = LeafMatch()
        if documents.hasMasks { match.unmasked = [] }
        let length = Int32(query.main.normalized.count)
        let bigrams = BoilerplateMasks.Filter.pairs(query.main.normalized)
        for (s, segment) in snapshot.segments.enumerated() {
            try deadline.check()
            // Starts are needed where an occurrence may lie inside a masked span; elsewhere a count is enough.
            let base = segment.docBase
            let wantStarts = { (doc: Int32) in documents.hasMasks && documents.maskFilter.mayMask(base + Int(doc), bigrams) }
            for (doc, starts, n) in try occurrences(query, in: segment, s, wantStarts: wantStarts, deadline) {
                match.docs.append(base + doc)
                match.counts.append(n)
                if !starts.isEmpty, let mask = documents.masks[base + doc] {
                    match.unmasked?.append(starts.count { !mask.masks($0, length: length) })
                } else {
                    match.unmasked?.append(n)
                }
            }
        }
        return match
    }

    /// (segment-local document, starts when wanted or needed, count) of a term or phrase in one
    /// segment, ascending: the union over its forms, each matched by the documents' characters
    /// and, unless exact, by their alternates. A start reached by two forms counts once.
    private func occurrences(_ query: TextQuery, in segment: LiveSegment, _ index: Int, wantStarts: @escaping (Int32) -> Bool, _ deadline: Deadline) throws -> [(Int, [Int32], Int)] {
        // Alternates first: they are rare, and the documents they reach need every form's starts.
        let decoded = PhraseMatcher.DecodedPostings()
        var viaAlternates: [Int: [Int32]] = [:]
        for pattern in query.alternatePatterns(query.useAlternates ? try alternates()[index] : [:]) {
            for (doc, starts) in try verifiedOccurrences(pattern, in: segment, wantStarts: { _ in true }, deadline, decoded) {
                viaAlternates[doc, default: []].append(contentsOf: starts.0)
            }
        }
        let patterns = query.patterns
        let reached = viaAlternates
        if patterns.count == 1 {
            let want = { (doc: Int32) in wantStarts(doc) || reached[Int(doc)] != nil }
            let found = try verifiedOccurrences(patterns[0], in: segment, wantStarts: want, deadline, decoded).map { ($0.0, $0.1.0, $0.1.1) }
            return reached.isEmpty ? found : Self.merge(found, reached)
        }
        var merged: [Int: (starts: [Int32], count: Int)] = [:]
        for pattern in patterns {
            let want = { (doc: Int32) in wantStarts(doc) || reached[Int(doc)] != nil }
            for (doc, found) in try verifiedOccurrences(pattern, in: segment, wantStarts: want, deadline, decoded) {
                merged[doc, default: ([], 0)].starts += found.0
                merged[doc, default: ([], 0)].count += found.1
            }
        }
        for (doc, starts) in viaAlternates {
            let all = Set((merged[doc]?.starts ?? []) + starts)
            merged[doc] = (all.sorted(), all.count)
        }
        return merged.keys.sorted().map { doc in
            let m = merged[doc]!
            return (doc, m.starts.count == m.count ? m.starts.sorted() : [], m.count)
        }
    }

    /// `found` (ascending, with starts wherever `reached` has the document) and the starts the
    /// alternates reached: a start reached both ways counts once.
    static func merge(_ found: [(Int, [Int32], Int)], _ reached: [Int: [Int32]]) -> [(Int, [Int32], Int)] {
        var result: [(Int, [Int32], Int)] = []
        result.reserveCapacity(found.count + reached.count)
        let extra = reached.keys.sorted()
        var k = 0
        func add(_ doc: Int, _ starts: [Int32]) {
            let all = Array(Set(starts)).sorted()
            result.append((doc, all, all.count))
        }
        for entry in found {
            while k < extra.count && extra[k] < entry.0 { add(extra[k], reached[extra[k]]!); k += 1 }
            if k < extra.count && extra[k] == entry.0 {
                add(entry.0, entry.1 + reached[entry.0]!)
                k += 1
            } else {
                result.append(entry)
            }
        }
        while k < extra.count { add(extra[k], reached[extra[k]]!); k += 1 }
        return result
    }

    /// Occurrences of one pattern in one segment, confirmed on the text where it holds characters
    /// no unit covers. When the pattern is exactly one ICU word of Han characters, documents
    /// holding that word certainly contain it: they are counted by the word's frequency and only
    /// the other candidates are checked by position.
    private func verifiedOccurrences(_ pattern: Pattern, in segment: LiveSegment, wantStarts: @escaping (Int32) -> Bool, _ deadline: Deadline,
                                     _ decoded: PhraseMatcher.DecodedPostings = PhraseMatcher.DecodedPostings()) throws -> [(Int, ([Int32], Int))] {
        var docs: [Int32] = [], tfs: [Int32] = [], positionStarts: [Int32] = []
        let singleWord = pattern.words.count == 1 && pattern.words[0].first == TermKind.hanWord.rawValue
            && !pattern.needsVerification && pattern.units.allSatisfy { $0.kind == .han }
        if singleWord, let info = try segment.reader.lookup(pattern.words[0]) {
            try segment.reader.decodePostings(info, positional: false, docs: &docs, tfs: &tfs, positionStarts: &positionStarts)
        }
        let want = { (doc: Int32) in pattern.needsVerification || wantStarts(doc) }
        var result: [(Int, ([Int32], Int))] = []
        for (doc, starts, count) in try PhraseMatcher.occurrences(pattern, in: segment, wantStarts: want, known: (docs, tfs), deadline: deadline, decoded: decoded) {
            guard pattern.needsVerification else {
                result.append((doc, (starts, count)))
                continue
            }
            try deadline.check()
            let text = try normalizedText(segment.docBase + doc)
            let kept = starts.filter { PhraseMatcher.verify(pattern, at: Int($0), in: text) }
            if !kept.isEmpty { result.append((doc, (kept, kept.count))) }
        }
        return result
    }

    /// The parts in order, each starting after the previous one ends, with at most `slop`
    /// extra characters between the first part's start and the last part's end in all.
    private func matchInOrder(_ queries: [TextQuery], slop: Int, _ documents: DocumentTable, _ deadline: Deadline) throws -> LeafMatch {
        var match = LeafMatch()
        if documents.hasMasks { match.unmasked = [] }
        let parts = queries.map(\.main)
        let length = parts.reduce(0) { $0 + $1.normalized.count }
        for (index, segment) in snapshot.segments.enumerated() {
            var perPart: [[Int: [Int32]]] = []
            for part in queries {
                try deadline.check()
                var starts: [Int: [Int32]] = [:]
                for (doc, s, _) in try occurrences(part, in: segment, index, wantStarts: { _ in true }, deadline) where !s.isEmpty {
                    starts[doc] = s
                }
                perPart.append(starts)
                if starts.isEmpty { break }
            }
            guard perPart.count == parts.count else { continue }
            for doc in perPart[0].keys.sorted() {
                guard perPart.allSatisfy({ $0[doc] != nil }) else { continue }
                var count = 0, unmasked = 0
                let mask = documents.masks[segment.docBase + doc]
                for first in perPart[0][doc]! {
                    var end = Int(first) + parts[0].normalized.count
                    var ok = true
                    for k in 1..<parts.count {
                        guard let next = perPart[k][doc]!.first(where: { Int($0) >= end }) else { ok = false; break }
                        end = Int(next) + parts[k].normalized.count
                    }
                    if ok && end - Int(first) - length <= slop {
                        count += 1
                        if !(mask?.masks(first, length: Int32(end) - first) ?? false) { unmasked += 1 }
                    }
                }
                if count > 0 {
                    match.docs.append(segment.docBase + doc)
                    match.counts.append(count)
                    match.unmasked?.append(unmasked)
                }
            }
        }
        return match
    }

    private func matchPrefix(_ prefix: [UInt8], column: Int) throws -> LeafMatch {
        var counts: [Int: Int] = [:]
        var expansions = 0
        for segment in snapshot.segments {
            var cursor = try segment.reader.terms(from: prefix)
            while let (key, info) = try cursor.next() {
                if key.lexicographicallyPrecedes(prefix) { continue }
                guard key.starts(with: prefix) else { break }
                expansions += 1
                if expansions > Self.maxPrefixExpansions {
                    throw SearchError.query(QueryError("prefix matches more than \(Self.maxPrefixExpansions) words; make it longer", column: column))
                }
                var postings = segment.reader.postings(info, positional: true)
                while let (doc, tf, _) = try postings.next() {
                    if !segment.isDeleted(doc) { counts[segment.docBase + doc, default: 0] += tf }
                }
            }
        }
        var match = LeafMatch()
        for doc in counts.keys.sorted() {
            match.docs.append(doc)
            match.counts.append(counts[doc]!)
        }
        return match
    }

    /// How many stored texts confirming matches has decompressed (tests count them).
    let textReads = Atomic<Int>(0)

    /// A document's cleaned and normalized text (UTF-16), for confirming matches.
    func normalizedText(_ global: Int) throws -> [UInt16] {
        textReads.add(1, ordering: .relaxed)
        let text = try snapshot.text(global)
        return try withAnalyzer { analyzer in analyzer.clean(normalizing: text).0 }
    }

    // MARK: Boolean combination

    private func combine(_ plan: Plan, _ matches: [LeafMatch], _ documents: DocumentTable) -> [Int] {
        func all() -> [Int] { documents.live.indices.filter { documents.live[$0] } }
        func evaluate(_ plan: Plan) -> (docs: [Int], negated: Bool) {
            switch plan {
            case let .leaf(i):
                return (matches[i].docs, false)
            case let .not(child):
                let (docs, negated) = evaluate(child)
                return (docs, !negated)
            case let .and(children):
                var positive: [Int]?
                var negative: [Int] = []
                for child in children {
                    let (docs, negated) = evaluate(child)
                    if negated { negative = SortedSet.union(negative, docs) } else { positive = positive.map { SortedSet.intersection($0, docs) } ?? docs }
                }
                guard let positive else { return (negative, true) }
                return (SortedSet.difference(positive, negative), false)
            case let .or(children):
                var docs: [Int] = []
                for child in children {
                    let (d, negated) = evaluate(child)
                    docs = SortedSet.union(docs, negated ? SortedSet.difference(all(), d) : d)
                }
                return (docs, false)
            }
        }
        let (docs, negated) = evaluate(plan)
        return negated ? SortedSet.difference(all(), docs) : docs
    }

    // MARK: Scoring

    /// Scores of the result's documents, and which of them match only inside masked spans (the
    /// lower tier, scored as if unmasked).
    private func score(_ result: [Int], leaves: [Leaf], matches: [LeafMatch], _ documents: DocumentTable) throws(SearchError) -> (scores: [Double], lowerTier: [Bool]) {
        var scores = [Double](repeating: 0, count: result.count)
        var unmaskedScores = [Double](repeating: 0, count: result.count)
        var matchedText = [Bool](repeating: false, count: result.count)
        var substantive = [Bool](repeating: false, count: result.count)
        let n = Double(max(1, snapshot.documentCount))
        let average = documents.averageLength
        func idf(_ df: Int) -> Double { log(1 + (n - Double(df) + 0.5) / (Double(df) + 0.5)) }
        /// BM25 of `tf` in `doc`, given the term's idf.
        func bm25(_ tf: Double, _ idf: Double, _ doc: Int) -> Double {
            guard tf > 0 else { return 0 }
            let norm = 1 - Self.b + Self.b * documents.lengths[doc] / average
            return idf * tf * (Self.k1 + 1) / (tf + Self.k1 * norm)
        }
        /// Calls `body(index in result, k)` for entry k of an ascending list whose doc is in the result.
        func merge(_ docs: [Int], _ body: (Int, Int) -> Void) {
            var i = 0
            for (k, doc) in docs.enumerated() {
                while i < result.count && result[i] < doc { i += 1 }
                if i == result.count { return }
                if result[i] == doc { body(i, k) }
            }
        }
        var scoredWords = Set<[UInt8]>()
        var docs: [Int32] = [], tfs: [Int32] = [], starts: [Int32] = []
        for (leaf, match) in zip(leaves, matches) where leaf.positive {
            let leafIdf = idf(match.docs.count)
            switch leaf.kind {
            case .prefix:
                merge(match.docs) { i, k in
                    let s = bm25(Double(match.counts[k]), leafIdf, result[i])
                    scores[i] += s
                    unmaskedScores[i] += s
                }
            case let .text(query, _, _, weight):
                // The share of each document's occurrences outside masks, for its word frequencies too.
                var share: [Int: Double] = [:]
                merge(match.docs) { i, k in
                    let doc = result[i], count = match.counts[k], free = match.unmasked?[k] ?? count
                    matchedText[i] = true
                    if free > 0 { substantive[i] = true }
                    if free < count { share[doc] = Double(free) / Double(count) }
                    let inTitle = query.patterns.contains { contains(documents.titles[doc], $0.normalized) }
                    if inTitle { substantive[i] = true }
                    let title = inTitle ? weight * Self.titleBoost * leafIdf : 0
                    scores[i] += weight * bm25(Double(free), leafIdf, doc) + title
                    unmaskedScores[i] += weight * bm25(Double(count), leafIdf, doc) + title
                }
                // Word-level BM25 for the term's ICU words (a variant's word counting as the word).
                for group in query.wordGroups where scoredWords.insert(group[0]).inserted {
                    do {
                        var found: [Int] = [], frequencies: [Int] = []
                        var df = 0
                        for word in group {
                            for segment in snapshot.segments {
                                guard let info = try segment.reader.lookup(word) else { continue }
                                df += info.docFreq
                                let positional = TermKind(rawValue: word[0])?.hasPositions ?? true
                                try segment.reader.decodePostings(info, positional: positional, docs: &docs, tfs: &tfs, positionStarts: &starts)
                                for (k, doc) in docs.enumerated() where !segment.isDeleted(Int(doc)) {
                                    found.append(segment.docBase + Int(doc))
                                    frequencies.append(Int(tfs[k]))
                                }
                            }
                        }
                        if group.count > 1 {
                            (found, frequencies) = Self.summed(found, frequencies)
                            df = found.count
                        }
                        let wordIdf = idf(df)
                        merge(found) { i, k in
                            let tf = Double(frequencies[k])
                            scores[i] += bm25(tf * (share[found[k]] ?? 1), wordIdf, found[k])
                            unmaskedScores[i] += bm25(tf, wordIdf, found[k])
                        }
                    } catch { throw .index(error) }
                }
            case .field, .date:
                continue
            }
        }
        let lowerTier = result.indices.map { matchedText[$0] && !substantive[$0] }
        for i in result.indices where lowerTier[i] { scores[i] = unmaskedScores[i] }
        return (scores, lowerTier)
    }

    /// Postings of several words as one: ascending documents with their frequencies summed.
    static func summed(_ docs: [Int], _ frequencies: [Int]) -> ([Int], [Int]) {
        var total: [Int: Int] = [:]
        for (doc, f) in zip(docs, frequencies) { total[doc, default: 0] += f }
        let sorted = total.keys.sorted()
        return (sorted, sorted.map { total[$0]! })
    }

    /// Indices of the best `count` entries: score descending, then id rank ascending.
    private func topIndices(scores: [Double], lowerTier: [Bool], docs: [Int], ranks: [Int32], count: Int) -> [Int] {
        func better(_ a: Int, _ b: Int) -> Bool {
            if lowerTier[a] != lowerTier[b] { return !lowerTier[a] }
            return scores[a] != scores[b] ? scores[a] > scores[b] : ranks[docs[a]] < ranks[docs[b]]
        }
        if count <= 0 { return [] }
        if count * 4 >= scores.count {
            return Array(scores.indices.sorted(by: better).prefix(count))
        }
        // A bounded heap whose root is the worst of the best `count` so far.
        var heap: [Int] = []
        heap.reserveCapacity(count)
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var worst = i
                if l < heap.count && better(heap[worst], heap[l]) { worst = l }
                if r < heap.count && better(heap[worst], heap[r]) { worst = r }
                if worst == i { return }
                heap.swapAt(i, worst)
                i = worst
            }
        }
        for i in scores.indices {
            if heap.count < count {
                heap.append(i)
                var c = heap.count - 1
                while c > 0 {
                    let p = (c - 1) / 2
                    if better(heap[p], heap[c]) { heap.swapAt(p, c); c = p } else { break }
                }
            } else if better(i, heap[0]) {
                heap[0] = i
                siftDown(0)
            }
        }
        return heap.sorted(by: better)
    }
}

/// Set operations on ascending arrays of document ids.
enum SortedSet {
    static func intersection(_ a: [Int], _ b: [Int]) -> [Int] {
        var out: [Int] = []
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] < b[j] { i += 1 } else if a[i] > b[j] { j += 1 } else { out.append(a[i]); i += 1; j += 1 }
        }
        return out
    }

    static func union(_ a: [Int], _ b: [Int]) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i] < b[j]) { out.append(a[i]); i += 1 } else if i == a.count || b[j] < a[i] { out.append(b[j]); j += 1 } else { out.append(a[i]); i += 1; j += 1 }
        }
        return out
    }

    static func difference(_ a: [Int], _ b: [Int]) -> [Int] {
        var out: [Int] = []
        var j = 0
        for x in a {
            while j < b.count && b[j] < x { j += 1 }
            if j < b.count && b[j] == x { continue }
            out.append(x)
        }
        return out
    }
}
