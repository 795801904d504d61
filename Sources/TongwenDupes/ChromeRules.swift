import TongwenAnalysis

/// The fixed rules of page chrome, word lists that need no other page: a segment
/// (``ChromeSegmenter``) is chrome when it matches a template on its cleaned, normalized text
/// (navigation, related-article header, a dated or numbered title after such a header or a
/// navigation line, breadcrumb, byline, trailing id or date on a line of its own, spam with ≥ 2
/// strong terms) **and** has the chrome shape: at most 80 characters with no sentence-final
/// 。！？, or it lies in the document's first or last 15 %.
/// Compilation markup (`(共5篇)`, `…篇3`, `第二篇:`) is reported apart, as markup.
public enum ChromeRules {
    public struct Segment: Sendable, Equatable, Encodable {
        /// UTF-8 byte range in the original text.
        public var startByte: Int
        public var endByte: Int
        public var rule: String
    }

    // Templates, matched on the UTF-16 units of the cleaned, normalized segment (Foundation's
    // String.contains is far too slow for a corpus of millions of segments).
    static let related = needles(["相关文章", "相关推荐", "相关阅读", "相关链接", "推荐阅读", "延伸阅读", "热门推荐", "猜你喜欢", "相关新闻", "的人还看了", "相关专题"])
    static let navigation = needles(["上一篇", "下一篇", "上一页", "下一页", "返回首页", "返回列表", "返回顶部", "打印本页", "关闭窗口"])
    static let bylines = needles(["来源:", "作者:", "编辑:", "责任编辑", "发布时间", "发布日期", "浏览次数", "阅读次数", "点击:", "字号:"])
    static let bylineCues = needles(["分享", "来源", "作者", "编辑", "浏览", "阅读", "点击"])
    static let spam = needles(["在线观看", "色综合", "黄色", "欧美", "伊人", "中文字幕", "老熟妇", "一碰就硬", "av", "激情", "国产精品", "无码", "porn", "成人网", "日韩"])
    static let breadcrumbs = needles([" > ", " » ", " › "])
    static let (previous, next, comma, timePrefix) = (Array("上一篇".utf16), Array("下一篇".utf16), Array(",".utf16), Array("时间:".utf16))

    static func needles(_ strings: [String]) -> [[UInt16]] { strings.map { Array($0.utf16) } }

    /// The segments a rule may match, so the others are left out before the costly normalization:
    /// only segments of the chrome zones (`inZone`, ``ChromePage``), of the first or last 15 % or
    /// holding 篇 (markup);
    /// a sentence of the body matches none (every rule needs the chrome shape, markup needs 篇),
    /// and of a sentence in the first or last 15 % only one with a breadcrumb separator (` > `)
    /// or a navigation pair is read (a byline or spam line does not end in 。！？).
    static func candidates(_ segments: [ChromeSegment], _ utf8: [UInt8], inZone: (Int) -> Bool) -> [ChromeSegment] {
        let total = Double(max(1, utf8.count))
        return segments.indices.filter { i in
            let s = segments[i], bytes = utf8[s.bytes]
            let edge = Double(s.bytes.lowerBound) / total < 0.15 || Double(s.bytes.upperBound) / total > 0.85
            guard edge || inZone(i) || holdsPian(bytes) else { return false }
            return !mayBeSkipped(bytes) || (edge && hasBreadcrumbSeparator(bytes))
        }.map { segments[$0] }
    }

    /// 篇 in the raw bytes: compilation markup (`第二篇:`) sits anywhere in a page.
    static func holdsPian(_ bytes: ArraySlice<UInt8>) -> Bool {
        var i = bytes.startIndex
        while i + 2 < bytes.endIndex {
            if bytes[i] == 0xE7 && bytes[i + 1] == 0xAF && bytes[i + 2] == 0x87 { return true }
            i += 1
        }
        return false
    }

    /// ` > `, ` » ` or ` › ` in the raw bytes.
    static func hasBreadcrumbSeparator(_ bytes: ArraySlice<UInt8>) -> Bool {
        var i = bytes.startIndex
        while i + 2 < bytes.endIndex {
            if bytes[i] == 0x20 && (bytes[i + 1] == 0x3E || (bytes[i + 1] == 0xC2 && (bytes[i + 2] == 0xBB))
                || (bytes[i + 1] == 0xE2 && i + 3 < bytes.endIndex && bytes[i + 2] == 0x80 && bytes[i + 3] == 0xBA)) { return true }
            i += 1
        }
        return false
    }

