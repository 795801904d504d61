import Foundation
import TongwenAnalysis
import TongwenIndex

extension Searcher {
    /// A prefix query expands to at most this many dictionary terms.
    static let maxPrefixExpansions = 2_000

    // MARK: Leaves

    /// Documents a leaf matches (global ids, ascending) with its occurrence counts.
    struct LeafMatch {
        var docs: [Int] = []
        var counts: [Int] = []
        /// Occurrences outside masked spans, when some document has masks (else the counts).
        var unmasked: [Int]?
    }

    func evaluate(_ leaf: Leaf, _ documents: DocumentTable, _ deadline: Deadline) throws(SearchError) -> LeafMatch {
        do {
            switch leaf.kind {
            case let .text(query, parts, slop, _):
                if let slop { return try matchInOrder(parts, slop: slop, documents, deadline) }
                return try matchText(query, documents, deadline)
            case let .prefix(key):
                return try matchPrefix(key, column: leaf.column)
            case let .field(name, value):
                var match = LeafMatch()
                let values = name == "title" ? documents.titles : documents.fields[name]!
                for doc in documents.live.indices where documents.live[doc] && UnitSearch.contains(value, in: values[doc]) {
                    match.docs.append(doc)
                    match.counts.append(1)
                }
                return match
            case let .date(from, to):
                var match = LeafMatch()
                for doc in documents.live.indices where documents.live[doc] {
                    guard let (lower, upper) = documents.dates[doc] else { continue }
                    if let from, upper < from { continue }
                    if let to, lower > to { continue }
                    match.docs.append(doc)
                    match.counts.append(1)
                }
                return match
            }
        } catch let error as IndexError {
            throw .index(error)
        } catch let error as SearchError {
            throw error
        } catch {
            throw .index(.invalidArgument("\(error)"))
        }
    }

    /// Exact occurrences of a term or phrase in every live document, with the unmasked counts
    /// where masks exist.
    func matchText(_ query: TextQuery, _ documents: DocumentTable, _ deadline: Deadline) throws -> LeafMatch {
        var match = LeafMatch()
        if documents.hasMasks { match.unmasked = [] }
        let length = Int32(query.main.normalized.count)
        let bigrams = BoilerplateMasks.Filter.pairs(query.main.normalized)
        for (s, segment) in snapshot.segments.enumerated() {
            try deadline.check()
            // Starts are needed where an occurrence may lie inside a masked span; elsewhere a count is enough.
            let base = segment.docBase
            let wantStarts = { (doc: Int32) in documents.hasMasks && documents.maskFilter.mayMask(base + Int(doc), bigrams) }
            for (doc, starts, n) in try occurrences(query, in: segment, s, wantStarts: wantStarts, deadline) {
                match.docs.append(base + doc)
                match.counts.append(n)
                if !starts.isEmpty, let mask = documents.masks[base + doc] {
                    match.unmasked?.append(starts.count { !mask.masks($0, length: length) })
                } else {
                    match.unmasked?.append(n)
                }
            }
        }
        return match
    }

    /// (segment-local document, starts when wanted or needed, count) of a term or phrase in one
    /// segment, ascending: the union over its forms, each matched by the documents' characters
    /// and, unless exact, by their alternates (``Pattern/matchingAlternates(in:)``), united by
    /// ``uniteForms(_:)``. With `restrict`, only those documents are wanted.
    func occurrences(_ query: TextQuery, in segment: LiveSegment, _ index: Int, wantStarts: @escaping (Int32) -> Bool, _ deadline: Deadline,
                     restrict: [Int32]? = nil) throws -> [(Int, [Int32], Int)] {
        let alternates = query.useAlternates ? try alternates()[index] : SegmentAlternates()
        let decoded = PhraseMatcher.DecodedPostings(alternateKeys: alternates.keys)
        let patterns = query.patterns.map { $0.matchingAlternates(in: alternates) }
        if patterns.count == 1 {
            return try verifiedOccurrences(patterns[0], in: segment, wantStarts: wantStarts, deadline, decoded, restrict: restrict).map { ($0.0, $0.1.0, $0.1.1) }
        }
        let lists = try patterns.map { try verifiedOccurrences($0, in: segment, wantStarts: wantStarts, deadline, decoded, restrict: restrict) }
        return Self.uniteForms(lists)
    }

    /// One segment's occurrences of several forms (each ascending by document) as one list.
    /// Where forms meet in a document, their starts are united when every form took them (a
    /// start two forms reach counts once); else its count is the largest one form has: the
    /// forms reach the same starts there (a document writing 答覆 holds 答复 as its alternates),
    /// and taking every form's starts to make sure would cost more than the rest of the query.
    static func uniteForms(_ lists: [[(Int, ([Int32], Int))]]) -> [(Int, [Int32], Int)] {
        var result: [(Int, [Int32], Int)] = []
        var cursors = [Int](repeating: 0, count: lists.count)
        while true {
            var doc = Int.max
            for k in lists.indices where cursors[k] < lists[k].count { doc = min(doc, lists[k][cursors[k]].0) }
            guard doc != .max else { return result }
            var starts: [Int32] = [], largest = 0, forms = 0, complete = true
            for k in lists.indices where cursors[k] < lists[k].count && lists[k][cursors[k]].0 == doc {
                let (s, n) = lists[k][cursors[k]].1
                if forms == 0 { starts = s } else { starts += s }
                largest = max(largest, n)
                forms += 1
                complete = complete && s.count == n
                cursors[k] += 1
            }
            if forms == 1 {
                result.append((doc, starts, largest))
            } else if !complete {
                result.append((doc, [], largest))
            } else {
                starts.sort()
                var unique: [Int32] = []
                unique.reserveCapacity(starts.count)
                for start in starts where unique.last != start { unique.append(start) }
                result.append((doc, unique, unique.count))
            }
        }
    }

