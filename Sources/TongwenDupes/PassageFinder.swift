import TongwenAnalysis

/// Finds repeated passages across and inside documents.
///
/// 1. Seeds: pairs of equal winnowing fingerprints (stored in the index) (all pairs in small groups, a chain of
///    neighbours in large ones), taken one document at a time (``pairs(of:groups:_:_:isNew:)``),
///    each extended left and right into a maximal exact match (MEM)
///    (inside one document, not overlapping itself). A match may cross a line break both texts
///    have, but only if it goes on for ≥ `minLength` units past it; otherwise it stops there.
/// 2. Alignments: MEMs of one document pair chained along their diagonal across gaps (≤ 40
///    units, lengths within 3 of each other, mostly-equal units when over 10: substitutions,
///    placeholders; never across a line break), extended past the ends through isolated edits
///    (x-drop), kept when both sides span ≥ `minLength` units and matched units / span ≥
///    `minSimilarity`.
/// 3. Regions: in each document, the union of the alignment sides that overlap; a region's core
///    is what at least half of its long sides (≥ half the region) cover when there are ≥ 3 of
///    them, else the span of those long sides: a copy's extent, not what one pair shares by
///    chance around it or a short repeat overlapping its edge.
/// 4. Clusters: regions joined by an alignment that covers ≥ `joinCoverage` of each region, or
///    of its core; when it covers only one of them, the part of the other it covers joins as a
///    member of its own (a boilerplate paragraph inside a longer reused passage). A cluster is a
///    connected component of ≥ 2 members. Requiring near-full coverage keeps a longer variant
///    (`…讲话 篇N`, 5 copies) apart from the shorter line it extends (8 copies with those 5).
struct PassageFinder {
    var minLength = 20
    var minSimilarity = 0.85
    var joinCoverage = 0.95
    var maxGap = 40
    /// Fuzzy mode: alignments are extended past their last exact match while substitutions stay rare.
    var extendThroughEdits = true
    /// Groups with more members than this are seeded as a chain, not all pairs.
    var allPairsLimit = 32

    struct Match {
        var a: Int32, sa: Int32, ea: Int32
        var b: Int32, sb: Int32, eb: Int32
        var matched: Int32
    }

    /// Stored as 32-bit numbers (20 bytes: at 1 GB the clustering holds tens of millions).
    struct Region {
        private var doc32: Int32, start32: Int32, end32: Int32, coreStart32: Int32, coreEnd32: Int32

        init(doc: Int, start: Int, end: Int, coreStart: Int = 0, coreEnd: Int = 0) {
            (doc32, start32, end32) = (Int32(doc), Int32(start), Int32(end))
            (coreStart32, coreEnd32) = (Int32(coreStart), Int32(coreEnd))
        }

        var doc: Int { get { Int(doc32) } set { doc32 = Int32(newValue) } }
        var start: Int { get { Int(start32) } set { start32 = Int32(newValue) } }
        var end: Int { get { Int(end32) } set { end32 = Int32(newValue) } }
        /// The part covered by at least half of the alignment sides that built the region: a copy's
        /// own extent, whatever one pair shares by chance beyond it.
        var coreStart: Int { get { Int(coreStart32) } set { coreStart32 = Int32(newValue) } }
        var coreEnd: Int { get { Int(coreEnd32) } set { coreEnd32 = Int32(newValue) } }
        var count: Int { end - start }
        var core: Range<Int> { coreStart..<coreEnd }
    }

    struct Result {
        /// Each cluster: indices into `regions`, sorted by (doc, start).
        var clusters: [[Int]]
        /// The regions, then the sub-spans that joined a cluster on their own.
        var regions: [Region]
        /// Exact matches of k…(minLength-1) units outside every region: stock-phrase candidates.
        var shortMatches: [Match]
    }

    /// A fingerprint occurrence: the seeds of step 1 (``SeedTable``).
    struct Seed: Comparable {
        var hash: UInt32
        var doc: Int32
        var position: Int32

        static func < (a: Seed, b: Seed) -> Bool { (a.hash, a.doc, a.position) < (b.hash, b.doc, b.position) }
    }

