/// Steps 3–4 of the passage finder: regions from the alignments' sides, each region's core, and
/// clusters of regions (and sub-spans) joined by alignments.
extension PassageFinder {
    /// Regions and clusters from every alignment (in any order: they are sorted first, so an
    /// incremental run clusters exactly as a full one).
    func cluster(_ pairs: PairResults) -> Result {
        // Stage 3 hands them over sorted unless an incremental run carried old ones over.
        let alignments = Self.isCanonical(pairs.alignments) ? pairs.alignments : Self.canonicalOrder(pairs.alignments)
        var regions = Regions(alignments)
        let short = Self.isCanonical(pairs.shortMatches) ? pairs.shortMatches : Self.canonicalOrder(pairs.shortMatches)
        let outside = short.filter { m in
            let ra = regions.locate(Int(m.a), Int(m.sa))
            return regions.list.isEmpty || !(regions.list[ra].doc == Int(m.a) && Int(m.sa) < regions.list[ra].end)
        }
        var located = regions.locate(alignments)
        // The regions become the graph's first nodes in place (no copy), with room for a sub-span
        // an alignment: reserved, not touched, so growing never copies the whole list.
        var nodes = regions.list
        regions.list = []
        nodes.reserveCapacity(nodes.count + alignments.count)
        let edges = Self.addSubNodesAndEdges(&nodes, alignments, located, joinCoverage: joinCoverage)
        located = []
        let clusters = Self.components(nodes, edges)
        return Result(clusters: clusters, regions: nodes, shortMatches: outside)
    }

    /// 3. Regions: overlapping alignment sides merged, per document, sorted by (doc, start), each
    /// with its core.
    struct Regions {
        var list: [Region] = []

        /// One alignment side (8 bytes; its document is the bucket it sits in).
        struct Side {
            var start: Int32, end: Int32
        }

        /// Every side bucketed by document and sorted by start there, so a region's sides are one
        /// run of its document's: merged into regions and voting on their cores in one pass.
        init(_ alignments: [Match]) {
            let documents = Int(alignments.reduce(-1) { max($0, $1.a, $1.b) }) + 1
            var first = [Int](repeating: 0, count: documents + 1)
            for a in alignments {
                first[Int(a.a) + 1] += 1
                first[Int(a.b) + 1] += 1
            }
            for d in 0..<documents { first[d + 1] += first[d] }
            var next = first
            var sides = [Side](repeating: Side(start: 0, end: 0), count: first[documents])
            for a in alignments {
                sides[next[Int(a.a)]] = Side(start: a.sa, end: a.ea)
                next[Int(a.a)] += 1
                sides[next[Int(a.b)]] = Side(start: a.sb, end: a.eb)
                next[Int(a.b)] += 1
            }
            next = []
            sides.withUnsafeMutableBufferPointer { sides in
                for doc in 0..<documents where first[doc] < first[doc + 1] {
                    var bucket = UnsafeMutableBufferPointer(rebasing: sides[first[doc]..<first[doc + 1]])
                    bucket.sort { $0.start < $1.start }
                    var runStart = 0
                    for (i, side) in bucket.enumerated() {
                        if i > 0, let last = list.last, Int(side.start) < last.end {
                            list[list.count - 1].end = max(last.end, Int(side.end))
                            continue
                        }
                        if i > 0 { Self.setCore(&list[list.count - 1], UnsafeBufferPointer(rebasing: bucket[runStart..<i])) }
                        list.append(Region(doc: doc, start: Int(side.start), end: Int(side.end)))
                        runStart = i
                    }
                    Self.setCore(&list[list.count - 1], UnsafeBufferPointer(rebasing: bucket[runStart...]))
                }
            }
        }

