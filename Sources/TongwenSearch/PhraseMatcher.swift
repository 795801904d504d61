import TongwenIndex

/// Finds where a pattern's units occur together in one segment: intersect the units' documents
/// (rarest first), then, per candidate document, intersect their positions shifted by each
/// unit's offset. A pattern of one unit needs no positions unless its starts are wanted.
enum PhraseMatcher {
    /// The lists one term or phrase has decoded in one segment, by key: its forms and its
    /// alternates' patterns share most units, so each list is decoded once.
    final class DecodedPostings {
        private var byKey: [[UInt8]: UnitPostings?] = [:]

        func postings(_ key: [UInt8], in reader: SegmentReader) throws -> UnitPostings? {
            if let known = byKey[key] { return known }
            var u: UnitPostings?
            if let info = try reader.lookup(key) {
                var found = UnitPostings(info: info, offset: 0)
                try reader.decodePostings(info, positional: true, docs: &found.docs, tfs: &found.tfs, positionStarts: &found.starts)
                u = found
            }
            byKey[key] = .some(u)
            return u
        }
    }

    struct UnitPostings {
        var info: TermInfo
        var offset: Int32
        var docs: [Int32] = []
        var tfs: [Int32] = []
        var starts: [Int32] = []
    }

    /// The keys to look up for `pattern`: its units, except that a Han character followed by a
    /// symbol is looked up as their pair (`Q`), which every document indexes wherever they meet.
    static func lookupUnits(_ pattern: Pattern) -> [(key: [UInt8], offset: Int32)] {
        var result: [(key: [UInt8], offset: Int32)] = []
        let units = pattern.units
        var k = 0
        while k < units.count {
            let unit = units[k]
            if unit.kind == .han, k + 1 < units.count, units[k + 1].kind == .symbol,
               units[k + 1].offset == unit.offset + (unit.key.count == 5 ? 2 : 1) {
                result.append(([TermKind.hanSymbol.rawValue] + unit.key.dropFirst() + units[k + 1].key.dropFirst(), unit.offset))
                k += 2
            } else {
                result.append((unit.key, unit.offset))
                k += 1
            }
        }
        return result
    }