    /// What steps 1–2 find for the document pairs they look at.
    struct PairResults {
        var alignments: [Match] = []
        /// Exact matches of k…(minLength-1) units: stock-phrase candidates.
        var shortMatches: [Match] = []
    }

    /// Steps 1–2 for the document pairs whose first copy in seed order is in document `a`.
    /// `groups` are a's groups in `table` (``SeedTable/groups(of:)``): in each, a seed pair is
    /// every pair of occurrences (at most ``allPairsLimit`` of them) or, in a larger group, each
    /// occurrence and the next one and the first with every other. The seed pairs are extended
    /// into maximal matches and chained per pair. Only pairs with a document where `isNew` is true
    /// are looked at (all pairs when nil): the incremental run reuses what an earlier run found
    /// for the others. Alignments and short matches come in canonical order (``canonicalOrder(_:)``).
    func pairs(of a: Int, groups: [Range<Int>], _ table: SeedTable, _ texts: [[Unit]], isNew: [Bool]? = nil) -> PairResults {
        var mems: [Match] = []
        var covered = CoveredDiagonals()
        for group in groups {
            for x in table.occurrences(in: group, of: Int32(a)) {
                let first = table[x]
                func seed(_ y: Int) {
                    let other = table[y]
                    if let isNew, !isNew[a] && !isNew[Int(other.doc)] { return }
                    extend(first.doc, first.position, other.doc, other.position, texts, &mems, &covered)
                }
                if group.count <= allPairsLimit {
                    for y in (x + 1)..<group.upperBound { seed(y) }
                } else {
                    if x + 1 < group.upperBound { seed(x + 1) }
                    if x == group.lowerBound { for y in (x + 2)..<group.upperBound { seed(y) } }
                }
            }
        }
        // Every match has `a` first (seeds come sorted by document and position); the stable
        // sort keeps a pair's matches with equal starts in the order they were found.
        mems.sort { ($0.b, $0.sa) < ($1.b, $1.sa) }
        var results = chainPairs(mems[...], texts)
        let order: (Match, Match) -> Bool = { ($0.b, $0.sa, $0.sb, $0.ea, $0.eb) < ($1.b, $1.sa, $1.sb, $1.ea, $1.eb) }
        results.alignments.sort(by: order)
        results.shortMatches.sort(by: order)
        return results
    }

    /// Step 2 over `mems` (sorted by pair and start, whole pairs): each pair's matches chained
    /// across small gaps into alignments, and the short exact ones kept apart.
    private func chainPairs(_ mems: ArraySlice<Match>, _ texts: [[Unit]]) -> PairResults {
        var results = PairResults()
        var open = OpenChains()
        var candidates: [Int32] = []
        var i = mems.startIndex
        while i < mems.endIndex {
            var j = i
            var chains: [Match] = []
            open.reset()
            let ta = texts[Int(mems[i].a)], tb = texts[Int(mems[i].b)]
            while j < mems.endIndex && mems[j].a == mems[i].a && mems[j].b == mems[i].b {
                let m = mems[j]
                open.candidates(for: m, chains, maxGap: maxGap, into: &candidates)
                // The latest-begun chain that may take m (candidates come latest first).
                if let c = candidates.first(where: { canJoin(chains[Int($0)], m, ta, tb) }).map(Int.init) {
                    let gap = min(Int(m.sa - chains[c].ea), Int(m.sb - chains[c].eb))
                    let equal = (0..<max(0, gap)).count { ta[Int(chains[c].ea) + $0] == tb[Int(chains[c].eb) + $0] }
                    open.move(Int32(c), from: chains[c].ea - chains[c].eb, to: m.ea - m.eb)
                    chains[c].ea = m.ea
                    chains[c].eb = m.eb
                    chains[c].matched += m.matched + Int32(equal)
                } else {
                    open.add(Int32(chains.count), diagonal: m.ea - m.eb)
                    chains.append(m)
                }
                j += 1
            }
            for var chain in chains {
                if extendThroughEdits { extendEnds(&chain, ta, tb) }
                let spanA = Int(chain.ea - chain.sa), spanB = Int(chain.eb - chain.sb)
                if spanA >= minLength && spanB >= minLength && Double(chain.matched) / Double(max(spanA, spanB)) >= minSimilarity {
                    results.alignments.append(chain)
                } else if chain.matched == chain.ea - chain.sa {
                    results.shortMatches.append(chain)
                }
            }
            i = j
        }
        return results
    }