        /// The core of `region` from its sides: the longest run of positions covered by ≥ half of
        /// its long sides.
        static func setCore(_ region: inout Region, _ sides: UnsafeBufferPointer<Side>) {
            let all = sides.map { Int($0.start)..<Int($0.end) }
            // Only sides spanning at least half the region vote: a short repeat inside a long
            // passage says nothing about the passage's extent.
            let long = all.filter { $0.count * 2 >= region.count }
            guard long.count >= 3 else {  // too few to vote: the span of the long sides
                let spans = long.isEmpty ? all : long
                region.coreStart = spans.map(\.lowerBound).min() ?? region.start
                region.coreEnd = spans.map(\.upperBound).max() ?? region.end
                return
            }
            let core = majorityRun(long, in: region.start..<region.end)
            region.coreStart = core.lowerBound
            region.coreEnd = core.upperBound
        }

        /// The region holding `position` of `doc` (the last starting at or before it).
        func locate(_ doc: Int, _ position: Int) -> Int {
            var lo = 0, hi = list.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if (list[mid].doc, list[mid].start) <= (doc, position) { lo = mid } else { hi = mid - 1 }
            }
            return lo
        }

        /// The regions of both sides of every alignment (a's at 2i, b's at 2i + 1), found on both
        /// cores and written in place (no per-chunk copies: at 1 GB this array is 0.3 GB).
        func locate(_ alignments: [Match]) -> [Int32] {
            let chunk = 1 << 16
            var located = [Int32](repeating: 0, count: 2 * alignments.count)
            located.withUnsafeMutableBufferPointer { buffer in
                let out = UncheckedSendable(buffer)
                _ = parallelMap((alignments.count + chunk - 1) / chunk) { c, _ in
                    for i in (c * chunk)..<min(alignments.count, (c + 1) * chunk) {
                        out.value[2 * i] = Int32(locate(Int(alignments[i].a), Int(alignments[i].sa)))
                        out.value[2 * i + 1] = Int32(locate(Int(alignments[i].b), Int(alignments[i].sb)))
                    }
                }
            }
            return located
        }

