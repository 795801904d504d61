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

    /// Pairs among `texts`, from `seeds` (sorted by hash, then document), where `distinct(d)` is
    /// document d's number of distinct fingerprints. Only pairs with a document where `isNew` is
    /// true are looked at (all pairs when nil).
    func find(_ texts: [[Unit]], seeds: [PassageFinder.Seed], distinct: (Int) -> Int, isNew: [Bool]? = nil) -> [Pair] {
        var shared: [UInt64: Int32] = [:]
        var docs: [Int32] = []
        var g = 0
        while g < seeds.count {
            docs.removeAll(keepingCapacity: true)
            var h = g
            while h < seeds.count && seeds[h].hash == seeds[g].hash {
                if docs.last != seeds[h].doc { docs.append(seeds[h].doc) }
                h += 1
            }
            if docs.count >= 2 && docs.count <= commonLimit {
                for x in 0..<docs.count {
                    for y in (x + 1)..<docs.count where isNew == nil || isNew![Int(docs[x])] || isNew![Int(docs[y])] {
                        shared[UInt64(docs[x]) << 32 | UInt64(docs[y]), default: 0] += 1
                    }
                }
            }
            g = h
        }
        var shingles: [Int: Set<UInt64>] = [:]
        func set(_ doc: Int) -> Set<UInt64> {
            if let cached = shingles[doc] { return cached }
            let s = Self.shingles(texts[doc])
            shingles[doc] = s
            return s
        }
        var pairs: [Pair] = []
        for (key, count) in shared {
            let a = Int(key >> 32), b = Int(key & 0xFFFF_FFFF)
            guard Double(count) >= candidateShare * Double(max(1, min(distinct(a), distinct(b)))) else { continue }
            let sa = set(a), sb = set(b)
            guard !sa.isEmpty, !sb.isEmpty else { continue }
            let common = Double(sa.intersection(sb).count)
            let j = common / Double(sa.count + sb.count - Int(common))
            let c = common / Double(min(sa.count, sb.count))
            let smaller = min(texts[a].count, texts[b].count)
            if j >= jaccard || (c >= containment && smaller >= containmentMinLength) {
                pairs.append(Pair(a: a, b: b, jaccard: j, containment: c))
            }
        }
        return pairs.sorted { ($0.a, $0.b) < ($1.a, $1.b) }
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
