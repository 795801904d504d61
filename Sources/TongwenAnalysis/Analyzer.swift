/// What ICU's word break said a segment is.
public enum TokenKind: String, Sendable, Codable {
    case number, letter, kana, ideographic

    init?(status: Int32) {
        switch status {
        case 100..<200: self = .number
        case 200..<300: self = .letter
        case 300..<400: self = .kana
        case 400..<500: self = .ideographic
        default: return nil  // spaces, punctuation, symbols
        }
    }
}

/// A word segment of the normalized text, as offsets (cheap to produce in bulk).
public struct Segment: Sendable, Equatable {
    /// UTF-16 offsets into ``Analysis/normalized``.
    public var start: Int32
    public var end: Int32
    public var kind: TokenKind
}

/// A token for people and tests: its normalized text and where it came from.
public struct Token: Sendable, Equatable, Codable {
    /// The normalized text (Simplified, case-folded, half-width).
    public var text: String
    public var kind: TokenKind
    /// Ordinal among the text's tokens (0, 1, 2, …).
    public var position: Int
    /// UTF-16 offsets into the normalized text.
    public var normalizedStart: Int
    public var normalizedEnd: Int
    /// UTF-8 byte offsets into the ORIGINAL text (the decoded input, annotations included).
    public var startByte: Int
    public var endByte: Int
}

/// One text through the pipeline: the original, the cleaned and normalized UTF-16 text with a
/// map back to the original, and the word segments.
public struct Analysis: Sendable {
    /// The original (decoded) text.
    public let original: String
    /// The cleaned and normalized text, in UTF-16 (ICU's unit); positions in the index count these.
    public let normalized: [UInt16]
    /// For every unit of `normalized`, the UTF-8 byte offset in `original` of the code point it came from.
    public let sourceByte: [Int32]
    /// UTF-8 byte ranges of `original` removed by cleaning (pinyin annotations).
    public let removed: [Range<Int>]
    /// Word segments of `normalized` (numbers, letters, kana, ideographs; no spaces or punctuation).
    public let segments: [Segment]

    /// An analysis from its parts (``Analyzer/clean(normalizing:)`` gives the first three).
    public init(original: String, normalized: [UInt16], sourceByte: [Int32], removed: [Range<Int>], segments: [Segment]) {
        self.original = original
        self.normalized = normalized
        self.sourceByte = sourceByte
        self.removed = removed
        self.segments = segments
    }

    /// The normalized text as a string.
    public var normalizedText: String { String(decoding: normalized, as: UTF16.self) }

    /// The original text with the cleaning stage's removals applied (not normalized).
    public var cleanedText: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(original.utf8.count)
        var cursor = 0
        let utf8 = Array(original.utf8)
        for range in removed {
            bytes.append(contentsOf: utf8[cursor..<range.lowerBound])
            cursor = range.upperBound
        }
        bytes.append(contentsOf: utf8[cursor...])
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The UTF-8 byte range of `original` that normalized units `range` came from.
    public func byteRange(normalized range: Range<Int>) -> Range<Int> {
        guard !range.isEmpty else {
            let at = range.lowerBound < sourceByte.count ? Int(sourceByte[range.lowerBound]) : original.utf8.count
            return at..<at
        }
        let start = Int(sourceByte[range.lowerBound])
        let last = Int(sourceByte[range.upperBound - 1])
        let lead = original.utf8[original.utf8.index(original.utf8.startIndex, offsetBy: last)]
        return start..<(last + UTF8Scalar.length(lead: lead))
    }

    /// The tokens, with text and offsets materialized.
    public var tokens: [Token] {
        segments.enumerated().map { position, segment in
            let range = Int(segment.start)..<Int(segment.end)
            let bytes = byteRange(normalized: range)
            return Token(
                text: String(decoding: normalized[range], as: UTF16.self), kind: segment.kind,
                position: position, normalizedStart: range.lowerBound, normalizedEnd: range.upperBound,
                startByte: bytes.lowerBound, endByte: bytes.upperBound)
        }
    }
}

/// UTF-8 helpers shared by the modules that walk original bytes.
public enum UTF8Scalar {
    /// Bytes of the scalar whose first byte is `lead`.
    @inline(__always)
    public static func length(lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }
}

