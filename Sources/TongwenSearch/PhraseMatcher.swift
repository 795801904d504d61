import TongwenIndex

/// Finds where a pattern's units occur together in one segment: intersect the units' documents
/// (rarest first), then, per candidate document, intersect their positions shifted by each
/// unit's offset. A pattern of one unit needs no positions unless its starts are wanted.
enum PhraseMatcher {
    struct UnitPostings {
        var info: TermInfo
        var offset: Int32
        var docs: [Int] = []
        var tfs: [Int] = []
        var ranges: [Range<Int>] = []
    }

    /// (segment-local document, pattern start offsets if wanted, occurrence count), ascending.
    static func occurrences(_ pattern: Pattern, in segment: LiveSegment, wantStarts: Bool) throws -> [(Int, [Int32], Int)] {
        let reader = segment.reader
        var units: [UnitPostings] = []
        for unit in pattern.units {
            guard let info = try reader.lookup(unit.key) else { return [] }
            units.append(UnitPostings(info: info, offset: unit.offset))
        }
        units.sort { $0.info.docFreq < $1.info.docFreq }
        // Documents of the rarest unit, then narrowed by each other unit.
        var candidates: [Int] = []
        for k in units.indices {
            var postings = reader.postings(units[k].info, positional: true)
            var docs: [Int] = [], tfs: [Int] = [], ranges: [Range<Int>] = []
            docs.reserveCapacity(units[k].info.docFreq)
            var c = 0
            while let (doc, tf, range) = try postings.next() {
                if k > 0 {
                    while c < candidates.count && candidates[c] < doc { c += 1 }
                    if c == candidates.count { break }
                    if candidates[c] != doc { continue }
                } else if segment.isDeleted(doc) {
                    continue
                }
                docs.append(doc)
                tfs.append(tf)
                ranges.append(range)
            }
            units[k].docs = docs
            units[k].tfs = tfs
            units[k].ranges = ranges
            candidates = docs
            if candidates.isEmpty { return [] }
        }
        var results: [(Int, [Int32], Int)] = []
        results.reserveCapacity(candidates.count)
        if units.count == 1 && !wantStarts {
            let u = units[0]
            for (i, doc) in u.docs.enumerated() { results.append((doc, [], u.tfs[i])) }
            return results
        }
        // Cursor into each unit's (already narrowed, ascending) document list.
        var cursors = [Int](repeating: 0, count: units.count)
        var scratch: [Int32] = []
        var bases: [Int32] = []
        var kept: [Int32] = []
        for doc in candidates {
            var entries: [(unit: Int, index: Int)] = []
            for k in units.indices {
                while units[k].docs[cursors[k]] < doc { cursors[k] += 1 }
                entries.append((k, cursors[k]))
            }
            // Start from the unit with the fewest positions in this document.
            entries.sort { units[$0.unit].tfs[$0.index] < units[$1.unit].tfs[$1.index] }
            let first = entries[0]
            try reader.decodePositions(units[first.unit].info, units[first.unit].ranges[first.index], count: units[first.unit].tfs[first.index], into: &scratch)
            let shift = units[first.unit].offset
            bases.removeAll(keepingCapacity: true)
            for p in scratch where p >= shift { bases.append(p - shift) }
            for entry in entries.dropFirst() {
                if bases.isEmpty { break }
                let u = units[entry.unit]
                try reader.decodePositions(u.info, u.ranges[entry.index], count: u.tfs[entry.index], into: &scratch)
                kept.removeAll(keepingCapacity: true)
                var j = 0
                for base in bases {
                    let want = base + u.offset
                    while j < scratch.count && scratch[j] < want { j += 1 }
                    if j < scratch.count && scratch[j] == want { kept.append(base) }
                }
                swap(&bases, &kept)
            }
            if !bases.isEmpty { results.append((doc, wantStarts ? bases : [], bases.count)) }
        }
        return results
    }

    /// Whether the pattern's normalized text stands at `start` of a document's normalized text.
    static func verify(_ pattern: Pattern, at start: Int, in text: [UInt16]) -> Bool {
        guard start >= 0, start + pattern.normalized.count <= text.count else { return false }
        for k in pattern.normalized.indices where text[start + k] != pattern.normalized[k] { return false }
        return true
    }
}