    /// Whether match `m` may extend `chain` across the gap between them (both of one pair, the
    /// gaps already within ``maxGap`` and within 3 of each other: ``OpenChains``).
    private func canJoin(_ chain: Match, _ m: Match, _ ta: [Unit], _ tb: [Unit]) -> Bool {
        let gapA = Int(m.sa - chain.ea), gapB = Int(m.sb - chain.eb)
        // A long gap must look like substitutions: aligned units mostly equal around it.
        if min(gapA, gapB) > 10 {
            let equal = (0..<min(gapA, gapB)).count { ta[Int(chain.ea) + $0] == tb[Int(chain.eb) + $0] }
            if Double(equal) < 0.5 * Double(min(gapA, gapB)) { return false }
        }
        // Never across a line break, and inside one text the two copies must not overlap.
        if m.a == m.b && m.ea > chain.sb { return false }
        return !ta[Int(chain.ea)..<Int(m.sa)].contains(CompactUnits.barrier)
            && !tb[Int(chain.eb)..<Int(m.sb)].contains(CompactUnits.barrier)
    }

    /// Whether `matches` are in canonical order (``canonicalOrder(_:)``).
    static func isCanonical(_ matches: [Match]) -> Bool {
        zip(matches, matches.dropFirst()).allSatisfy { x, y in (x.a, x.b, x.sa, x.sb, x.ea, x.eb) <= (y.a, y.b, y.sa, y.sb, y.ea, y.eb) }
    }

    /// `matches` sorted by (a, b, sa, sb, ea, eb), through packed 64-bit keys.
    static func canonicalOrder(_ matches: [Match]) -> [Match] {
        var keys = matches.indices.map { i -> (UInt64, UInt64, UInt64) in
            let m = matches[i]
            return (UInt64(UInt32(m.a)) << 32 | UInt64(UInt32(m.b)), UInt64(UInt32(m.sa)) << 32 | UInt64(UInt32(m.sb)),
                    UInt64(UInt32(m.ea)) << 32 | UInt64(UInt32(m.eb)))
        }
        var order = Array(matches.indices)
        keys.withUnsafeMutableBufferPointer { k in
            order.sort { x, y in k[x] < k[y] }
        }
        return order.map { matches[$0] }
    }