    /// Chrome and markup among `candidates` (``candidates(_:_:)``) of the page `utf8`.
    static func find(_ utf8: [UInt8], _ candidates: [ChromeSegment], analyzer: Analyzer) -> (chrome: [Segment], markup: [Segment]) {
        let total = max(1, utf8.count)
        var chrome: [Segment] = [], markup: [Segment] = []
        var inList = 0  // segments since a related-list header or a navigation line
        var lastOrdinal = -1
        for piece in candidates {
            let segment = piece.bytes
            let edge = Double(segment.lowerBound) / Double(total) < 0.15 || Double(segment.upperBound) / Double(total) > 0.85
            inList = max(0, inList - (piece.ordinal - lastOrdinal - 1))  // the segments left out
            lastOrdinal = piece.ordinal
            let raw = String(decoding: utf8[segment], as: UTF8.self)
            let trimmed = raw.trimmingWhitespace()
            if trimmed.isEmpty { continue }
            let units = analyzer.clean(normalizing: trimmed).0
            let normalized = String(decoding: units, as: UTF16.self)
            let characters = normalized.unicodeScalars.count  // annotations removed
            func has(_ needle: [UInt16]) -> Bool { UnitSearch.contains(needle, in: units) }
            func starts(_ needle: [UInt16]) -> Bool { units.count >= needle.count && units[..<needle.count].elementsEqual(needle) }
            let sentenceFinal = trimmed.unicodeScalars.contains { "。！？!?".unicodeScalars.contains($0) }
            let shape = (characters <= 80 && !sentenceFinal) || edge
            inList = max(0, inList - 1)
            if characters <= 80, let kind = markupKind(units, normalized) {
                markup.append(Segment(startByte: segment.lowerBound, endByte: segment.upperBound, rule: kind))
                continue
            }
            var rule: String?
            if related.contains(where: has), characters <= 40, !has(comma), !sentenceFinal {
                rule = "related-list"
                inList = 40
            } else if navigation.contains(where: starts) || (has(previous) && has(next)) {
                rule = "navigation"
                inList = 10
            } else if breadcrumbs.contains(where: has) {
                rule = "breadcrumb"
            } else if characters <= 60 && (bylines.contains(where: starts) || (starts(timePrefix) && bylineCues.contains(where: has))) {
                rule = "byline"
            } else if spam.count(where: has) >= 2 {
                rule = "spam"
            } else if edge && piece.wholeLine && characters <= 24 && isTrailingIdOrDate(normalized) {
                rule = "id-or-date"
            } else if inList > 0 && characters <= 60 && !sentenceFinal && endsWithListDate(normalized) {
                rule = "dated-title"
            } else if inList > 0 && characters <= 40 && !sentenceFinal && !has(comma) && startsWithListNumber(normalized) {
                rule = "numbered-title"
            }
            if let rule, shape {
                chrome.append(Segment(startByte: segment.lowerBound, endByte: segment.upperBound, rule: rule))
            }
        }
        return (chrome, markup)
    }

    /// Holds 。！？ (so it has no chrome shape) and neither 篇 (markup) nor 上一 / 下一 (a navigation
    /// line, which opens a list even without the shape).
    static func mayBeSkipped(_ bytes: ArraySlice<UInt8>) -> Bool {
        var sentenceEnd = false
        var i = bytes.startIndex
        while i + 2 < bytes.endIndex {
            let (a, b, c) = (bytes[i], bytes[i + 1], bytes[i + 2])
            if a == 0xE7 && b == 0xAF && c == 0x87 { return false }  // 篇
            if a == 0xE4 && b == 0xB8 && (c == 0x8A || c == 0x8B) && i + 5 < bytes.endIndex && bytes[i + 3] == 0xE4 && bytes[i + 4] == 0xB8 && bytes[i + 5] == 0x80 { return false }  // 上一 下一
            if (a == 0xE3 && b == 0x80 && c == 0x82) || (a == 0xEF && b == 0xBC && (c == 0x81 || c == 0x9F)) { sentenceEnd = true }  // 。！？
            i += 1
        }
        return sentenceEnd || bytes.contains(0x21) || bytes.contains(0x3F)
    }

    static let (compilationOpen, compilationClose, speech) = (Array("(共".utf16), Array("篇)".utf16), Array("讲话".utf16))

    static func markupKind(_ units: [UInt16], _ s: String) -> String? {
        let scalars = Array(s.unicodeScalars)
        if UnitSearch.contains(compilationOpen, in: units) && UnitSearch.contains(compilationClose, in: units) { return "markup" }
        if s.hasPrefix("第"), let i = scalars.firstIndex(of: "篇"), i <= 4, scalars.count > i + 1, scalars[i + 1] == ":" { return "markup" }
        if let last = scalars.last, last.properties.numericType != nil, scalars.count >= 2 {
            var i = scalars.count - 1
            while i > 0 && scalars[i].properties.numericType != nil { i -= 1 }
            if scalars[i] == "篇" && i > 0 && (scalars[i - 1] == " " || scalars[i - 1].properties.isIdeographic) && UnitSearch.contains(speech, in: units) { return "markup" }
        }
        return nil
    }

    static func isTrailingIdOrDate(_ s: String) -> Bool {
        let t = s.filter { !$0.isWhitespace }
        if t.count >= 4 && t.count <= 12 && t.allSatisfy(\.isASCII) && t.allSatisfy(\.isNumber) { return true }
        let parts = t.split(separator: "-")
        return parts.count == 3 && parts[0].count == 4 && parts.allSatisfy { $0.allSatisfy(\.isNumber) && !$0.isEmpty }
    }

    static func endsWithListDate(_ s: String) -> Bool {
        let scalars = Array(s.unicodeScalars)
        guard scalars.count > 5 else { return false }
        let tail = scalars.suffix(5)
        let d = tail.map { $0.properties.numericType == .decimal && $0.isASCII }
        return d[0] && d[1] && tail[tail.startIndex + 2] == "-" && d[3] && d[4]
    }

    static func startsWithListNumber(_ s: String) -> Bool {
        let scalars = Array(s.unicodeScalars)
        var i = 0
        while i < scalars.count && i < 3 && scalars[i].isASCII && scalars[i].properties.numericType == .decimal { i += 1 }
        return i > 0 && i < scalars.count && (scalars[i] == "." || scalars[i] == "、") && i + 1 < scalars.count
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let s = unicodeScalars
        guard let first = s.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = s.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(s[first...last])
    }
}
