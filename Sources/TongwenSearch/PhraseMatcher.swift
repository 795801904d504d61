import TongwenIndex

/// Finds where a pattern's units occur together in one segment: intersect the units' documents
/// (rarest first), then, per candidate document, intersect their positions shifted by each
/// unit's offset. A pattern of one unit needs no positions unless its starts are wanted.
enum PhraseMatcher {
    /// The lists one term or phrase has looked up and decoded whole in one segment, by key:
    /// its forms share most units, and a split either unit reads its lists twice, so each is read once.
    final class DecodedPostings {
        private var infos: [[UInt8]: TermInfo?] = [:]
        private var whole: [[UInt8]: UnitPostings] = [:]
        /// The segment's `V`, `C` and `R` keys when known: others of those kinds are not looked up.
        private let alternateKeys: Set<[UInt8]>?

        init(alternateKeys: Set<[UInt8]>? = nil) { self.alternateKeys = alternateKeys }

        func info(_ key: [UInt8], in reader: SegmentReader) throws -> TermInfo? {
            if let alternateKeys, Self.isAlternate(key[0]), !alternateKeys.contains(key) { return nil }
            if let known = infos[key] { return known }
            let info = try reader.lookup(key)
            infos[key] = .some(info)
            return info
        }

        private static func isAlternate(_ kind: UInt8) -> Bool {
            kind == TermKind.hanVariant.rawValue || kind == TermKind.hanVariantBigram.rawValue || kind == TermKind.hanVariantSymbol.rawValue
        }

        /// The whole list of `key` (found by ``info(_:in:)``).
        func postings(_ key: [UInt8], _ info: TermInfo, in reader: SegmentReader) throws -> UnitPostings {
            if let known = whole[key] { return known }
            var found = UnitPostings(info: info, offset: 0)
            try reader.decodePostings(info, positional: true, docs: &found.docs, tfs: &found.tfs, positionStarts: &found.starts)
            found.ends = Array(found.starts.dropFirst())
            if !found.starts.isEmpty { found.ends.append(Int32(info.positionsByteCount)) }
            whole[key] = found
            return found
        }

        /// The list of `key` for the documents of `wanted` only, or whole when that is about as cheap.
        func postings(_ key: [UInt8], _ info: TermInfo, in reader: SegmentReader, only wanted: [Int32]) throws -> UnitPostings {
            if whole[key] != nil || !SkipTable.partialDecodePays(wanted: wanted.count, docFreq: info.docFreq) { return try postings(key, info, in: reader) }
            var found = UnitPostings(info: info, offset: 0)
            try reader.decodePostings(info, positional: true, only: wanted, docs: &found.docs, tfs: &found.tfs,
                                      positionStarts: &found.starts, positionEnds: &found.ends)
            return found
        }
    }

    struct UnitPostings {
        var info: TermInfo
        var offset: Int32
        var docs: [Int32] = []
        var tfs: [Int32] = []
        /// Where each entry's positions start and end in the term's positions stream.
        var starts: [Int32] = []
        var ends: [Int32] = []
        /// For a unit that matches its character or the character's alternates: the `V` list
        /// (at most one). Such a unit is never the lead: only its entries for the lead's documents
        /// are taken, their positions merged from both lists.
        var either: [UnitPostings] = []
    }

    /// A key to look up at an offset of the pattern, with the key it may match instead.
    typealias LookupUnit = (key: [UInt8], offset: Int32, either: [UInt8]?)