/// UTF-16 helpers shared by the modules that read and write code points in UTF-16 buffers.
public enum UTF16Scalar {
    /// Calls `body(codePoint, offset, width)` for every code point of `text` (a lone surrogate is
    /// its own code point of width 1).
    @inline(__always)
    public static func forEach(in text: UnsafeBufferPointer<UInt16>, _ body: (UInt32, Int, Int) -> Void) {
        var i = 0
        while i < text.count {
            let (c, width) = scalar(at: i, in: text)
            body(c, i, width)
            i += width
        }
    }

    /// The code point starting at unit `i` of `text` and its width in units (a lone surrogate is
    /// its own code point of width 1).
    @inline(__always)
    public static func scalar(at i: Int, in text: UnsafeBufferPointer<UInt16>) -> (UInt32, Int) {
        let u = UInt32(text[i])
        if u & 0xFC00 == 0xD800, i + 1 < text.count, text[i + 1] & 0xFC00 == 0xDC00 {
            return (0x10000 + ((u - 0xD800) << 10 | (UInt32(text[i + 1]) - 0xDC00)), 2)
        }
        return (u, 1)
    }

    /// Appends `c` as one unit or a surrogate pair.
    @inline(__always)
    public static func append(_ c: UInt32, to out: inout [UInt16]) {
        if c < 0x10000 { out.append(UInt16(c)) } else {
            let v = c - 0x10000
            out.append(UInt16(0xD800 + (v >> 10)))
            out.append(UInt16(0xDC00 + (v & 0x3FF)))
        }
    }
}

/// The analysis pipeline: clean (pinyin annotations) → normalize (per code point: NFKC_Casefold,
/// Traditional → Simplified) → segment (ICU word break, locale zh), keeping offsets to the original.
///
/// ```swift
/// let analyzer = try Analyzer()
/// let analysis = try analyzer.analyze("在創(chuàng)建全國文明城市")
/// analysis.normalizedText            // "在创建全国文明城市"
/// analysis.tokens.map(\.text)        // ["在", "创建", "全国", "文明", "城市"]
/// ```
/// Not thread-safe (it owns an ICU break iterator): use one per thread.
public final class Analyzer {
    public let table: NormalizationTable
    private let breaker: WordBreaker

    private var variantsResult: Result<Variants, AnalysisError>?

    public init(table: NormalizationTable? = nil) throws(AnalysisError) {
        if let table { self.table = table } else { self.table = try NormalizationTable.shared() }
        self.breaker = try WordBreaker()
    }

    /// This analyzer's cross-strait variant converter over the process-wide OpenCC dictionaries,
    /// opened on first use.
    public func variants() throws(AnalysisError) -> Variants {
        if let variantsResult { return try variantsResult.get() }
        let result = Result { () throws(AnalysisError) in
            try Variants(dictionaries: try VariantDictionaries.shared(), table: table)
        }
        variantsResult = result
        return try result.get()
    }

    /// Runs the whole pipeline over `text`.
    public func analyze(_ text: String) throws(AnalysisError) -> Analysis {
        let (normalized, sourceByte, removed) = clean(normalizing: text)
        var segments: [Segment] = []
        segments.reserveCapacity(normalized.count / 2 + 1)
        try normalized.withUnsafeBufferPointer { (buffer) throws(AnalysisError) in
            try breaker.segments(buffer) { start, end, status in
                if let kind = TokenKind(status: status) {
                    segments.append(Segment(start: start, end: end, kind: kind))
                }
            }
        }
        return Analysis(original: text, normalized: normalized, sourceByte: sourceByte, removed: removed, segments: segments)
    }

    /// Cleans and normalizes `text` in one pass over its UTF-8, without segmenting.
    /// Returns the normalized UTF-16, its map to original byte offsets, and the removed ranges.
    public func clean(normalizing text: String) -> ([UInt16], [Int32], [Range<Int>]) {
        var text = text
        return text.withUTF8 { bytes in normalizeLoop(bytes) }
    }

