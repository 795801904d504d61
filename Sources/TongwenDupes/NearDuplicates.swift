import TongwenAnalysis

/// Near-duplicate documents: character 5-gram Jaccard ≥ 0.7, or containment ≥ 0.8 when the
/// smaller document has ≥ 300 characters. Candidates are document pairs sharing at least
/// `candidateShare` of the smaller one's winnowing fingerprints (fingerprints shared by more than
/// `commonLimit` documents are boilerplate and say nothing about a pair); every candidate is
/// verified with exact shingle sets.
struct NearDuplicateFinder {
    var jaccard = 0.7
    var containment = 0.8
    var containmentMinLength = 300
    var commonLimit = 50
    var candidateShare = 0.2

    struct Pair: Sendable {
        var a: Int
        var b: Int
        var jaccard: Double
        var containment: Double
    }

    /// The pairs of document `a` with the later documents, from a's `groups` in `table`
    /// (``SeedTable/groups(of:)``), where `distinct[d]` is document d's number of distinct
    /// fingerprints. Only pairs with a document where `isNew` is true are looked at (all pairs
    /// when nil). Sorted by the other document.
    func pairs(of a: Int, groups: [Range<Int>], _ table: SeedTable, _ texts: [[Unit]], distinct: [Int], isNew: [Bool]? = nil) -> [Pair] {
        var shared: [Int32: Int32] = [:]
        var docs: [Int32] = []
        for group in groups {
            docs.removeAll(keepingCapacity: true)
            var i = group.lowerBound
            while i < group.upperBound && docs.count <= commonLimit {
                if docs.last != table[i].doc { docs.append(table[i].doc) }
                i += 1
            }
            guard docs.count >= 2 && docs.count <= commonLimit else { continue }
            for b in docs where Int(b) > a && (isNew == nil || isNew![a] || isNew![Int(b)]) { shared[b, default: 0] += 1 }
        }
        var pairs: [Pair] = []
        var shinglesA: Set<UInt64>?
        for (b, count) in shared.sorted(by: { $0.key < $1.key }) {
            let b = Int(b)
            guard Double(count) >= candidateShare * Double(max(1, min(distinct[a], distinct[b]))) else { continue }
            let sa = shinglesA ?? Self.shingles(texts[a]), sb = Self.shingles(texts[b])
            shinglesA = sa
            guard !sa.isEmpty, !sb.isEmpty else { continue }
            let common = Double(sa.intersection(sb).count)
            let j = common / Double(sa.count + sb.count - Int(common))
            let c = common / Double(min(sa.count, sb.count))
            let smaller = min(texts[a].count, texts[b].count)
            if j >= jaccard || (c >= containment && smaller >= containmentMinLength) {
                pairs.append(Pair(a: a, b: b, jaccard: j, containment: c))
            }
        }
        return pairs
    }

    /// Hashes of every 5-gram that crosses no barrier.
    static func shingles(_ units: [Unit]) -> Set<UInt64> {
        var result = Set<UInt64>()
        guard units.count >= 5 else { return result }
        for i in 0...(units.count - 5) {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            var ok = true
            for k in 0..<5 {
                let u = units[i + k]
                if u == CompactUnits.barrier { ok = false; break }
                h = (h ^ UInt64(u)) &* 0x100_0000_01b3
            }
            if ok { result.insert(h) }
        }
        return result
    }
}