    /// (segment-local document, pattern start offsets if wanted, occurrence count), ascending.
    /// `wantStarts` says for which documents the starts are wanted. `known` holds documents
    /// already known to match with their counts (ascending): those whose starts are not wanted are
    /// not checked position by position.
    static func occurrences(_ pattern: Pattern, in segment: LiveSegment, wantStarts: (Int32) -> Bool,
                            known: (docs: [Int32], counts: [Int32]) = ([], []), deadline: Deadline = Deadline(nil),
                            decoded: DecodedPostings = DecodedPostings()) throws -> [(Int, [Int32], Int)] {
        let reader = segment.reader
        var units: [UnitPostings] = []
        for unit in lookupUnits(pattern) {
            guard var u = try decoded.postings(unit.key, in: reader) else { return [] }
            u.offset = unit.offset
            units.append(u)
        }
        guard !units.isEmpty else { return [] }
        units.sort { $0.info.docFreq < $1.info.docFreq }
        // Flat lists (no nested arrays in the loops): unit k's entries are base[k]..<base[k + 1],
        // each with its frequency and the byte range of its positions. When the rarest unit is
        // far rarer than the others (an alternate's `V` term), only the others' entries for its
        // documents are taken.
        var flatDocs: [Int32] = [], flatTfs: [Int32] = [], flatStarts: [Int32] = [], flatEnds: [Int32] = [], base: [Int] = [0]
        let lead = units[0].docs
        for (k, u) in units.enumerated() {
            let end = Int32(u.info.positionsByteCount)
            if k == 0 || lead.count * 16 >= u.docs.count {
                flatDocs += u.docs
                flatTfs += u.tfs
                flatStarts += u.starts
                flatEnds += u.starts.dropFirst()
                if !u.starts.isEmpty { flatEnds.append(end) }
            } else {
                var e = 0
                for doc in lead {
                    e = gallop(u.docs, from: e, to: doc)
                    if e == u.docs.count { break }
                    guard u.docs[e] == doc else { continue }
                    flatDocs.append(doc)
                    flatTfs.append(u.tfs[e])
                    flatStarts.append(u.starts[e])
                    flatEnds.append(e + 1 < u.starts.count ? u.starts[e + 1] : end)
                }
            }
            base.append(flatDocs.count)
        }
        let infos = units.map(\.info)
        let offsets = units.map(\.offset)
        let count = units.count
        // Candidates: entry index in every unit for documents all units share, not deleted.
        var candidateDocs: [Int32] = []
        var candidateEntries: [Int] = []  // count entries per candidate
        var cursors = base.dropLast().map { $0 }
        outer: for i in base[0]..<base[1] {
            let doc = flatDocs[i]
            for k in 1..<max(1, count) where count > 1 {
                cursors[k] = gallop(flatDocs, from: cursors[k], to: doc, end: base[k + 1])
                if cursors[k] == base[k + 1] { break outer }
                if flatDocs[cursors[k]] != doc { continue outer }
            }
            if segment.isDeleted(Int(doc)) { continue }
            candidateDocs.append(doc)
            candidateEntries.append(i)
            for k in 1..<max(1, count) where count > 1 { candidateEntries.append(cursors[k]) }
        }
        @inline(__always) func positions(_ k: Int, _ e: Int, into output: inout [Int32]) throws {
            try reader.decodePositions(infos[k], Int(flatStarts[e])..<Int(flatEnds[e]), count: Int(flatTfs[e]), into: &output)
        }
        var results: [(Int, [Int32], Int)] = []
        results.reserveCapacity(candidateDocs.count)
        var knownCursor = 0
        var first: [Int32] = [], other: [Int32] = []
        var bases: [Int32] = [], kept: [Int32] = []
        var order = Array(0..<count)
        for (c, doc) in candidateDocs.enumerated() {
            if c & 255 == 255 { try deadline.check() }
            while knownCursor < known.docs.count && known.docs[knownCursor] < doc { knownCursor += 1 }
            let wantStarts = wantStarts(doc)
            if !wantStarts, knownCursor < known.docs.count, known.docs[knownCursor] == doc {
                results.append((Int(doc), [], Int(known.counts[knownCursor])))
                continue
            }
            let entries = c * count
            if count == 1 && !wantStarts {
                results.append((Int(doc), [], Int(flatTfs[candidateEntries[entries]])))
                continue
            }
            // Start from the unit with the fewest positions in this document (insertion sort:
            // patterns have a few units).
            for i in 0..<count { order[i] = i }
            for i in 1..<count {
                var j = i
                while j > 0 && flatTfs[candidateEntries[entries + order[j]]] < flatTfs[candidateEntries[entries + order[j - 1]]] {
                    order.swapAt(j, j - 1)
                    j -= 1
                }
            }
            try positions(order[0], candidateEntries[entries + order[0]], into: &first)
            let shift = offsets[order[0]]
            if count == 2 {
                // A two-pointer walk, keeping the starts only when they are wanted.
                try positions(order[1], candidateEntries[entries + order[1]], into: &other)
                let delta = offsets[order[1]] - shift
                var found = 0
                bases.removeAll(keepingCapacity: true)
                first.withUnsafeBufferPointer { a in
                    other.withUnsafeBufferPointer { b in
                        var j = 0
                        for p in a where p >= shift {
                            let want = p + delta
                            while j < b.count && b[j] < want { j += 1 }
                            if j == b.count { break }
                            if b[j] == want {
                                found += 1
                                if wantStarts { bases.append(p - shift) }
                            }
                        }
                    }
                }
                if found > 0 { results.append((Int(doc), wantStarts ? bases : [], found)) }
                continue
            }
            bases.removeAll(keepingCapacity: true)
            for p in first where p >= shift { bases.append(p - shift) }
            for k in order.dropFirst() {
                if bases.isEmpty { break }
                try positions(k, candidateEntries[entries + k], into: &other)
                let offset = offsets[k]
                kept.removeAll(keepingCapacity: true)
                other.withUnsafeBufferPointer { p in
                    var j = 0
                    for base in bases {
                        let want = base + offset
                        while j < p.count && p[j] < want { j += 1 }
                        if j < p.count && p[j] == want { kept.append(base) }
                    }
                }
                swap(&bases, &kept)
            }
            if !bases.isEmpty { results.append((Int(doc), wantStarts ? bases : [], bases.count)) }
        }
        return results
    }

    /// The first index in `from..<end` of ascending `list` whose value is ≥ `doc` (`end` if
    /// none), galloping: steps of 1, 2, 4 … then a binary search.
    @inline(__always)
    static func gallop(_ list: [Int32], from start: Int, to doc: Int32, end: Int? = nil) -> Int {
        let end = end ?? list.count
        var low = start
        guard low < end && list[low] < doc else { return low }
        var step = 1, high = low + 1
        while high < end && list[high] < doc {
            low = high
            step <<= 1
            high = low + step
        }
        var l = low + 1, h = min(high, end)
        while l < h {
            let m = (l + h) >> 1
            if list[m] < doc { l = m + 1 } else { h = m }
        }
        return l
    }

    /// Whether the characters of the pattern that no unit covers (punctuation, spaces) stand at
    /// their offsets from `start` in a document's normalized text; the units were matched already.
    static func verify(_ pattern: Pattern, at start: Int, in text: [UInt16]) -> Bool {
        guard start >= 0, start + pattern.normalized.count <= text.count else { return false }
        for k in pattern.uncovered where text[start + k] != pattern.normalized[k] { return false }
        return true
    }
}
