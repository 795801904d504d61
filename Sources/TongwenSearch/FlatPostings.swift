import TongwenIndex

/// A pattern's decoded unit lists in one segment, flattened for the hot loops (no nested arrays):
/// unit k's entries are `base[k]..<base[k + 1]`, each with its frequency and the byte range of its
/// positions. Unit 0 is the rarest. When it is far rarer than another unit (an alternate's `V`
/// term), only that unit's entries for unit 0's documents are taken.
struct FlatPostings {
    let reader: SegmentReader
    let infos: [TermInfo]
    let offsets: [Int32]
    var docs: [Int32] = [], tfs: [Int32] = [], starts: [Int32] = [], ends: [Int32] = []
    var base: [Int] = [0]

    var count: Int { infos.count }

    /// Scratch lists reused across documents.
    struct Scratch {
        var first: [Int32] = [], other: [Int32] = [], bases: [Int32] = [], kept: [Int32] = []
        var order: [Int]
        init(count: Int) { order = Array(0..<count) }
    }

    /// `units` sorted rarest first.
    init(_ units: [PhraseMatcher.UnitPostings], _ reader: SegmentReader) {
        self.reader = reader
        infos = units.map(\.info)
        offsets = units.map(\.offset)
        let lead = units[0].docs
        for (k, u) in units.enumerated() {
            let end = Int32(u.info.positionsByteCount)
            if k == 0 || lead.count * 16 >= u.docs.count {
                docs += u.docs
                tfs += u.tfs
                starts += u.starts
                ends += u.starts.dropFirst()
                if !u.starts.isEmpty { ends.append(end) }
            } else {
                var e = 0
                for doc in lead {
                    e = PhraseMatcher.gallop(u.docs, from: e, to: doc)
                    if e == u.docs.count { break }
                    guard u.docs[e] == doc else { continue }
                    docs.append(doc)
                    tfs.append(u.tfs[e])
                    starts.append(u.starts[e])
                    ends.append(e + 1 < u.starts.count ? u.starts[e + 1] : end)
                }
            }
            base.append(docs.count)
        }
    }

    /// The documents every unit holds (not deleted), ascending, and for each, its entry index in
    /// every unit (`count` entries per document, in unit order).
    func candidates(_ segment: LiveSegment) -> (docs: [Int32], entries: [Int]) {
        var candidateDocs: [Int32] = []
        var entries: [Int] = []
        var cursors = Array(base.dropLast())
        outer: for i in base[0]..<base[1] {
            let doc = docs[i]
            for k in 1..<max(1, count) where count > 1 {
                cursors[k] = PhraseMatcher.gallop(docs, from: cursors[k], to: doc, end: base[k + 1])
                if cursors[k] == base[k + 1] { break outer }
                if docs[cursors[k]] != doc { continue outer }
            }
            if segment.isDeleted(Int(doc)) { continue }
            candidateDocs.append(doc)
            entries.append(i)
            for k in 1..<max(1, count) where count > 1 { entries.append(cursors[k]) }
        }
        return (candidateDocs, entries)
    }

    @inline(__always) func positions(_ k: Int, _ e: Int, into output: inout [Int32]) throws {
        try reader.decodePositions(infos[k], Int(starts[e])..<Int(ends[e]), count: Int(tfs[e]), into: &output)
    }

    /// How many times the units stand at their offsets from a common start in one candidate
    /// document (entries `entries[at..<at + count]`); with `wantStarts`, the starts are left in
    /// `scratch.bases`. Positions are intersected from the unit with the fewest in this document.
    func matches(_ entries: [Int], at: Int, wantStarts: Bool, _ scratch: inout Scratch) throws -> Int {
        // Insertion sort: patterns have a few units.
        for i in 0..<count { scratch.order[i] = i }
        for i in 1..<max(1, count) {
            var j = i
            while j > 0 && tfs[entries[at + scratch.order[j]]] < tfs[entries[at + scratch.order[j - 1]]] {
                scratch.order.swapAt(j, j - 1)
                j -= 1
            }
        }
        let lead = scratch.order[0]
        try positions(lead, entries[at + lead], into: &scratch.first)
        let shift = offsets[lead]
        if count == 2 {
            let second = scratch.order[1]
            try positions(second, entries[at + second], into: &scratch.other)
            return Self.pairs(scratch.first, scratch.other, shift: shift, delta: offsets[second] - shift, wantStarts: wantStarts, into: &scratch.bases)
        }
        scratch.bases.removeAll(keepingCapacity: true)
        for p in scratch.first where p >= shift { scratch.bases.append(p - shift) }
        for k in scratch.order.dropFirst() {
            if scratch.bases.isEmpty { break }
            try positions(k, entries[at + k], into: &scratch.other)
            Self.keep(&scratch.bases, at: offsets[k], in: scratch.other, scratch: &scratch.kept)
        }
        return scratch.bases.count
    }

    /// Two units: a two-pointer walk counting the positions p of `a` (p ≥ shift) with p + delta in
    /// `b`, appending p − shift to `starts` only when they are wanted.
    static func pairs(_ a: [Int32], _ b: [Int32], shift: Int32, delta: Int32, wantStarts: Bool, into starts: inout [Int32]) -> Int {
        var found = 0
        starts.removeAll(keepingCapacity: true)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var j = 0
                for p in a where p >= shift {
                    let want = p + delta
                    while j < b.count && b[j] < want { j += 1 }
                    if j == b.count { break }
                    if b[j] == want {
                        found += 1
                        if wantStarts { starts.append(p - shift) }
                    }
                }
            }
        }
        return found
    }

    /// Keeps the starts whose `start + offset` is in `positions` (both ascending).
    static func keep(_ bases: inout [Int32], at offset: Int32, in positions: [Int32], scratch kept: inout [Int32]) {
        kept.removeAll(keepingCapacity: true)
        positions.withUnsafeBufferPointer { p in
            var j = 0
            for base in bases {
                let want = base + offset
                while j < p.count && p[j] < want { j += 1 }
                if j < p.count && p[j] == want { kept.append(base) }
            }
        }
        swap(&bases, &kept)
    }
}
