import Foundation
import TongwenIndex

/// The proximity part of the ranking: among the best-scored documents of a query with two or
/// more positive terms or phrases, those where all of them stand close together (the smallest
/// span of text holding an occurrence of each) gain
/// `proximity × (Σ the terms' idf) × span / (span + gap)`, where gap is the span's characters
/// not taken by the terms and `span` is ``RankingParameters/span``. Only the best
/// ``RankingParameters/window`` documents are rescored (as Elasticsearch's rescore window; fewer
/// where they hold too many occurrences, ``proximityBudget``): their positions are decoded for
/// those documents alone.
extension Searcher {
    /// A document's proximity bonus and the gap it was computed from.
    struct ProximityBonus {
        var value: Double
        var gap: Int
        var terms: Int
        var idfSum: Double
    }

    /// The proximity bonus of the best-scored documents of `result` (keyed by index in
    /// `result`), or none when the query has fewer than two positive terms or phrases.
    func proximityBonuses(_ result: [Int], scores: [Double], lowerTier: [Bool], leaves: [Leaf], matches: [LeafMatch],
                          _ documents: DocumentTable, _ options: SearchOptions, _ deadline: Deadline) throws(SearchError) -> [Int: ProximityBonus] {
        let parameters = options.ranking
        var terms: [(query: TextQuery, length: Int, idf: Double, match: LeafMatch)] = []
        for (leaf, match) in zip(leaves, matches) where leaf.positive {
            guard case let .text(query, _, nil, _) = leaf.kind, !terms.contains(where: { $0.query.typed == query.typed }) else { continue }
            terms.append((query, query.main.normalized.count, BM25Scores.idf(match.docs.count, documentCount: Double(max(1, snapshot.documentCount))), match))
        }
        guard parameters.proximity > 0, parameters.window >= 1, terms.count >= 2, result.count >= 2 else { return [:] }
        let best = topIndices(scores: scores, lowerTier: lowerTier, docs: result, ranks: documents.idRank, count: min(Int(parameters.window), result.count))
        let top = Array(best.prefix(Self.withinBudget(best.map { result[$0] }, matches: terms.map(\.match)))).sorted()
        let starts = try self.starts(of: terms.map(\.query), in: top.map { result[$0] }, deadline)
        var bonuses: [Int: ProximityBonus] = [:]
        let idfSum = terms.reduce(0) { $0 + $1.idf }
        for (k, i) in top.enumerated() {
            guard let gap = Self.smallestGap(starts[k], lengths: terms.map(\.length)) else { continue }
            let value = parameters.proximity * idfSum * parameters.span / (parameters.span + Double(gap))
            bonuses[i] = ProximityBonus(value: value, gap: gap, terms: terms.count, idfSum: idfSum)
        }
        return bonuses
    }

    /// Per document of `docs` (global ids, ascending), the starts of each of `queries` in it.
    func starts(of queries: [TextQuery], in docs: [Int], _ deadline: Deadline) throws(SearchError) -> [[[Int32]]] {
        var starts = [[[Int32]]](repeating: [[Int32]](repeating: [], count: queries.count), count: docs.count)
        do {
            for (s, segment) in snapshot.segments.enumerated() {
                let range = Self.lowerBound(docs, segment.docBase)..<Self.lowerBound(docs, segment.docBase + segment.reader.documentCount)
                guard !range.isEmpty else { continue }
                let local = docs[range].map { Int32($0 - segment.docBase) }
                for (t, query) in queries.enumerated() {
                    try deadline.check()
                    for (doc, found, _) in try occurrences(query, in: segment, s, wantStarts: { _ in true }, deadline, restrict: local) {
                        let k = Self.lowerBound(docs, segment.docBase + doc)
                        if k < docs.count && docs[k] == segment.docBase + doc { starts[k][t] = found }
                    }
                }
            }
        } catch let error as SearchError { throw error } catch let error as IndexError { throw .index(error) } catch { throw .index(.invalidArgument("\(error)")) }
        return starts
    }

    /// Positions the proximity part decodes at most, counted as occurrences of the terms in the
    /// rescored documents: past it, fewer documents are rescored (at least ``proximityFloor``), so
    /// that a query over very long documents (a sitting record holds 政院 thousands of times)
    /// costs about what one over speeches does.
    static let proximityBudget = 20_000
    static let proximityFloor = 10

    /// How many of `docs` (best first) the proximity part rescores within ``proximityBudget``.
    static func withinBudget(_ docs: [Int], matches: [LeafMatch]) -> Int {
        var total = 0
        for (k, doc) in docs.enumerated() {
            for match in matches {
                let i = lowerBound(match.docs, doc)
                if i < match.docs.count && match.docs[i] == doc { total += match.counts[i] }
            }
            if total > proximityBudget && k >= proximityFloor { return k }
        }
        return docs.count
    }

    /// The fewest characters between the terms (`starts[t]` ascending, term t `lengths[t]`
    /// long): over every run of consecutive occurrences, in text order (by start, then term),
    /// that holds each term, its span (first start to furthest end) less the terms' lengths, 0
    /// when they touch or overlap; nil when some term has no occurrence.
    static func smallestGap(_ starts: [[Int32]], lengths: [Int]) -> Int? {
        guard starts.allSatisfy({ !$0.isEmpty }) else { return nil }
        // The lists merged in text order (by start, then term).
        var events: [(start: Int, term: Int)] = []
        events.reserveCapacity(starts.reduce(0) { $0 + $1.count })
        var heads = [Int](repeating: 0, count: starts.count)
        while true {
            var next = -1
            for t in starts.indices where heads[t] < starts[t].count && (next < 0 || starts[t][heads[t]] < starts[next][heads[next]]) { next = t }
            guard next >= 0 else { break }
            events.append((Int(starts[next][heads[next]]), next))
            heads[next] += 1
        }
        let total = lengths.reduce(0, +), longest = lengths.max() ?? 0
        var held = [Int](repeating: 0, count: starts.count), covered = 0, best = Int.max, left = 0
        for (right, event) in events.enumerated() {
            if held[event.term] == 0 { covered += 1 }
            held[event.term] += 1
            while covered == starts.count {
                let first = events[left]
                // The furthest end: only occurrences starting within `longest` of it can reach it.
                var end = 0, j = right
                while j >= left && events[j].start + longest > end {
                    end = max(end, events[j].start + lengths[events[j].term])
                    j -= 1
                }
                best = min(best, max(0, end - first.start - total))
                held[first.term] -= 1
                if held[first.term] == 0 { covered -= 1 }
                left += 1
            }
        }
        return best
    }
}