    private func normalizeLoop(_ bytes: UnsafeBufferPointer<UInt8>) -> ([UInt16], [Int32], [Range<Int>]) {
        var capacity = bytes.count + 16
        // Room for the worst case, left unwritten: only the pages actually filled get touched
        // (Chinese text fills a third of it), so the kernel never zeroes the rest.
        var out = [UInt16](unsafeUninitializedCapacity: capacity) { _, n in n = capacity }
        var map = [Int32](unsafeUninitializedCapacity: capacity) { _, n in n = capacity }
        var removed: [Range<Int>] = []
        var count = 0
        let n = bytes.count
        table.bmp.withUnsafeBufferPointer { bmp in
            table.hanBits.withUnsafeBufferPointer { han in
                var i = 0
                var previousWasHan = false
                while i < n {
                    let b0 = bytes[i]
                    var c: UInt32
                    var length: Int
                    if b0 < 0x80 {
                        c = UInt32(b0); length = 1
                    } else if b0 < 0xE0 {
                        c = UInt32(b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F); length = 2
                    } else if b0 < 0xF0 {
                        c = UInt32(b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
                        length = 3
                    } else {
                        c = UInt32(b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12
                            | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F)
                        length = 4
                    }
                    if previousWasHan && (c == 0x28 || c == 0xFF08),
                       let annotation = PinyinAnnotation.length(in: bytes, at: i) {
                        removed.append(i..<(i + annotation))
                        i += annotation
                        continue  // still right after the same Han character
                    }
                    let entry = c < 0x10000 ? bmp[Int(c)] : (table.supplementary[c] ?? c)
                    if count + 2 > capacity {
                        capacity *= 2
                        out.append(contentsOf: repeatElement(0, count: capacity - out.count))
                        map.append(contentsOf: repeatElement(0, count: capacity - map.count))
                    }
                    let source = Int32(i)
                    if entry & 0x8000_0000 == 0 {
                        if entry < 0x10000 {
                            out[count] = UInt16(truncatingIfNeeded: entry); map[count] = source; count += 1
                        } else {
                            let v = entry - 0x10000
                            out[count] = UInt16(0xD800 + (v >> 10)); map[count] = source
                            out[count + 1] = UInt16(0xDC00 + (v & 0x3FF)); map[count + 1] = source
                            count += 2
                        }
                    } else {
                        let offset = Int(entry & 0xFFFFF), expansionLength = Int(entry >> 20 & 0xFF)
                        for k in offset..<offset + expansionLength {
                            let e = table.expansions[k]
                            if count + 2 > capacity {
                                capacity *= 2
                                out.append(contentsOf: repeatElement(0, count: capacity - out.count))
                                map.append(contentsOf: repeatElement(0, count: capacity - map.count))
                            }
                            if e < 0x10000 {
                                out[count] = UInt16(e); map[count] = source; count += 1
                            } else {
                                let v = e - 0x10000
                                out[count] = UInt16(0xD800 + (v >> 10)); map[count] = source
                                out[count + 1] = UInt16(0xDC00 + (v & 0x3FF)); map[count + 1] = source
                                count += 2
                            }
                        }
                    }
                    previousWasHan = c < 0x110000 && han[Int(c >> 6)] >> UInt64(c & 63) & 1 != 0
                    i += length
                }
            }
        }
        out.removeLast(out.count - count)
        map.removeLast(map.count - count)
        return (out, map, removed)
    }

    /// Calls `body(codePoint, offset)` for every Han character of normalized UTF-16 `text`, with
    /// its UTF-16 offset. These are the positions the index uses for exact substring matching.
    @inline(__always)
    public func forEachHanCharacter(in text: UnsafeBufferPointer<UInt16>, _ body: (UInt32, Int32) -> Void) {
        table.hanBits.withUnsafeBufferPointer { han in
            UTF16Scalar.forEach(in: text) { c, i, _ in
                if han[Int(c >> 6)] >> UInt64(c & 63) & 1 != 0 { body(c, Int32(i)) }
            }
        }
    }
}

extension Analyzer {
    /// Calls `body(codePoint, offset)` for every character of normalized `text` that is neither
    /// Han, nor inside one of the non-ideographic `segments` (Latin, digit, kana words), nor a
    /// space or control: punctuation and symbols (`，`, `、`, `%`, `·`). The index keeps them with
    /// positions, so a phrase with punctuation matches from postings alone.
    public func forEachSymbol(in text: UnsafeBufferPointer<UInt16>, segments: [Segment], _ body: (UInt32, Int32) -> Void) {
        var next = 0
        UTF16Scalar.forEach(in: text) { c, i, _ in
            while next < segments.count && Int(segments[next].end) <= i { next += 1 }
            let inWord = next < segments.count && Int(segments[next].start) <= i && segments[next].kind != .ideographic
            if !inWord && Self.isSymbol(c) && !table.isHan(c) { body(c, Int32(i)) }
        }
    }

