import TongwenAnalysis

/// A highlighted match inside a snippet. Offsets are relative to the snippet's text: `start`/`end`
/// in characters (Unicode scalars), `startByte`/`endByte` in UTF-8 bytes.
public struct Highlight: Sendable, Codable, Equatable {
    public var start: Int
    public var end: Int
    public var startByte: Int
    public var endByte: Int
}

/// A passage of the ORIGINAL text (its own script, annotations kept). `text` is exactly the
/// document's characters `start..<end` (bytes `startByte..<endByte`).
public struct Snippet: Sendable, Codable, Equatable {
    public var text: String
    public var start: Int
    public var end: Int
    public var startByte: Int
    public var endByte: Int
    public var highlights: [Highlight]
}

/// Builds snippets: find the patterns' occurrences in the document's normalized text (and, for a
/// term none of whose forms occurs there, in its variant-converted text), map them to
/// the original through the offset map, take the sentences around them (cut at `。！？；`, `!?;`,
/// line breaks) and keep those with the most distinct matches. Only the bytes near matches are
/// looked at after normalization.
enum Snippets {
    static let maxCharacters = 160

    /// `patterns` holds one group per term: its forms, any of which is a match of the term.
    static func make(text: String, patterns: [[Pattern]], analyzer: Analyzer, count: Int, variants: Bool = true) -> [Snippet] {
        let utf8 = Array(text.utf8)
        let matches = matches(text: text, patterns: patterns, analyzer: analyzer, variants: variants)

        // The sentences that hold matches, with how many distinct patterns each holds.
        var sentences: [(range: Range<Int>, distinct: Int)] = []
        var m = 0
        while m < matches.count {
            let sentence = sentenceAround(matches[m].range.lowerBound, utf8)
            var distinct = Set<Int>()
            while m < matches.count && matches[m].range.lowerBound < sentence.upperBound {
                distinct.insert(matches[m].pattern)
                m += 1
            }
            sentences.append((sentence, distinct.count))
        }
        var chosen = sentences.enumerated().sorted { ($0.element.distinct, -$0.offset) > ($1.element.distinct, -$1.offset) }
            .prefix(count).sorted { $0.offset < $1.offset }.map(\.element.range)
        if chosen.isEmpty {
            // No match to show (a filter-only query): the first sentence with visible text.
            var start = 0
            while start < utf8.count {
                let sentence = sentenceAround(start, utf8)
                if hasVisibleText(utf8[sentence]) { chosen = [sentence]; break }
                start = sentence.upperBound
            }
        }

        var counter = CharacterCounter(utf8)
        return chosen.map { sentence in
            var range = trimmed(sentence, utf8)
            let inside = matches.filter { range.contains($0.range.lowerBound) && $0.range.upperBound <= range.upperBound }
            range = window(range, around: inside.first?.range, utf8: utf8)
            let base = counter.characters(before: range.lowerBound)
            let highlights = inside.filter { range.lowerBound <= $0.range.lowerBound && $0.range.upperBound <= range.upperBound }.map {
                Highlight(start: counter.characters(before: $0.range.lowerBound) - base, end: counter.characters(before: $0.range.upperBound) - base,
                          startByte: $0.range.lowerBound - range.lowerBound, endByte: $0.range.upperBound - range.lowerBound)
            }
            return Snippet(text: String(decoding: utf8[range], as: UTF8.self),
                           start: base, end: counter.characters(before: range.upperBound),
                           startByte: range.lowerBound, endByte: range.upperBound, highlights: highlights)
        }
    }

    /// The patterns' occurrences as byte ranges of the original `text`, each range once, with the
    /// group (term) that made it, ascending; at most `perPattern` per pattern. A group none of whose
    /// forms occurs is looked for in the text's variant-converted form too (with `variants`).
    static func matches(text: String, patterns: [[Pattern]], analyzer: Analyzer, variants: Bool, perPattern: Int = 200) -> [(range: Range<Int>, pattern: Int)] {
        let (normalized, sourceByte, removed) = analyzer.clean(normalizing: text)
        let utf8 = Array(text.utf8)
        var matches: [(range: Range<Int>, pattern: Int)] = []
        var seen = Set<Range<Int>>()
        func find(_ pattern: Pattern, in haystack: [UInt16], group p: Int) -> Bool {
            var from = 0
            var found = 0
            while found < perPattern, let at = UnitSearch.firstOccurrence(of: pattern.normalized, in: haystack, from: from) {
                from = at + 1
                let end = at + pattern.normalized.count
                if pattern.hasWordUnits, !isWordBoundary(haystack, at, end) { continue }
                let startByte = Int(sourceByte[at])
                let lastByte = Int(sourceByte[end - 1])
                let range = startByte..<(lastByte + UTF8Scalar.length(lead: utf8[lastByte]))
                if seen.insert(range).inserted { matches.append((range, p)) }
                found += 1
            }
            return found > 0
        }
        var converted: [UInt16]?
        for (p, group) in patterns.enumerated() {
            var any = false
            for pattern in group where !pattern.normalized.isEmpty { any = find(pattern, in: normalized, group: p) || any }
            guard !any && variants else { continue }
            if converted == nil {
                let analysis = Analysis(original: text, normalized: normalized, sourceByte: sourceByte, removed: removed, segments: [])
                converted = Variants.applying((try? analyzer.variants().alternates(of: analysis)) ?? [], to: normalized)
            }
            if converted! != normalized { for pattern in group where !pattern.normalized.isEmpty { _ = find(pattern, in: converted!, group: p) } }
        }
        matches.sort { $0.range.lowerBound < $1.range.lowerBound }
        return matches
    }