    /// X-drop extension at both ends: +1 for an equal unit, −1 for a different one, ending after
    /// 2 equal units in a row, stopping 4 below the best score, at a line break, or where copies
    /// inside one text would overlap. At a
    /// mismatch it may step over 1–3 units on one side when the next 4 units then agree (a
    /// placeholder `X` for a two-character name). Recovers copy ends past edits.
    private func extendEnds(_ chain: inout Match, _ ta: [Unit], _ tb: [Unit]) {
        let same = chain.a == chain.b
        func usable(_ t: [Unit], _ i: Int) -> Bool { i >= 0 && i < t.count && t[i] != CompactUnits.barrier }
        func agree(_ i: Int, _ j: Int, _ step: Int) -> Bool {
            (0..<4).allSatisfy { usable(ta, i + step * $0) && usable(tb, j + step * $0) && ta[i + step * $0] == tb[j + step * $0] }
        }
        /// Walks from (i, j) in direction `step`; returns how far each side got and the matches.
        func walk(_ step: Int, _ i0: Int, _ j0: Int, _ allowed: (Int, Int) -> Bool) -> (Int, Int, Int) {
            var i = i0, j = j0
            var score = 0, best = 0, matched = 0, run = 0
            var bestI = i0, bestJ = j0, bestMatched = 0
            while usable(ta, i) && usable(tb, j) && allowed(i, j) {
                if ta[i] == tb[j] {
                    score += 1; matched += 1; run += 1; i += step; j += step
                } else {
                    score -= 1
                    run = 0
                    var jumped = false
                    for skip in 1...3 where !jumped {
                        // Never jump over a line break.
                        if (0..<skip).allSatisfy({ usable(ta, i + step * $0) }), agree(i + step * skip, j, step) {
                            i += step * skip; jumped = true
                        } else if (0..<skip).allSatisfy({ usable(tb, j + step * $0) }), agree(i, j + step * skip, step) {
                            j += step * skip; jumped = true
                        }
                    }
                    if !jumped { i += step; j += step }
                }
                // An end counts only after 2 equal units in a row: one coincidental equal
                // character next to a copy does not stretch it.
                if score > best && run >= 2 { best = score; bestI = i; bestJ = j; bestMatched = matched }
                if score < best - 4 { break }
            }
            return (abs(bestI - i0), abs(bestJ - j0), bestMatched)
        }
        let (ra, rb, rm) = walk(1, Int(chain.ea), Int(chain.eb)) { i, _ in !same || i < Int(chain.sb) }
        chain.ea += Int32(ra); chain.eb += Int32(rb); chain.matched += Int32(rm)
        let (la, lb, lm) = walk(-1, Int(chain.sa) - 1, Int(chain.sb) - 1) { _, j in !same || j >= Int(chain.ea) }
        chain.sa -= Int32(la); chain.sb -= Int32(lb); chain.matched += Int32(lm)
    }

    /// Extends a seed pair into a maximal exact match, unless a match on the same diagonal
    /// already covers it.
    private func extend(_ da: Int32, _ pa: Int32, _ db: Int32, _ pb: Int32, _ texts: [[Unit]],
                        _ mems: inout [Match], _ covered: inout CoveredDiagonals) {
        var (da, pa, db, pb) = (da, pa, db, pb)
        if (db, pb) < (da, pa) { swap(&da, &db); swap(&pa, &pb) }
        if da == db && pa == pb { return }
        let key = DiagonalKey(a: da, b: db, diagonal: pa - pb)
        if covered.covers(key, pa) { return }
        let ta = texts[Int(da)], tb = texts[Int(db)]
        // Equal units, a line break matching a line break.
        var s = 0
        while Int(pa) - s - 1 >= 0 && Int(pb) - s - 1 >= 0 && ta[Int(pa) - s - 1] == tb[Int(pb) - s - 1] { s += 1 }
        var e = 0
        while Int(pa) + e < ta.count && Int(pb) + e < tb.count {
            if da == db && Int(pa) + e >= Int(pb) - s { break }  // inside one text: the copies must not overlap
            if ta[Int(pa) + e] != tb[Int(pb) + e] { break }
            e += 1
        }
        // A match crosses a line break only when it goes on for minLength units past it: a line
        // that merely starts the same way as the next does not join the passage.
        var lower = Int(pa) - s, upper = Int(pa) + e
        while let cut = ta[lower..<upper].lastIndex(of: CompactUnits.barrier), upper - cut - 1 < minLength { upper = cut }
        while let cut = ta[lower..<upper].firstIndex(of: CompactUnits.barrier), cut - lower < minLength {
            if cut + 1 > Int(pa) { lower = Int(pa); upper = min(upper, cut); break }  // the seed sits before the break
            lower = cut + 1
        }
        while upper > lower, ta[upper - 1] == CompactUnits.barrier { upper -= 1 }
        while lower < upper, ta[lower] == CompactUnits.barrier { lower += 1 }
        s = Int(pa) - lower
        e = upper - Int(pa)
        if s < 0 || e <= 0 { return }
        guard s + e >= Winnowing.k else { return }
        let m = Match(a: da, sa: pa - Int32(s), ea: pa + Int32(e), b: db, sb: pb - Int32(s), eb: pb + Int32(e), matched: Int32(s + e))
        mems.append(m)
        covered.add(key, m.sa..<m.ea)
    }
}
