import TongwenIndex

/// The requested page of a ranked result: indices into the result, best first; the total (after
/// collapsing); and, per kept hit, the ids of the near-duplicates folded into it.
struct RankedPage {
    var order: [Int]
    var total: Int
    var folded: [Int: [String]] = [:]
}

extension Searcher {
    /// The first `offset + limit` of the result by score; with `collapse`, everything is ranked
    /// and only the best hit of each near-duplicate group is kept.
    func rank(_ result: [Int], scores: [Double], lowerTier: [Bool], _ documents: DocumentTable, _ options: SearchOptions) -> RankedPage {
        let wanted = options.offset + options.limit
        guard let groups = options.collapse, !groups.isEmpty else {
            let order = topIndices(scores: scores, lowerTier: lowerTier, docs: result, ranks: documents.idRank, count: min(result.count, wanted))
            return RankedPage(order: order, total: result.count)
        }
        var group: [String: Int] = [:]
        for (g, ids) in groups.enumerated() { for id in ids { group[id] = g } }
        var seen: [Int: Int] = [:]
        var page = RankedPage(order: [], total: 0)
        for i in topIndices(scores: scores, lowerTier: lowerTier, docs: result, ranks: documents.idRank, count: result.count) {
            let id = documents.ids[result[i]]
            if let g = group[id] {
                if let keeper = seen[g] { page.folded[keeper, default: []].append(id); continue }
                seen[g] = i
            }
            page.order.append(i)
        }
        page.total = page.order.count
        page.order = Array(page.order.prefix(wanted))
        return page
    }

    /// The page's hits, from the document table (snippets not yet made).
    func hits(_ page: RankedPage, result: [Int], scores: [Double], lowerTier: [Bool], _ documents: DocumentTable, _ options: SearchOptions) -> [Hit] {
        page.order.dropFirst(options.offset).map { i in
            let doc = result[i]
            return Hit(id: documents.ids[doc], title: documents.shownTitles[doc], score: scores[i], metadata: documents.metadata[doc], snippets: [],
                       document: doc, similarVersions: options.collapse == nil ? nil : (page.folded[i] ?? []), boilerplateOnly: lowerTier[i])
        }
    }

    /// Snippets for each hit, highlighting the positive leaves' forms.
    func addSnippets(_ hits: inout [Hit], leaves: [Leaf], _ options: SearchOptions) throws(SearchError) {
        let patterns = leaves.compactMap { $0.positive ? $0.highlightPatterns : nil }
        for k in hits.indices {
            let text: String
            do { text = try snapshot.text(hits[k].document) } catch { throw .index(error) }
            hits[k].snippets = try withAnalyzer { analyzer in
                Snippets.make(text: text, patterns: patterns, analyzer: analyzer, count: options.maxSnippets, variants: options.variants)
            }
        }
    }

    /// Where the positive terms of `query` occur in `text` (a stored document's original text):
    /// UTF-8 byte ranges, ascending, as snippets highlight them. For a reader page.
    public func highlights(of query: String, in text: String, options: SearchOptions = SearchOptions()) throws(SearchError) -> [Range<Int>] {
        let (_, leaves) = try compiled(query, filters: [], options: options)
        let patterns = leaves.compactMap { $0.positive ? $0.highlightPatterns : nil }
        return try withAnalyzer { analyzer in
            Snippets.matches(text: text, patterns: patterns, analyzer: analyzer, variants: options.variants, perPattern: .max).map(\.range)
        }
    }

    /// Indices of the best `count` entries: score descending, then id rank ascending.
    func topIndices(scores: [Double], lowerTier: [Bool], docs: [Int], ranks: [Int32], count: Int) -> [Int] {
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
