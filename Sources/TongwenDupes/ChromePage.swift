/// A page cut into segments, with its chrome zones: the head is what comes before the first
/// sentence of body text (and in the first 40 % of the page), the tail what comes after the last
/// (and in the last 40 %). Only zone segments, never body text, can be chrome by template or
/// structure; a page without a sentence has its first and last 30 % as zones.
struct ChromePage {
    enum Zone: String, Sendable { case head, tail }

    /// The zone segments, in page order.
    var segments: [ChromeSegment]
    var zones: [Zone]
    /// Shapes of the zone segments.
    var shapes: [String]
    /// Fixed-part candidates of the zone segments (``prefix(_:)``).
    var prefixes: [String?]
    /// Prefixes of body lines (prose segments that start a line): a prefix that starts body lines
    /// too (`主席：`) is a speaker's label, not a site's template.
    var bodyPrefixes: Set<String> = []
    /// The segments the fixed rules read (``ChromeRules/candidates(_:_:)``).
    var ruleCandidates: [ChromeSegment]

    init(_ utf8: [UInt8]) {
        let all = ChromeSegmenter.segments(utf8)
        let total = Double(max(1, utf8.count))
        let firstProse = all.firstIndex(where: \.prose), lastProse = all.lastIndex(where: \.prose)
        let zoneOf: [Zone?] = all.indices.map { i in
            let s = all[i]
            guard !s.prose else { return nil }
            let start = Double(s.bytes.lowerBound) / total, end = Double(s.bytes.upperBound) / total
            if let firstProse, let lastProse {
                if i < firstProse && start < 0.4 { return .head }
                if i > lastProse && end > 0.6 { return .tail }
                return nil
            }
            return start < 0.3 ? .head : end > 0.7 ? .tail : nil
        }
        ruleCandidates = ChromeRules.candidates(all, utf8, inZone: { zoneOf[$0] != nil })
        // Only zone segments are kept: the body is never chrome by template or structure.
        let kept = all.indices.filter { zoneOf[$0] != nil }
        segments = kept.map { all[$0] }
        zones = kept.map { zoneOf[$0]! }
        let shapes = segments.map { ChromeSegmenter.shape(utf8[$0.bytes]) }
        self.shapes = shapes
        prefixes = shapes.map(Self.prefix)
        for s in all where s.prose && s.bytes.lowerBound == s.line && Self.mayHavePrefix(utf8[s.bytes.prefix(30)]) {
            if let p = Self.prefix(ChromeSegmenter.shape(utf8[s.bytes.prefix(40)])) { bodyPrefixes.insert(p) }
        }
    }

    static let delimiters: Set<Unicode.Scalar> = ["：", ":", "|", "｜", ">", "＞", "»", "›", "/", "／"]

    /// The fixed part a site's template may put before a variable one: after leading symbols, up to
    /// 8 characters ending in a delimiter (`上一篇：`, `來源:`) or before a space (`上一篇文章 …`),
    /// holding ≥ 2 letters and followed by something.
    static func prefix(_ shape: String) -> String? {
        let scalars = Array(shape.unicodeScalars)
        var start = 0
        while start < scalars.count && !isWordy(scalars[start]) { start += 1 }
        var i = start, letters = 0
        while i < scalars.count && i - start < 8 {
            let c = scalars[i]
            if delimiters.contains(c) || c == " " {
                let end = delimiters.contains(c) ? i + 1 : i
                guard letters >= 2, scalars[end...].contains(where: isWordy) else { return nil }
                return String(String.UnicodeScalarView(scalars[start..<end]))
            }
            if c.properties.isAlphabetic { letters += 1 }
            i += 1
        }
        return nil
    }

    /// Whether `bytes` hold a delimiter or a gap at all (most body lines do not): a cheap test
    /// before ``prefix(_:)``.
    static func mayHavePrefix(_ bytes: ArraySlice<UInt8>) -> Bool {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            switch bytes[i] {
            case 0x20, 0x09, 0x3A, 0x7C, 0x3E, 0x2F, 0xBB: return true
            case 0xEF where i + 2 < bytes.endIndex && ((bytes[i + 1] == 0xBC && [0x9A, 0x8F, 0x9E].contains(bytes[i + 2])) || (bytes[i + 1] == 0xBD && bytes[i + 2] == 0x9C)):
                return true  // ：／＞｜
            case 0xE3 where i + 2 < bytes.endIndex && bytes[i + 1] == 0x80 && bytes[i + 2] == 0x80: return true  // U+3000
            case 0xE2 where i + 2 < bytes.endIndex && bytes[i + 1] == 0x80 && bytes[i + 2] == 0xBA: return true  // ›
            default: break
            }
            i += 1
        }
        return false
    }

    static func isWordy(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || c.properties.numericType != nil }
}