        /// The longest run of `span` covered by at least half of `sides` (a sweep over their ends).
        static func majorityRun(_ sides: [Range<Int>], in span: Range<Int>) -> Range<Int> {
            let need = Int32((sides.count + 1) / 2)
            var change = [Int32](repeating: 0, count: span.count + 1)
            for side in sides {
                change[max(0, side.lowerBound - span.lowerBound)] += 1
                change[min(span.count, side.upperBound - span.lowerBound)] -= 1
            }
            var depth: Int32 = 0
            var best = span.lowerBound..<span.lowerBound
            var runStart: Int?
            for position in span.lowerBound...span.upperBound {
                if position < span.upperBound { depth += change[position - span.lowerBound] }
                let covered = position < span.upperBound && depth >= need
                if covered, runStart == nil { runStart = position }
                if !covered, let s = runStart {
                    if position - s > best.count { best = s..<position }
                    runStart = nil
                }
            }
            return best
        }
    }

    /// 4. The graph to cluster. Nodes are the regions (`nodes` holds them on entry), plus
    /// sub-spans appended to them: when an alignment covers nearly all of one region but only part
    /// of the other (a boilerplate paragraph inside a longer reused passage), that part joins the
    /// smaller region's cluster as a member of its own. Returns the edges.
    static func addSubNodesAndEdges(_ nodes: inout [Region], _ alignments: [Match], _ located: [Int32], joinCoverage: Double) -> [(Int32, Int32)] {
        var subNodes: [Int: [Int]] = [:]  // region → its sub-span nodes
        func subNode(_ r: Int, _ span: Range<Int>) -> Int {
            if let existing = subNodes[r]?.first(where: { abs(nodes[$0].start - span.lowerBound) <= 2 && abs(nodes[$0].end - span.upperBound) <= 2 }) {
                return existing
            }
            var node = nodes[r]
            node.start = span.lowerBound; node.end = span.upperBound
            node.coreStart = span.lowerBound; node.coreEnd = span.upperBound
            nodes.append(node)
            subNodes[r, default: []].append(nodes.count - 1)
            return nodes.count - 1
        }
        func cover(_ side: Range<Int>, _ core: Range<Int>) -> Double {
            core.isEmpty ? 0 : Double(max(0, min(side.upperBound, core.upperBound) - max(side.lowerBound, core.lowerBound))) / Double(core.count)
        }
        var edges: [(Int32, Int32)] = []  // 8 bytes an edge, at most one an alignment
        edges.reserveCapacity(alignments.count)
        for (i, a) in alignments.enumerated() {
            let ra = Int(located[2 * i]), rb = Int(located[2 * i + 1])
            guard ra != rb else { continue }
            let (regionA, regionB) = (nodes[ra], nodes[rb])
            let sideA = Int(a.sa)..<Int(a.ea), sideB = Int(a.sb)..<Int(a.eb)
            let coverA = max(cover(sideA, regionA.start..<regionA.end), cover(sideA, regionA.core))
            let coverB = max(cover(sideB, regionB.start..<regionB.end), cover(sideB, regionB.core))
            if coverA >= joinCoverage && coverB >= joinCoverage {
                edges.append((Int32(ra), Int32(rb)))
            } else if coverB >= joinCoverage {
                edges.append((Int32(subNode(ra, sideA)), Int32(rb)))
            } else if coverA >= joinCoverage {
                edges.append((Int32(ra), Int32(subNode(rb, sideB))))
            }
        }
        return edges
    }

    /// The connected components of two or more nodes, sorted by their first member; within one,
    /// a member inside another member of the same document is dropped.
    static func components(_ nodes: [Region], _ edges: [(Int32, Int32)]) -> [[Int]] {
        var sets = UnionFind(count: nodes.count)
        var linked = [Bool](repeating: false, count: nodes.count)
        for (x, y) in edges {
            sets.union(Int(x), Int(y))
            linked[Int(x)] = true
            linked[Int(y)] = true
        }
        // Linked nodes grouped by their set's root with a counting sort (a dictionary of arrays
        // costs about 80 bytes a component, and at 1 GB there are millions), each group ascending.
        var root = [Int32](repeating: -1, count: nodes.count)
        var offset = [Int32](repeating: 0, count: nodes.count + 1)
        for n in nodes.indices where linked[n] {
            root[n] = Int32(sets.root(n))
            offset[Int(root[n]) + 1] += 1
        }
        (linked, sets) = ([], UnionFind(count: 0))
        for r in nodes.indices { offset[r + 1] += offset[r] }
        var members = [Int32](repeating: 0, count: Int(offset[nodes.count]))
        var next = offset
        for n in nodes.indices where root[n] >= 0 {
            members[Int(next[Int(root[n])])] = Int32(n)
            next[Int(root[n])] += 1
        }
        (next, root) = ([], [])
        var clusters: [[Int]] = []
        for r in nodes.indices where offset[r + 1] - offset[r] >= 2 {
            let kept = Self.outermost(members[Int(offset[r])..<Int(offset[r + 1])].map { Int($0) }, nodes)
            if kept.count >= 2 { clusters.append(kept) }
        }
        return clusters.sorted { (nodes[$0[0]].doc, nodes[$0[0]].start) < (nodes[$1[0]].doc, nodes[$1[0]].start) }
    }

    /// A component's members sorted by (doc, start), without those inside another member of the
    /// same document.
    static func outermost(_ members: [Int], _ nodes: [Region]) -> [Int] {
        let sorted = members.sorted { (nodes[$0].doc, nodes[$0].start, $0) < (nodes[$1].doc, nodes[$1].start, $1) }
        var kept: [Int] = []
        var i = 0
        while i < sorted.count {
            var j = i + 1
            while j < sorted.count && nodes[sorted[j]].doc == nodes[sorted[i]].doc { j += 1 }
            let sameDocument = sorted[i..<j]
            for m in sameDocument where !sameDocument.contains(where: { o in
                o != m && nodes[o].start <= nodes[m].start && nodes[m].end <= nodes[o].end && (nodes[o].count > nodes[m].count || o < m)
            }) {
                kept.append(m)
            }
            i = j
        }
        return kept
    }
}
