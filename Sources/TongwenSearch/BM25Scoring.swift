import Foundation
import TongwenAnalysis
import TongwenIndex

/// BM25 over the documents of one result, accumulated leaf by leaf: each document's score with
/// masked occurrences left out, the same without masks, and whether any of its matches is
/// substantive (outside masks, or in the title). With `explaining`, each contribution is also
/// kept as a ``ScoreExplanation`` (a page's worth of documents, not a whole result).
struct BM25Scores {
    let result: [Int]
    let documents: DocumentTable
    let documentCount: Double
    let parameters: RankingParameters
    var scores: [Double]
    var unmaskedScores: [Double]
    var matchedText: [Bool]
    var substantive: [Bool]
    /// Per document, its contributions (masked, unmasked), when explaining.
    var parts: [[(ScoreExplanation, ScoreExplanation)]]?

    init(_ result: [Int], _ documents: DocumentTable, documentCount: Int, parameters: RankingParameters, explaining: Bool = false) {
        self.result = result
        self.documents = documents
        self.documentCount = Double(max(1, documentCount))
        self.parameters = parameters
        scores = Array(repeating: 0, count: result.count)
        unmaskedScores = scores
        matchedText = Array(repeating: false, count: result.count)
        substantive = matchedText
        if explaining { parts = Array(repeating: [], count: result.count) }
    }

    func idf(_ df: Int) -> Double { Self.idf(df, documentCount: documentCount) }

    /// BM25's IDF of a term in `df` of `documentCount` documents.
    static func idf(_ df: Int, documentCount: Double) -> Double { log(1 + (documentCount - Double(df) + 0.5) / (Double(df) + 0.5)) }

    /// BM25 of `tf` in `doc`, given the term's idf.
    func bm25(_ tf: Double, _ idf: Double, _ doc: Int) -> Double {
        guard tf > 0 else { return 0 }
        let k1 = parameters.k1, b = parameters.b
        let norm = 1 - b + b * documents.lengths[doc] / documents.averageLength
        return idf * tf * (k1 + 1) / (tf + k1 * norm)
    }

    /// Calls `body(index in result, k)` for entry k of an ascending list whose doc is in the result.
    static func merge(_ result: [Int], _ docs: [Int], _ body: (Int, Int) -> Void) {
        var i = 0
        for (k, doc) in docs.enumerated() {
            while i < result.count && result[i] < doc { i += 1 }
            if i == result.count { return }
            if result[i] == doc { body(i, k) }
        }
    }

    /// Adds `value` (masked) and `unmasked` to document i's scores, and when explaining, what they are.
    mutating func add(_ i: Int, _ value: Double, _ unmasked: Double, explained: (ScoreExplanation, ScoreExplanation)?) {
        scores[i] += value
        unmaskedScores[i] += unmasked
        if let explained, value != 0 || unmasked != 0 { parts![i].append(explained) }
    }

    var explaining: Bool { parts != nil }

    /// A prefix leaf: BM25 of its counts, masks ignored.
    mutating func addPrefix(_ match: Searcher.LeafMatch, _ shown: String) {
        let leafIdf = idf(match.docs.count)
        Self.merge(result, match.docs) { i, k in
            let tf = Double(match.counts[k]), s = bm25(tf, leafIdf, result[i])
            add(i, s, s, explained: explaining ? twice(explain(tf, leafIdf, df: match.docs.count, result[i], "words starting with \(shown)")) : nil)
        }
    }

    /// A term or phrase leaf: `weight` × BM25 of its occurrences (outside masks), plus the title
    /// boost. Returns, per document with masked occurrences, the share outside masks.
    mutating func addText(_ query: TextQuery, quoted: Bool, _ match: Searcher.LeafMatch) -> [Int: Double] {
        let leafIdf = idf(match.docs.count), df = match.docs.count
        let weight = quoted ? parameters.phrase : 1
        var share: [Int: Double] = [:]
        let patterns = query.patterns.map { ($0.normalized, UnitSearch.signature($0.normalized)) }
        let shown = quoted ? "\"\(query.typed)\"" : query.typed
        Self.merge(result, match.docs) { i, k in
            let doc = result[i], count = match.counts[k], free = match.unmasked?[k] ?? count
            matchedText[i] = true
            if free > 0 { substantive[i] = true }
            if free < count { share[doc] = Double(free) / Double(count) }
            func exact(_ tf: Int) -> ScoreExplanation {
                let masked = count - tf
                let inner = explain(Double(tf), leafIdf, df: df, doc, "\(tf) exact occurrence\(tf == 1 ? "" : "s") of \(shown)" + (masked > 0 ? " (\(masked) in boilerplate left out)" : ""))
                return weight == 1 ? inner : ScoreExplanation(weight * inner.value, "\(weight) × (phrase weight)", [inner])
            }
            add(i, weight * bm25(Double(free), leafIdf, doc), weight * bm25(Double(count), leafIdf, doc), explained: explaining ? (exact(free), exact(count)) : nil)
            if patterns.contains(where: { documents.titleContains($0.0, signature: $0.1, doc) }) {
                substantive[i] = true
                let title = weight * parameters.title * leafIdf
                add(i, title, title, explained: explaining ? twice(ScoreExplanation(title, "the title contains \(shown): \(weight * parameters.title) × idf \(ScoreExplanation.format(leafIdf))")) : nil)
            }
        }
        return share
    }

