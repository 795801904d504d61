/// Steps 3–4 of the passage finder: regions from the alignments' sides, each region's core, and
/// clusters of regions (and sub-spans) joined by alignments.
extension PassageFinder {
    /// Regions and clusters from every alignment (in any order: they are sorted first, so an
    /// incremental run clusters exactly as a full one).
    func cluster(_ pairs: PairResults) -> Result {
        // Stage 3 hands them over sorted unless an incremental run carried old ones over.
        let alignments = Self.isCanonical(pairs.alignments) ? pairs.alignments : Self.canonicalOrder(pairs.alignments)
        var regions = Regions(alignments)
        let located = regions.locate(alignments)
        regions.setCores(alignments, located)
        let (nodes, edges) = nodesAndEdges(regions, alignments, located)
        let clusters = Self.components(nodes, edges)
        let short = Self.isCanonical(pairs.shortMatches) ? pairs.shortMatches : Self.canonicalOrder(pairs.shortMatches)
        let outside = short.filter { m in
            let ra = regions.locate(Int(m.a), Int(m.sa))
            return regions.list.isEmpty || !(regions.list[ra].doc == Int(m.a) && Int(m.sa) < regions.list[ra].end)
        }
        return Result(clusters: clusters, regions: nodes, shortMatches: outside)
    }

    /// 3. Regions: overlapping alignment sides merged, per document, sorted by (doc, start).
    struct Regions {
        var list: [Region] = []

        init(_ alignments: [Match]) {
            var sides: [(doc: Int32, start: Int32, end: Int32)] = []  // 12 bytes a side
            sides.reserveCapacity(2 * alignments.count)
            for a in alignments {
                sides.append((a.a, a.sa, a.ea))
                sides.append((a.b, a.sb, a.eb))
            }
            sides.sort { ($0.doc, $0.start) < ($1.doc, $1.start) }
            for side in sides {
                let (doc, start, end) = (Int(side.doc), Int(side.start), Int(side.end))
                if let last = list.last, last.doc == doc, start < last.end {
                    list[list.count - 1].end = max(last.end, end)
                } else {
                    list.append(Region(doc: doc, start: start, end: end))
                }
            }
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

        /// The regions of both sides of every alignment (a's at 2i, b's at 2i + 1), found on both cores.
        func locate(_ alignments: [Match]) -> [Int32] {
            let chunk = 1 << 16
            let parts = parallelMap((alignments.count + chunk - 1) / chunk) { c, _ in
                var part: [Int32] = []
                part.reserveCapacity(2 * chunk)
                for a in alignments[(c * chunk)..<min(alignments.count, (c + 1) * chunk)] {
                    part.append(Int32(locate(Int(a.a), Int(a.sa))))
                    part.append(Int32(locate(Int(a.b), Int(a.sb))))
                }
                return part
            }
            return Array(parts.joined())
        }

        /// Cores: the longest run of positions covered by ≥ half of each region's long sides
        /// (`located`: ``locate(_:)``).
        mutating func setCores(_ alignments: [Match], _ located: [Int32]) {
            // Every region's sides in one flat array (8 bytes a side), region by region.
            var first = [Int](repeating: 0, count: list.count + 1)
            for r in located { first[Int(r) + 1] += 1 }
            for r in list.indices { first[r + 1] += first[r] }
            var next = first
            var flat = [Range<Int32>](repeating: 0..<0, count: first[list.count])
            for (i, a) in alignments.enumerated() {
                let ra = Int(located[2 * i]), rb = Int(located[2 * i + 1])
                flat[next[ra]] = a.sa..<a.ea
                next[ra] += 1
                flat[next[rb]] = a.sb..<a.eb
                next[rb] += 1
            }
            for r in list.indices {
                let regionSides = flat[first[r]..<first[r + 1]].map { Int($0.lowerBound)..<Int($0.upperBound) }
                // Only sides spanning at least half the region vote: a short repeat inside a long
                // passage says nothing about the passage's extent.
                let sidesHere = regionSides.filter { $0.count * 2 >= list[r].count }
                guard sidesHere.count >= 3 else {  // too few to vote: the span of the long sides
                    let long = sidesHere.isEmpty ? regionSides : sidesHere
                    list[r].coreStart = long.map(\.lowerBound).min() ?? list[r].start
                    list[r].coreEnd = long.map(\.upperBound).max() ?? list[r].end
                    continue
                }
                let core = Self.majorityRun(sidesHere, in: list[r].start..<list[r].end)
                list[r].coreStart = core.lowerBound
                list[r].coreEnd = core.upperBound
            }
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

    /// 4. The graph to cluster. Nodes are the regions, plus sub-spans: when an alignment covers
    /// nearly all of one region but only part of the other (a boilerplate paragraph inside a
    /// longer reused passage), that part joins the smaller region's cluster as a member of its own.
    func nodesAndEdges(_ regions: Regions, _ alignments: [Match], _ located: [Int32]) -> (nodes: [Region], edges: [(Int32, Int32)]) {
        var nodes = regions.list
        var subNodes: [Int: [Int]] = [:]  // region → its sub-span nodes
        func subNode(_ r: Int, _ span: Range<Int>) -> Int {
            if let existing = subNodes[r]?.first(where: { abs(nodes[$0].start - span.lowerBound) <= 2 && abs(nodes[$0].end - span.upperBound) <= 2 }) {
                return existing
            }
            var node = regions.list[r]
            node.start = span.lowerBound; node.end = span.upperBound
            node.coreStart = span.lowerBound; node.coreEnd = span.upperBound
            nodes.append(node)
            subNodes[r, default: []].append(nodes.count - 1)
            return nodes.count - 1
        }
        func cover(_ side: Range<Int>, _ core: Range<Int>) -> Double {
            core.isEmpty ? 0 : Double(max(0, min(side.upperBound, core.upperBound) - max(side.lowerBound, core.lowerBound))) / Double(core.count)
        }
        var edges: [(Int32, Int32)] = []  // 8 bytes an edge
        for (i, a) in alignments.enumerated() {
            let ra = Int(located[2 * i]), rb = Int(located[2 * i + 1])
            guard ra != rb else { continue }
            let (regionA, regionB) = (regions.list[ra], regions.list[rb])
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
        return (nodes, edges)
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
        var components: [Int: [Int]] = [:]
        for n in nodes.indices where linked[n] { components[sets.root(n), default: []].append(n) }
        return components.values.map { members -> [Int] in
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
        }.filter { $0.count >= 2 }.sorted { (nodes[$0[0]].doc, nodes[$0[0]].start) < (nodes[$1[0]].doc, nodes[$1[0]].start) }
    }
}