    /// The keys to look up for `pattern`: its units, except that a run of adjacent Han
    /// characters is looked up as its pairs (`B`), non-overlapping except that the last pair of
    /// an odd run overlaps the one before, and that a Han character followed by a symbol is looked
    /// up as their pair (`Q`); every document indexes both kinds wherever they meet. A unit that
    /// may also match alternates keeps its own key and its second one (`either`): `V` for a
    /// character, and for a pair holding one, the pair read from alternates (`C`, `R`).
    static func lookupUnits(_ pattern: Pattern) -> [LookupUnit] {
        var result: [LookupUnit] = []
        let units = pattern.units
        func plainHan(_ k: Int) -> Bool { k < units.count && units[k].kind == .han }
        func follows(_ k: Int) -> Bool { units[k].offset == units[k - 1].offset + (units[k - 1].key.count == 5 ? 2 : 1) }
        func pair(_ kind: TermKind, _ k: Int) -> LookupUnit {
            let text = units[k].key.dropFirst() + units[k + 1].key.dropFirst()
            let alternate: TermKind = kind == .hanBigram ? .hanVariantBigram : .hanVariantSymbol
            let either = units[k].eitherKey != nil || units[k + 1].eitherKey != nil ? [alternate.rawValue] + text : nil
            return ([kind.rawValue] + text, units[k].offset, either)
        }
        var k = 0
        while k < units.count {
            var end = k
            while plainHan(end) && plainHan(end + 1) && follows(end + 1) { end += 1 }
            if end > k {
                var i = k
                while i < end { result.append(pair(.hanBigram, i)); i += 2 }
                k = end + 1
                guard i == end else { continue }
                if k < units.count, units[k].kind == .symbol, follows(k) {
                    result.append(pair(.hanSymbol, end))
                    k += 1
                } else {
                    result.append(pair(.hanBigram, end - 1))
                }
            } else if plainHan(k), k + 1 < units.count, units[k + 1].kind == .symbol, follows(k + 1) {
                result.append(pair(.hanSymbol, k))
                k += 2
            } else {
                result.append((units[k].key, units[k].offset, units[k].eitherKey))
                k += 1
            }
        }
        return result
    }

    /// The pairs of adjacent Han characters of `pattern` that its cover (``lookupUnits(_:)``)
    /// skips, where neither character has alternates: every occurrence of the pattern has each of
    /// them at its offset too, so one that is rarer than the whole cover narrows the documents first
    /// (认为可以 is 认为 + 可以, both common; 为可 is rare).
    static func overlapUnits(_ pattern: Pattern, cover: [LookupUnit]) -> [LookupUnit] {
        let units = pattern.units
        var result: [LookupUnit] = []
        for k in units.indices.dropLast() where units[k].kind == .han && units[k + 1].kind == .han
            && units[k].eitherKey == nil && units[k + 1].eitherKey == nil && !cover.contains(where: { $0.offset == units[k].offset })
            && units[k + 1].offset == units[k].offset + (units[k].key.count == 5 ? 2 : 1) {
            result.append(([TermKind.hanBigram.rawValue] + units[k].key.dropFirst() + units[k + 1].key.dropFirst(), units[k].offset, nil))
        }
        return result
    }

    /// A cover whose rarest list is this short is not narrowed by overlapping pairs (their
    /// lookups would cost more than they save).
    static let overlapWorthAbove = 64
    /// How many times rarer than the cover's rarest list an overlapping pair must be to lead: a
    /// little rarer only adds a list to intersect.
    static let overlapRarer = 4

    /// The decoded lists of `pattern`'s units in one segment, rarest first, units without an
    /// `either` list before those with one; nil when some unit occurs nowhere in the segment.
    /// The rarest is decoded whole; each other only for the documents every rarer plain unit
    /// holds, through its skip table, when those are few. With `restrict` (ascending), the rarest
    /// too is decoded only for those documents, when that pays.
    static func unitPostings(_ lookups: [LookupUnit], _ reader: SegmentReader, _ decoded: DecodedPostings, restrict: [Int32]? = nil,
                             overlaps: [LookupUnit] = []) throws -> [UnitPostings]? {
        var found: [(key: [UInt8], info: TermInfo, offset: Int32, alternate: (key: [UInt8], info: TermInfo)?)] = []
        for unit in lookups {
            let alternate = try unit.either.flatMap { key in try decoded.info(key, in: reader).map { (key: key, info: $0) } }
            if let info = try decoded.info(unit.key, in: reader) {
                found.append((unit.key, info, unit.offset, alternate.flatMap { $0.info != info ? $0 : nil }))
            } else if let alternate {
                found.append((alternate.key, alternate.info, unit.offset, nil))
            } else {
                return nil
            }
        }
        func order(_ u: (key: [UInt8], info: TermInfo, offset: Int32, alternate: (key: [UInt8], info: TermInfo)?)) -> (Int, Int) {
            (u.alternate == nil ? 0 : 1, u.info.docFreq + (u.alternate?.info.docFreq ?? 0))
        }
        found.sort { order($0) < order($1) }
        if let lead = found.first, lead.alternate == nil, lead.info.docFreq > overlapWorthAbove, !overlaps.isEmpty {
            var rarest: (key: [UInt8], info: TermInfo, offset: Int32)?
            for unit in overlaps {
                guard let info = try decoded.info(unit.key, in: reader) else { return nil }  // the pattern occurs nowhere
                if info.docFreq < rarest?.info.docFreq ?? lead.info.docFreq { rarest = (unit.key, info, unit.offset) }
            }
            if let rarest, rarest.info.docFreq * overlapRarer < lead.info.docFreq { found.insert((rarest.key, rarest.info, rarest.offset, nil), at: 0) }
        }
        var units: [UnitPostings] = []
        var common: [Int32] = restrict ?? []
        for (k, unit) in found.enumerated() {
            let whole = k == 0 && restrict == nil
            var u = whole ? try decoded.postings(unit.key, unit.info, in: reader)
                          : try decoded.postings(unit.key, unit.info, in: reader, only: common)
            if let alternate = unit.alternate {
                u.either = [whole ? try decoded.postings(alternate.key, alternate.info, in: reader)
                                  : try decoded.postings(alternate.key, alternate.info, in: reader, only: common)]
            } else {
                common = whole ? u.docs : Self.intersection(common, u.docs)
            }
            u.offset = unit.offset
            units.append(u)
        }
        return units
    }