    /// An ICU word (a variant's word counting as the word): BM25 of its `frequencies` in the
    /// result's documents (aligned with `result`), scaled by each document's unmasked `share`.
    mutating func addWord(_ shown: String, frequencies: [Int], df: Int, share: [Int: Double]) {
        let wordIdf = idf(df), weight = parameters.word
        for (i, frequency) in frequencies.enumerated() where frequency > 0 {
            let doc = result[i], tf = Double(frequency), free = tf * (share[doc] ?? 1)
            func word(_ tf: Double) -> ScoreExplanation {
                let inner = explain(tf, wordIdf, df: df, doc, "ICU word \(shown), \(ScoreExplanation.format(tf)) time\(tf == 1 ? "" : "s")")
                return weight == 1 ? inner : ScoreExplanation(weight * inner.value, "\(weight) × (word weight)", [inner])
            }
            add(i, weight * bm25(free, wordIdf, doc), weight * bm25(tf, wordIdf, doc), explained: explaining ? (word(free), word(tf)) : nil)
        }
    }

    /// BM25 of `tf` in `doc` as an explanation.
    func explain(_ tf: Double, _ idf: Double, df: Int, _ doc: Int, _ what: String) -> ScoreExplanation {
        let value = bm25(tf, idf, doc)
        let length = ScoreExplanation.format(documents.lengths[doc]), average = ScoreExplanation.format(documents.averageLength)
        return ScoreExplanation(value, "BM25 of \(what): idf × saturated tf", [
            ScoreExplanation(idf, "idf = ln(1 + (N − df + 0.5) / (df + 0.5)), N \(Int(documentCount)) documents, df \(df)"),
            ScoreExplanation(idf == 0 ? 0 : value / idf, "tf·(k1+1) / (tf + k1·(1 − b + b·length/average)), tf \(ScoreExplanation.format(tf)), length \(length) words, average \(average), k1 \(parameters.k1), b \(parameters.b)"),
        ])
    }

    func twice(_ e: ScoreExplanation) -> (ScoreExplanation, ScoreExplanation) { (e, e) }

    /// The final scores, and the lower tier: documents whose every match is masked, scored as if
    /// unmasked.
    func finished() -> (scores: [Double], lowerTier: [Bool]) {
        let lowerTier = result.indices.map { matchedText[$0] && !substantive[$0] }
        var final = scores
        for i in result.indices where lowerTier[i] { final[i] = unmaskedScores[i] }
        return (final, lowerTier)
    }

    /// Each document's explanation (when explaining), its value the final score.
    func explanations() -> [ScoreExplanation] {
        let (final, lowerTier) = finished()
        return result.indices.map { i in
            let chosen = (parts?[i] ?? []).map { lowerTier[i] ? $0.1 : $0.0 }
            let what = lowerTier[i] ? "sum of (every match lies in boilerplate: lower tier, scored as if unmasked)" : "sum of"
            return ScoreExplanation(final[i], what, chosen)
        }
    }
}

extension Searcher {
    /// Scores of the result's documents, and which of them match only inside masked spans (the
    /// lower tier, scored as if unmasked).
    func score(_ result: [Int], leaves: [Leaf], matches: [LeafMatch], _ documents: DocumentTable, _ options: SearchOptions) throws(SearchError) -> (scores: [Double], lowerTier: [Bool]) {
        var board = BM25Scores(result, documents, documentCount: snapshot.documentCount, parameters: options.ranking)
        try accumulate(&board, leaves: leaves, matches: matches)
        return board.finished()
    }