    /// The offset of the Han character that ends at `offset` of `text`, if one does.
    @inline(__always)
    public func hanStart(before offset: Int, in text: UnsafeBufferPointer<UInt16>) -> Int? {
        guard offset > 0 else { return nil }
        let last = text[offset - 1]
        if last & 0xFC00 == 0xDC00, offset > 1, text[offset - 2] & 0xFC00 == 0xD800 {
            let c = 0x10000 + ((UInt32(text[offset - 2]) - 0xD800) << 10 | (UInt32(last) - 0xDC00))
            return table.isHan(c) ? offset - 2 : nil
        }
        return table.isHan(UInt32(last)) ? offset - 1 : nil
    }

    /// Not a space, line break, control or byte-order mark.
    @inline(__always)
    static func isSymbol(_ c: UInt32) -> Bool {
        !(c <= 0x20 || (0x7F...0xA0).contains(c) || c == 0x2028 || c == 0x2029 || c == 0xFEFF || c == 0x3000)
    }
}

/// Inline pinyin annotations that scraped pages insert after characters: `建設(shè)`, `創（chuàng）`.
/// An annotation is `(` or `（`, one to seven lowercase pinyin letters of which at least one
/// carries a tone mark, then `)` or `）`, directly after a Han character. Plain Latin in
/// parentheses (`(GDP)`, `(2)`, `(de)`) is kept: it cannot be told from real text.
public enum PinyinAnnotation {
    private static let toneMarked: Set<UInt32> = [
        0x101, 0xE1, 0x1CE, 0xE0, 0x113, 0xE9, 0x11B, 0xE8, 0x12B, 0xED, 0x1D0, 0xEC,
        0x14D, 0xF3, 0x1D2, 0xF2, 0x16B, 0xFA, 0x1D4, 0xF9, 0x1D6, 0x1D8, 0x1DA, 0x1DC,
        0x144, 0x148, 0x1F9, 0x1E3F,
    ]

    /// The number of scalars of the annotation starting at `start` (an opening parenthesis) in
    /// `scalars`, or nil: the same rule the cleaning stage applies to documents, for query parsers.
    public static func length(in scalars: [Unicode.Scalar], at start: Int) -> Int? {
        guard start < scalars.count, scalars[start] == "(" || scalars[start] == "（" else { return nil }
        var i = start + 1
        var toned = false
        while i < scalars.count, i - start <= 8 {
            let c = scalars[i].value
            if c == 0x29 || c == 0xFF09 { return i > start + 1 && toned ? i + 1 - start : nil }
            if toneMarked.contains(c) { toned = true } else if !(c >= 0x61 && c <= 0x7A) && c != 0xFC { return nil }
            i += 1
        }
        return nil
    }

    /// The byte length of the annotation starting at `start` (an opening parenthesis), or nil.
    static func length(in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        var i = start + (bytes[start] == 0x28 ? 1 : 3)
        var letters = 0
        var toned = false
        var closed = false
        while i < bytes.count {
            let b0 = bytes[i]
            if b0 == 0x29 { i += 1; closed = true; break }
            if b0 == 0xEF, i + 2 < bytes.count, bytes[i + 1] == 0xBC, bytes[i + 2] == 0x89 {
                i += 3; closed = true; break
            }
            let c: UInt32
            if b0 >= 0x61 && b0 <= 0x7A {
                c = UInt32(b0); i += 1
            } else if b0 & 0xE0 == 0xC0, i + 1 < bytes.count {
                c = UInt32(b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F); i += 2
            } else if b0 == 0xE1, i + 2 < bytes.count {
                c = UInt32(b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F); i += 3
            } else {
                return nil
            }
            if toneMarked.contains(c) {
                toned = true
            } else if !(c >= 0x61 && c <= 0x7A) && c != 0xFC {
                return nil
            }
            letters += 1
            if letters > 7 { return nil }
        }
        guard closed, letters > 0, toned else { return nil }
        return i - start
    }
}
