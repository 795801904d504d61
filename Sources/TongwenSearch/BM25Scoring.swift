import Foundation
import TongwenAnalysis
import TongwenIndex

/// BM25 (k1 1.2, b 0.75) over the documents of one result, accumulated leaf by leaf: each
/// document's score with masked occurrences left out, the same without masks, and whether any of
/// its matches is substantive (outside masks, or in the title).
struct BM25Scores {
    static let k1 = 1.2
    static let b = 0.75
    /// A title containing the term adds this × its IDF.
    static let titleBoost = 1.5

    let result: [Int]
    let documents: DocumentTable
    let documentCount: Double
    var scores: [Double]
    var unmaskedScores: [Double]
    var matchedText: [Bool]
    var substantive: [Bool]

    init(_ result: [Int], _ documents: DocumentTable, documentCount: Int) {
        self.result = result
        self.documents = documents
        self.documentCount = Double(max(1, documentCount))
        scores = Array(repeating: 0, count: result.count)
        unmaskedScores = scores
        matchedText = Array(repeating: false, count: result.count)
        substantive = matchedText
    }

    func idf(_ df: Int) -> Double { log(1 + (documentCount - Double(df) + 0.5) / (Double(df) + 0.5)) }

    /// BM25 of `tf` in `doc`, given the term's idf.
    func bm25(_ tf: Double, _ idf: Double, _ doc: Int) -> Double {
        guard tf > 0 else { return 0 }
        let norm = 1 - Self.b + Self.b * documents.lengths[doc] / documents.averageLength
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

    /// A prefix leaf: BM25 of its counts, masks ignored.
    mutating func addPrefix(_ match: Searcher.LeafMatch) {
        let leafIdf = idf(match.docs.count)
        merge(match.docs) { i, k in
            let s = bm25(Double(match.counts[k]), leafIdf, result[i])
            scores[i] += s
            unmaskedScores[i] += s
        }
    }

    /// A term or phrase leaf: `weight` × BM25 of its occurrences (outside masks), plus the title
    /// boost. Returns, per document with masked occurrences, the share outside masks.
    mutating func addText(_ query: TextQuery, weight: Double, _ match: Searcher.LeafMatch) -> [Int: Double] {
        let leafIdf = idf(match.docs.count)
        var share: [Int: Double] = [:]
        let patterns = query.patterns.map { ($0.normalized, UnitSearch.signature($0.normalized)) }
        merge(match.docs) { i, k in
            let doc = result[i], count = match.counts[k], free = match.unmasked?[k] ?? count
            matchedText[i] = true
            if free > 0 { substantive[i] = true }
            if free < count { share[doc] = Double(free) / Double(count) }
            let inTitle = patterns.contains { documents.titleContains($0.0, signature: $0.1, doc) }
            if inTitle { substantive[i] = true }
            let title = inTitle ? weight * Self.titleBoost * leafIdf : 0
            scores[i] += weight * bm25(Double(free), leafIdf, doc) + title
            unmaskedScores[i] += weight * bm25(Double(count), leafIdf, doc) + title
        }
        return share
    }

    /// An ICU word (a variant's word counting as the word): BM25 of its `frequencies` in the
    /// result's documents (aligned with `result`), scaled by each document's unmasked `share`.
    mutating func addWord(frequencies: [Int], df: Int, share: [Int: Double]) {
        let wordIdf = idf(df)
        for (i, frequency) in frequencies.enumerated() where frequency > 0 {
            let doc = result[i], tf = Double(frequency)
            scores[i] += bm25(tf * (share[doc] ?? 1), wordIdf, doc)
            unmaskedScores[i] += bm25(tf, wordIdf, doc)
        }
    }

    /// The final scores, and the lower tier: documents whose every match is masked, scored as if
    /// unmasked.
    func finished() -> (scores: [Double], lowerTier: [Bool]) {
        let lowerTier = result.indices.map { matchedText[$0] && !substantive[$0] }
        var final = scores
        for i in result.indices where lowerTier[i] { final[i] = unmaskedScores[i] }
        return (final, lowerTier)
    }
}

extension Searcher {
    /// Scores of the result's documents, and which of them match only inside masked spans (the
    /// lower tier, scored as if unmasked).
    func score(_ result: [Int], leaves: [Leaf], matches: [LeafMatch], _ documents: DocumentTable) throws(SearchError) -> (scores: [Double], lowerTier: [Bool]) {
        var board = BM25Scores(result, documents, documentCount: snapshot.documentCount)
        var scoredWords = Set<[UInt8]>()
        for (leaf, match) in zip(leaves, matches) where leaf.positive {
            switch leaf.kind {
            case .prefix:
                board.addPrefix(match)
            case let .text(query, _, _, weight):
                let share = board.addText(query, weight: weight, match)
                for group in query.wordGroups where scoredWords.insert(group[0]).inserted {
                    let (frequencies, df) = try wordFrequencies(group, in: result)
                    board.addWord(frequencies: frequencies, df: df, share: share)
                }
            case .field, .date:
                continue
            }
        }
        return board.finished()
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
