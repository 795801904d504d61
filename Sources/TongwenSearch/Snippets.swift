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

/// Builds snippets: find the patterns' occurrences in the document's normalized text, map them to
/// the original through the offset map, cut the original at sentence ends (`。！？；`, `!?;`,
/// line breaks) and keep the sentences with the most distinct matches.
enum Snippets {
    static let maxCharacters = 160
    static let sentenceEnds: Set<Unicode.Scalar> = ["。", "！", "？", "；", "!", "?", ";", "\n", "\r"]

    static func make(text: String, patterns: [Pattern], analyzer: Analyzer, count: Int) -> [Snippet] {
        let (normalized, sourceByte, _) = analyzer.clean(normalizing: text)
        let utf8 = Array(text.utf8)
        // Matches as original byte ranges, with the pattern that made them.
        var matches: [(range: Range<Int>, pattern: Int)] = []
        for (p, pattern) in patterns.enumerated() where !pattern.normalized.isEmpty {
            var from = 0
            var found = 0
            while found < 200, let at = firstOccurrence(normalized, pattern.normalized, from: from) {
                from = at + 1
                let end = at + pattern.normalized.count
                if pattern.hasWordUnits, !isWordBoundary(normalized, at, end) { continue }
                let startByte = Int(sourceByte[at])
                let lastByte = Int(sourceByte[end - 1])
                matches.append((startByte..<(lastByte + scalarLength(utf8[lastByte])), p))
                found += 1
            }
        }
        matches.sort { $0.range.lowerBound < $1.range.lowerBound }

        // Sentences of the original, as byte ranges.
        var sentences: [Range<Int>] = []
        var start = 0
        var offset = 0
        for scalar in text.unicodeScalars {
            let length = scalar.utf8.count
            offset += length
            if sentenceEnds.contains(scalar) {
                if offset > start { sentences.append(start..<offset) }
                start = offset
            }
        }
        if offset > start { sentences.append(start..<offset) }

        // Rank sentences by distinct patterns matched, then by position.
        var candidates: [(sentence: Int, distinct: Int)] = []
        var m = 0
        for (i, sentence) in sentences.enumerated() {
            var distinct = Set<Int>()
            while m < matches.count && matches[m].range.lowerBound < sentence.upperBound {
                if matches[m].range.lowerBound >= sentence.lowerBound { distinct.insert(matches[m].pattern) }
                m += 1
            }
            if !distinct.isEmpty { candidates.append((i, distinct.count)) }
        }
        var chosen = candidates.sorted { ($0.distinct, -$0.sentence) > ($1.distinct, -$1.sentence) }.prefix(count).map(\.sentence).sorted()
        if chosen.isEmpty, let first = sentences.firstIndex(where: { hasVisibleText(utf8[$0]) }) { chosen = [first] }

        let characters = CharacterIndex(text)
        return chosen.map { i in
            var range = trimmed(sentences[i], utf8)
            let inside = matches.filter { range.contains($0.range.lowerBound) && $0.range.upperBound <= range.upperBound }
            range = window(range, around: inside.first?.range, utf8: utf8)
            let highlights = inside.filter { range.lowerBound <= $0.range.lowerBound && $0.range.upperBound <= range.upperBound }.map {
                Highlight(start: characters.character(atByte: $0.range.lowerBound) - characters.character(atByte: range.lowerBound),
                          end: characters.character(atByte: $0.range.upperBound) - characters.character(atByte: range.lowerBound),
                          startByte: $0.range.lowerBound - range.lowerBound, endByte: $0.range.upperBound - range.lowerBound)
            }
            return Snippet(text: String(decoding: utf8[range], as: UTF8.self),
                           start: characters.character(atByte: range.lowerBound), end: characters.character(atByte: range.upperBound),
                           startByte: range.lowerBound, endByte: range.upperBound, highlights: highlights)
        }
    }

    static func scalarLength(_ lead: UInt8) -> Int { lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4 }

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
        while i < range.upperBound { scalarStarts.append(i); i += scalarLength(utf8[i]) }
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