    /// The explanations of the scores of `hits` (the same as ``score(_:leaves:matches:_:_:)``
    /// gives: the same sums in the same order, over only these documents).
    func explain(_ hits: [Hit], leaves: [Leaf], matches: [LeafMatch], _ documents: DocumentTable, _ options: SearchOptions) throws(SearchError) -> [ScoreExplanation] {
        let docs = Array(Set(hits.map(\.document))).sorted()
        var board = BM25Scores(docs, documents, documentCount: snapshot.documentCount, parameters: options.ranking, explaining: true)
        try accumulate(&board, leaves: leaves, matches: matches)
        let explanations = board.explanations()
        return hits.map { explanations[Self.lowerBound(docs, $0.document)] }
    }

    /// Adds every positive leaf's contributions (and its ICU words', each word once) to `board`.
    func accumulate(_ board: inout BM25Scores, leaves: [Leaf], matches: [LeafMatch]) throws(SearchError) {
        var scoredWords = Set<[UInt8]>()
        for (leaf, match) in zip(leaves, matches) where leaf.positive {
            switch leaf.kind {
            case let .prefix(key):
                board.addPrefix(match, String(decoding: key.dropFirst(), as: UTF8.self) + "*")
            case let .text(query, _, _, quoted):
                let share = board.addText(query, quoted: quoted, match)
                for group in query.wordGroups where board.parameters.word > 0 && scoredWords.insert(group[0]).inserted {
                    let (frequencies, df) = try wordFrequencies(group, in: board.result)
                    let shown = group.map { String(decoding: $0.dropFirst(), as: UTF8.self) }.joined(separator: " / ")
                    board.addWord(shown, frequencies: frequencies, df: df, share: share)
                }
            case .field, .date:
                continue
            }
        }
    }

    /// The summed frequencies of the words of `group` in each document of `result` (global ids,
    /// ascending; the frequencies aligned with it), and the document frequency: the word's
    /// (deleted documents included), or for several words the live documents holding any.
    func wordFrequencies(_ group: [[UInt8]], in result: [Int]) throws(SearchError) -> (frequencies: [Int], df: Int) {
        var frequencies = [Int](repeating: 0, count: result.count)
        var docs: [Int32] = [], tfs: [Int32] = [], starts: [Int32] = [], ends: [Int32] = []
        var df = 0
        // Several words: the live documents holding any of them (global ids, ascending, each once).
        var holding: [Int] = []
        var live: [Int] = []
        do {
            for word in group {
                let positional = TermKind(rawValue: word[0])?.hasPositions ?? true
                for segment in snapshot.segments {
                    guard let info = try segment.reader.lookup(word) else { continue }
                    df += info.docFreq
                    let inSegment = Self.lowerBound(result, segment.docBase)..<Self.lowerBound(result, segment.docBase + segment.reader.documentCount)
                    if group.count == 1 && SkipTable.partialDecodePays(wanted: inSegment.count, docFreq: info.docFreq) {
                        let wanted = result[inSegment].map { Int32($0 - segment.docBase) }
                        try segment.reader.decodePostings(info, positional: positional, only: wanted, docs: &docs, tfs: &tfs, positionStarts: &starts, positionEnds: &ends)
                    } else {
                        try segment.reader.decodePostings(info, positional: positional, docs: &docs, tfs: &tfs, positionStarts: &starts)
                    }
                    if group.count > 1 {
                        live.removeAll(keepingCapacity: true)
                        for doc in docs where !segment.isDeleted(Int(doc)) { live.append(segment.docBase + Int(doc)) }
                        holding = Self.union(holding, live)
                    }
                    var e = 0
                    for i in inSegment {
                        let local = Int32(result[i] - segment.docBase)
                        e = PhraseMatcher.gallop(docs, from: e, to: local)
                        if e == docs.count { break }
                        if docs[e] == local { frequencies[i] += Int(tfs[e]) }
                    }
                }
            }
        } catch { throw .index(error) }
        if group.count > 1 { df = holding.count }
        return (frequencies, df)
    }

    /// The values of ascending `a` and `b`, ascending, each once.
    static func union(_ a: [Int], _ b: [Int]) -> [Int] {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        var out: [Int] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] < b[j] { out.append(a[i]); i += 1 } else if b[j] < a[i] { out.append(b[j]); j += 1 } else { out.append(a[i]); i += 1; j += 1 }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }

    /// The first index of ascending `list` whose value is ≥ `value`.
    static func lowerBound(_ list: [Int], _ value: Int) -> Int {
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
