import TongwenAnalysis

/// Stage 2's output: every occurrence of a fingerprint hash that more than one place has,
/// sorted by (hash, document, position), so the occurrences of one hash (a group) are one run.
/// Stage 3 works one document at a time: it looks up the groups of that document's own hashes
/// (``groups(of:)``), so nothing per document pair is held for the whole archive.
struct SeedTable {
    /// The occurrences, 12 bytes each.
    private(set) var seeds: [PassageFinder.Seed]
    /// Where the hashes with each value of their top ``bucketBits`` bits start in ``seeds``
    /// (one more entry at the end): a lookup searches one bucket, not the whole table.
    private var buckets: [Int32] = []
    private var bucketBits = 0

    /// An empty table.
    init() { seeds = [] }

    /// The table of the occurrences `occurrences` visits, called twice (it must visit the same
    /// ones both times): once to count them by bucket, once to place each in its bucket. Each
    /// bucket is then sorted in place and the hashes found only once (they seed nothing) are
    /// dropped, so building costs no memory beyond the table (`expected`: about how many).
    init(expected: Int, occurrences: (_ visit: (PassageFinder.Seed) -> Void) throws(DupesError) -> Void) throws(DupesError) {
        while bucketBits < 28 && (1 << bucketBits) * 8 < expected { bucketBits += 1 }  // ~8 a bucket
        let bits = bucketBits
        func bucket(_ hash: UInt32) -> Int { bits == 0 ? 0 : Int(hash >> (32 - bits)) }
        var first = [Int32](repeating: 0, count: (1 << bits) + 1)
        try occurrences { first[bucket($0.hash) + 1] += 1 }
        for b in 0..<(1 << bits) { first[b + 1] += first[b] }
        var next = first
        seeds = [PassageFinder.Seed](repeating: .init(hash: 0, doc: 0, position: 0), count: Int(first[1 << bits]))
        try occurrences { seed in
            let b = bucket(seed.hash)
            if next[b] < first[b + 1] { seeds[Int(next[b])] = seed }  // (never more than counted)
            next[b] += 1
        }
        var kept = 0
        seeds.withUnsafeMutableBufferPointer { table in
            for b in 0..<(1 << bits) {
                let range = Int(first[b])..<Int(first[b + 1])
                first[b] = Int32(kept)
                table[range].sort()
                var g = range.lowerBound
                while g < range.upperBound {
                    var h = g + 1
                    while h < range.upperBound && table[h].hash == table[g].hash { h += 1 }
                    if h - g >= 2 {
                        for i in g..<h { table[kept] = table[i]; kept += 1 }
                    }
                    g = h
                }
            }
        }
        first[1 << bits] = Int32(kept)
        seeds.removeLast(seeds.count - kept)
        buckets = first
    }

    var count: Int { seeds.count }
    subscript(i: Int) -> PassageFinder.Seed { seeds[i] }

    /// The groups of the distinct hashes of `own` (one document's fingerprints), in hash order:
    /// each a range of ``seeds``. Hashes in no group are skipped.
    func groups(of own: [Winnowing.Fingerprint]) -> [Range<Int>] {
        var hashes = own.map(\.hash)
        hashes.sort()
        var result: [Range<Int>] = []
        var previous: UInt32?
        for h in hashes where h != previous {
            previous = h
            let start = lowerBound(h)
            guard start < seeds.count, seeds[start].hash == h else { continue }
            result.append(start..<(h == .max ? seeds.count : lowerBound(h + 1)))
        }
        return result
    }

    /// The first index whose hash is ≥ `hash`, searched for in its bucket.
    private func lowerBound(_ hash: UInt32) -> Int {
        let b = bucketBits == 0 ? 0 : Int(hash >> (32 - bucketBits))
        var lo = Int(buckets[b]), hi = Int(buckets[b + 1])
        while lo < hi {
            let mid = (lo + hi) / 2
            if seeds[mid].hash < hash { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Within `group`, the occurrences in document `doc` (the group is sorted by document).
    func occurrences(in group: Range<Int>, of doc: Int32) -> Range<Int> {
        var lo = group.lowerBound, hi = group.upperBound
        while lo < hi {
            let mid = (lo + hi) / 2
            if seeds[mid].doc < doc { lo = mid + 1 } else { hi = mid }
        }
        var end = lo
        while end < group.upperBound && seeds[end].doc == doc { end += 1 }
        return lo..<end
    }
}
