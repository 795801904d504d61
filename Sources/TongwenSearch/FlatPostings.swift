import TongwenIndex

/// A pattern's decoded unit lists in one segment, flattened for the hot loops (no nested arrays):
/// unit k's entries are `base[k]..<base[k + 1]`, each with its frequency and the byte range of its
/// positions. Unit 0 is the rarest. When it is far rarer than another unit (an alternate's `V`
/// term), only that unit's entries for unit 0's documents are taken; so are always those of a
/// unit that matches its character or its alternates (`either`), whose positions, merged from
/// both lists, are decoded here into `merged` (its entries' ranges then index that buffer).
struct FlatPostings {
    let reader: SegmentReader
    let infos: [TermInfo]
    let offsets: [Int32]
    /// Per unit: whether its entries' positions are in `merged` rather than in the index.
    let premerged: [Bool]
    var docs: [Int32] = [], tfs: [Int32] = [], starts: [Int32] = [], ends: [Int32] = []
    var base: [Int] = [0]
    var merged: [Int32] = []

    var count: Int { infos.count }

    /// Scratch lists reused across documents.
    struct Scratch {
        var first: [Int32] = [], other: [Int32] = [], bases: [Int32] = [], kept: [Int32] = []
        var order: [Int]
        init(count: Int) { order = Array(0..<count) }
    }

    /// `units` sorted rarest first; unit 0 has no `either` list.
    init(_ units: [PhraseMatcher.UnitPostings], _ reader: SegmentReader) throws {
        self.reader = reader
        infos = units.map(\.info)
        offsets = units.map(\.offset)
        premerged = units.map { !$0.either.isEmpty }
        let lead = units[0].docs
        for (k, u) in units.enumerated() {
            if !u.either.isEmpty {
                try addMerged(u, u.either[0], for: lead)
            } else if k == 0 || lead.count * 16 >= u.docs.count {
                docs += u.docs
                tfs += u.tfs
                starts += u.starts
                ends += u.ends
            } else {
                var e = 0
                for doc in lead {
                    e = PhraseMatcher.gallop(u.docs, from: e, to: doc)
                    if e == u.docs.count { break }
                    guard u.docs[e] == doc else { continue }
                    docs.append(doc)
                    tfs.append(u.tfs[e])
                    starts.append(u.starts[e])
                    ends.append(u.ends[e])
                }
            }
            base.append(docs.count)
        }
    }

    /// The entries of a unit read either way (`a` its character's list, `b` its alternates'),
    /// for the lead's documents: positions of both decoded and merged.
    mutating func addMerged(_ a: PhraseMatcher.UnitPostings, _ b: PhraseMatcher.UnitPostings, for lead: [Int32]) throws {
        var ea = 0, eb = 0
        var pa: [Int32] = [], pb: [Int32] = []
        for doc in lead {
            ea = PhraseMatcher.gallop(a.docs, from: ea, to: doc)
            eb = PhraseMatcher.gallop(b.docs, from: eb, to: doc)
            let inA = ea < a.docs.count && a.docs[ea] == doc, inB = eb < b.docs.count && b.docs[eb] == doc
            guard inA || inB else { continue }
            pa.removeAll(keepingCapacity: true)
            pb.removeAll(keepingCapacity: true)
            if inA { try reader.decodePositions(a.info, Int(a.starts[ea])..<Int(a.ends[ea]), count: Int(a.tfs[ea]), into: &pa) }
            if inB { try reader.decodePositions(b.info, Int(b.starts[eb])..<Int(b.ends[eb]), count: Int(b.tfs[eb]), into: &pb) }
            let from = merged.count
            merged += pa
            merged += pb
            if inA && inB { merged[from...].sort() }
            docs.append(doc)
            tfs.append(Int32(merged.count - from))
            starts.append(Int32(from))
            ends.append(Int32(merged.count))
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
        if premerged[k] {
            output.removeAll(keepingCapacity: true)
            output += merged[Int(starts[e])..<Int(ends[e])]
            return
        }
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