    /// Occurrences of one pattern in one segment, confirmed on the text where it holds characters
    /// no unit covers. When the pattern is exactly one ICU word of Han characters, documents
    /// holding that word certainly contain it: they are counted by the word's frequency and only
    /// the other candidates are checked by position.
    func verifiedOccurrences(_ pattern: Pattern, in segment: LiveSegment, wantStarts: @escaping (Int32) -> Bool, _ deadline: Deadline,
                             _ decoded: PhraseMatcher.DecodedPostings = PhraseMatcher.DecodedPostings(), restrict: [Int32]? = nil) throws -> [(Int, ([Int32], Int))] {
        var docs: [Int32] = [], tfs: [Int32] = [], positionStarts: [Int32] = []
        // Also where alternates may match: such a document certainly matches, and its count (which
        // only scores) is the word's frequency, plus the alternates' own where the lead unit is split.
        let singleWord = pattern.words.count == 1 && pattern.words[0].first == TermKind.hanWord.rawValue
            && !pattern.needsVerification && pattern.units.allSatisfy { $0.kind == .han }
        if singleWord, restrict == nil, let info = try segment.reader.lookup(pattern.words[0]) {
            try segment.reader.decodePostings(info, positional: false, docs: &docs, tfs: &tfs, positionStarts: &positionStarts)
        }
        let want = { (doc: Int32) in pattern.needsVerification || wantStarts(doc) }
        var result: [(Int, ([Int32], Int))] = []
        for (doc, starts, count) in try PhraseMatcher.occurrences(pattern, in: segment, wantStarts: want, known: (docs, tfs), deadline: deadline, decoded: decoded, restrict: restrict) {
            guard pattern.needsVerification else {
                result.append((doc, (starts, count)))
                continue
            }
            try deadline.check()
            let text = try normalizedText(segment.docBase + doc)
            let kept = starts.filter { PhraseMatcher.verify(pattern, at: Int($0), in: text) }
            if !kept.isEmpty { result.append((doc, (kept, kept.count))) }
        }
        return result
    }

    /// The parts in order, each starting after the previous one ends, with at most `slop`
    /// extra characters between the first part's start and the last part's end in all.
    func matchInOrder(_ queries: [TextQuery], slop: Int, _ documents: DocumentTable, _ deadline: Deadline) throws -> LeafMatch {
        var match = LeafMatch()
        if documents.hasMasks { match.unmasked = [] }
        let parts = queries.map(\.main)
        let length = parts.reduce(0) { $0 + $1.normalized.count }
        for (index, segment) in snapshot.segments.enumerated() {
            var perPart: [[Int: [Int32]]] = []
            for part in queries {
                try deadline.check()
                var starts: [Int: [Int32]] = [:]
                for (doc, s, _) in try occurrences(part, in: segment, index, wantStarts: { _ in true }, deadline) where !s.isEmpty {
                    starts[doc] = s
                }
                perPart.append(starts)
                if starts.isEmpty { break }
            }
            guard perPart.count == parts.count else { continue }
            for doc in perPart[0].keys.sorted() {
                guard perPart.allSatisfy({ $0[doc] != nil }) else { continue }
                var count = 0, unmasked = 0
                let mask = documents.masks[segment.docBase + doc]
                for first in perPart[0][doc]! {
                    var end = Int(first) + parts[0].normalized.count
                    var ok = true
                    for k in 1..<parts.count {
                        guard let next = perPart[k][doc]!.first(where: { Int($0) >= end }) else { ok = false; break }
                        end = Int(next) + parts[k].normalized.count
                    }
                    if ok && end - Int(first) - length <= slop {
                        count += 1
                        if !(mask?.masks(first, length: Int32(end) - first) ?? false) { unmasked += 1 }
                    }
                }
                if count > 0 {
                    match.docs.append(segment.docBase + doc)
                    match.counts.append(count)
                    match.unmasked?.append(unmasked)
                }
            }
        }
        return match
    }

    func matchPrefix(_ prefix: [UInt8], column: Int) throws -> LeafMatch {
        var counts: [Int: Int] = [:]
        var expansions = 0
        for segment in snapshot.segments {
            var cursor = try segment.reader.terms(from: prefix)
            while let (key, info) = try cursor.next() {
                if key.lexicographicallyPrecedes(prefix) { continue }
                guard key.starts(with: prefix) else { break }
                expansions += 1
                if expansions > Self.maxPrefixExpansions {
                    throw SearchError.query(QueryError("prefix matches more than \(Self.maxPrefixExpansions) words; make it longer", column: column))
                }
                var postings = try segment.reader.postings(info, positional: true)
                while let (doc, tf, _) = try postings.next() {
                    if !segment.isDeleted(doc) { counts[segment.docBase + doc, default: 0] += tf }
                }
            }
        }
        var match = LeafMatch()
        for doc in counts.keys.sorted() {
            match.docs.append(doc)
            match.counts.append(counts[doc]!)
        }
        return match
    }


    /// A document's cleaned and normalized text (UTF-16), for confirming matches.
    func normalizedText(_ global: Int) throws -> [UInt16] {
        textReads.add(1, ordering: .relaxed)
        let text = try snapshot.text(global)
        return try withAnalyzer { analyzer in analyzer.clean(normalizing: text).0 }
    }
}
