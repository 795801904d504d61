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
        var units: [UnitPostings] = []
        for unit in lookupUnits(pattern) {
            guard var u = try decoded.postings(unit.key, in: segment.reader) else { return [] }
            u.offset = unit.offset
            units.append(u)
        }
        guard !units.isEmpty else { return [] }
        units.sort { $0.info.docFreq < $1.info.docFreq }
        let flat = FlatPostings(units, segment.reader)
        let (candidateDocs, candidateEntries) = flat.candidates(segment)
        var results: [(Int, [Int32], Int)] = []
        results.reserveCapacity(candidateDocs.count)
        var knownCursor = 0
        var scratch = FlatPostings.Scratch(count: flat.count)
        for (c, doc) in candidateDocs.enumerated() {
            if c & 255 == 255 { try deadline.check() }
            while knownCursor < known.docs.count && known.docs[knownCursor] < doc { knownCursor += 1 }
            let wantStarts = wantStarts(doc)
            if !wantStarts, knownCursor < known.docs.count, known.docs[knownCursor] == doc {
                results.append((Int(doc), [], Int(known.counts[knownCursor])))
            } else if flat.count == 1 && !wantStarts {
                results.append((Int(doc), [], Int(flat.tfs[candidateEntries[c]])))
            } else {
                let found = try flat.matches(candidateEntries, at: c * flat.count, wantStarts: wantStarts, &scratch)
                if found > 0 { results.append((Int(doc), wantStarts ? scratch.bases : [], found)) }
            }
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