    /// The documents in both ascending lists.
    static func intersection(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        var result: [Int32] = []
        var j = 0
        for doc in a {
            j = gallop(b, from: j, to: doc)
            if j == b.count { break }
            if b[j] == doc { result.append(doc) }
        }
        return result
    }

    /// (segment-local document, pattern start offsets if wanted, occurrence count), ascending.
    /// `wantStarts` says for which documents the starts are wanted. `known` holds documents
    /// already known to match with their counts (ascending): those whose starts are not wanted are
    /// not checked position by position. With `restrict` (ascending), only those documents are
    /// wanted (others may come too, where decoding them was as cheap).
    static func occurrences(_ pattern: Pattern, in segment: LiveSegment, wantStarts: (Int32) -> Bool,
                            known: (docs: [Int32], counts: [Int32]) = ([], []), deadline: Deadline = Deadline(nil),
                            decoded: DecodedPostings = DecodedPostings(), restrict: [Int32]? = nil) throws -> [(Int, [Int32], Int)] {
        let cover = lookupUnits(pattern)
        return try occurrences(cover, overlapUnits(pattern, cover: cover), in: segment, wantStarts: wantStarts, known: known, deadline: deadline,
                               decoded: decoded, restrict: restrict)
    }

    private static func occurrences(_ lookups: [LookupUnit], _ overlaps: [LookupUnit], in segment: LiveSegment, wantStarts: (Int32) -> Bool,
                                    known: (docs: [Int32], counts: [Int32]), deadline: Deadline, decoded: DecodedPostings, restrict: [Int32]?) throws -> [(Int, [Int32], Int)] {
        guard let units = try unitPostings(lookups, segment.reader, decoded, restrict: restrict, overlaps: overlaps), let lead = units.first else { return [] }
        if !lead.either.isEmpty, let k = lookups.firstIndex(where: { $0.either != nil }) {
            // Every unit may match either way: split one into its two readings (they never meet
            // at one offset), so the lead is a plain list.
            var plain = lookups, alternate = lookups
            plain[k].either = nil
            alternate[k] = (lookups[k].either!, lookups[k].offset, nil)
            return Self.union(try occurrences(plain, overlaps, in: segment, wantStarts: wantStarts, known: known, deadline: deadline, decoded: decoded, restrict: restrict),
                              try occurrences(alternate, overlaps, in: segment, wantStarts: wantStarts, known: ([], []), deadline: deadline, decoded: decoded,
                                              restrict: restrict))
        }
        let flat = try FlatPostings(units, segment.reader)
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

    /// Two occurrence lists of one segment (ascending) as one, where no start is in both (a
    /// character and its alternate never stand at one offset): counts add up, and starts are
    /// kept where both lists took them.
    static func union(_ a: [(Int, [Int32], Int)], _ b: [(Int, [Int32], Int)]) -> [(Int, [Int32], Int)] {
        var result: [(Int, [Int32], Int)] = []
        var j = 0
        for entry in a {
            while j < b.count && b[j].0 < entry.0 { result.append(b[j]); j += 1 }
            if j < b.count && b[j].0 == entry.0 {
                let starts = entry.1.count == entry.2 && b[j].1.count == b[j].2 ? (entry.1 + b[j].1).sorted() : []
                result.append((entry.0, starts, entry.2 + b[j].2))
                j += 1
            } else {
                result.append(entry)
            }
        }
        return result + b[j...]
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