    /// The byte range of the sentence holding byte `at`: from just after the previous sentence
    /// end to just after the next (`。！？；`, `!?;`, line breaks).
    static func sentenceAround(_ at: Int, _ utf8: [UInt8]) -> Range<Int> {
        func endLength(_ i: Int) -> Int {
            let b = utf8[i]
            if b == 0x21 || b == 0x3F || b == 0x3B || b == 0x0A || b == 0x0D { return 1 }
            if b == 0xE3, i + 2 < utf8.count, utf8[i + 1] == 0x80, utf8[i + 2] == 0x82 { return 3 }  // 。
            if b == 0xEF, i + 2 < utf8.count, utf8[i + 1] == 0xBC, [0x81, 0x9F, 0x9B].contains(utf8[i + 2]) { return 3 }  // ！？；
            return 0
        }
        var start = at
        while start > 0 {
            // Step back one character, then see whether it ends the previous sentence.
            var prev = start - 1
            while prev > 0 && utf8[prev] & 0xC0 == 0x80 { prev -= 1 }
            if endLength(prev) > 0 { break }
            start = prev
        }
        var end = at
        while end < utf8.count {
            let n = endLength(end)
            if n > 0 { end += n; break }
            end += UTF8Scalar.length(lead: utf8[end])
        }
        return start..<min(end, utf8.count)
    }

    /// Counts characters (Unicode scalars) before byte offsets, moving forward from the last one.
    struct CharacterCounter {
        let utf8: [UInt8]
        var byte = 0
        var characters = 0

        init(_ utf8: [UInt8]) { self.utf8 = utf8 }

        mutating func characters(before offset: Int) -> Int {
            if offset < byte { byte = 0; characters = 0 }
            utf8.withUnsafeBufferPointer { bytes in
                while byte < offset {
                    if bytes[byte] & 0xC0 != 0x80 { characters += 1 }
                    byte += 1
                }
            }
            return characters
        }
    }


    static func isWordBoundary(_ text: [UInt16], _ start: Int, _ end: Int) -> Bool {
        func isWordUnit(_ u: UInt16) -> Bool { (u >= 0x30 && u <= 0x39) || (u >= 0x61 && u <= 0x7A) || (u >= 0x41 && u <= 0x5A) }
        if start > 0, isWordUnit(text[start - 1]), isWordUnit(text[start]) { return false }
        if end < text.count, isWordUnit(text[end]), isWordUnit(text[end - 1]) { return false }
        return true
    }

    static func hasVisibleText(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.contains { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
    }

    /// Drops leading whitespace (ASCII and U+3000) and trailing line breaks.
    static func trimmed(_ range: Range<Int>, _ utf8: [UInt8]) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper {
            if [0x20, 0x09, 0x0A, 0x0D].contains(utf8[lower]) { lower += 1 } else if lower + 2 < upper, utf8[lower] == 0xE3, utf8[lower + 1] == 0x80, utf8[lower + 2] == 0x80 { lower += 3 } else { break }
        }
        while upper > lower, [0x20, 0x09, 0x0A, 0x0D].contains(utf8[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// At most `maxCharacters` around the first match, cut at character boundaries.
    static func window(_ range: Range<Int>, around match: Range<Int>?, utf8: [UInt8]) -> Range<Int> {
        var scalarStarts: [Int] = []
        var i = range.lowerBound
        while i < range.upperBound { scalarStarts.append(i); i += UTF8Scalar.length(lead: utf8[i]) }
        guard scalarStarts.count > maxCharacters else { return range }
        let matchIndex = match.map { m in scalarStarts.firstIndex { $0 >= m.lowerBound } ?? 0 } ?? 0
        let from = max(0, min(matchIndex - maxCharacters / 3, scalarStarts.count - maxCharacters))
        var to = from + maxCharacters
        // Never cut a match in two.
        if let match, to < scalarStarts.count, scalarStarts[to] < match.upperBound {
            to = scalarStarts.firstIndex { $0 >= match.upperBound } ?? scalarStarts.count
        }
        let lower = scalarStarts[from]
        let upper = to < scalarStarts.count ? scalarStarts[to] : range.upperBound
        return lower..<upper
    }
}
