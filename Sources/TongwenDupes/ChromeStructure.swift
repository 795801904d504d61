/// Shapes of chrome that need no word list, read on a segment's shape (digits masked as `0`,
/// whitespace runs as one space; see ``ChromeSegmenter/shape(_:)``).
enum ChromeStructure {
    static let fieldDelimiters: Set<Unicode.Scalar> = ["：", ":", "／"]
    static let fieldOpeners: Set<Unicode.Scalar> = [" ", "|", "｜", "·", "【", "[", "(", "（", "丨"]
    static let rowSeparators: Set<Unicode.Scalar> = [" ", "|", "｜", "·", "‧", "・", "•", "/", "／", ">", "＞", "»", "›", "→", "丨"]
    static let openers: Set<Unicode.Scalar> = ["(", "（", "【", "[", "〔"]
    static let closers: Set<Unicode.Scalar> = [")", "）", "】", "]", "〕"]

    /// Key–value fields: a key of 1–5 letters at the start or after a space or separator, then
    /// `：`, `:` or `／` and a value. Two fields, or one next to a date or time, are a byline.
    static func isFields(_ s: [Unicode.Scalar]) -> Bool {
        var fields = 0
        var i = 0
        while i < s.count {
            if i == 0 || fieldOpeners.contains(s[i - 1]) {
                var j = i
                while j < s.count && j - i < 5 && s[j].properties.isAlphabetic { j += 1 }
                if j > i, j < s.count, fieldDelimiters.contains(s[j]) {
                    var v = j + 1
                    while v < s.count && s[v] == " " { v += 1 }
                    // A value holds a letter or digit (a blank form's `姓名：____` is no byline).
                    if v < s.count && !fieldDelimiters.contains(s[v]) && !isBlank(s[v]) { fields += 1; i = v; continue }
                }
            }
            i += 1
        }
        return fields >= 2 || (fields == 1 && hasDateOrTime(s))
    }

    /// Three or more items separated by spaces or `| · / > »`, each but the last ≤ 8 characters
    /// with a letter, the last ≤ 30; none ends in a label's `：`, and items separated by spaces
    /// alone hold Han characters (`Day of the Girl` is a phrase, not a menu).
    static func isRow(_ s: [Unicode.Scalar]) -> Bool {
        var tokens: [ArraySlice<Unicode.Scalar>] = []
        var start = 0
        var spacesOnly = true
        for i in 0...s.count where i == s.count || rowSeparators.contains(s[i]) {
            if i < s.count && s[i] != " " { spacesOnly = false }
            if i > start { tokens.append(s[start..<i]) }
            start = i + 1
        }
        guard tokens.count >= 3, tokens.last!.count <= 30 else { return false }
        guard !tokens.contains(where: { $0.last == "：" || $0.last == ":" }) else { return false }
        if spacesOnly && !tokens.allSatisfy({ $0.contains(where: isHan) }) { return false }
        return tokens.dropLast().allSatisfy { $0.count <= 8 && $0.contains { $0.properties.isAlphabetic } }
    }

    static func isHan(_ c: Unicode.Scalar) -> Bool { (0x4E00...0x9FFF).contains(c.value) || (0x3400...0x4DBF).contains(c.value) }
    static func isBlank(_ c: Unicode.Scalar) -> Bool { c == "_" || c == "＿" || c == "-" || c == "—" || c == "." || c == "…" }

    /// A short bracketed group with a byline's inner delimiter: `（記者王小明／台北報導）`, `(文/李明)`.
    static func isBracketedByline(_ s: [Unicode.Scalar]) -> Bool {
        guard let first = s.first, let last = s.last, openers.contains(first), closers.contains(last), s.count >= 4 else { return false }
        let inner = s[1..<(s.count - 1)]
        guard !inner.contains(where: { openers.contains($0) || closers.contains($0) }) else { return false }
        return inner.contains { $0 == "／" || $0 == "/" || $0 == " " || $0 == "：" || $0 == ":" } && inner.filter { $0.properties.isAlphabetic }.count >= 2
    }

    static let datePatterns: [[Unicode.Scalar]] = ["0-0-0", "0/0/0", "0.0.0", "0年0月0日", "0月0日", "0-0", "0/0"].map { Array($0.unicodeScalars) }

    /// Ends (before closing brackets and an optional `0:0` time) in a date, after some text.
    static func endsWithDate(_ s: [Unicode.Scalar]) -> Bool {
        var end = s.count
        while end > 0 && (closers.contains(s[end - 1]) || s[end - 1] == " ") { end -= 1 }
        var t = Array(s[..<end])
        for time in [Array("0:0:0".unicodeScalars), Array("0:0".unicodeScalars)] where t.count > time.count && Array(t.suffix(time.count)) == time {
            t.removeLast(time.count)
            while t.last == " " { t.removeLast() }
            break
        }
        guard let pattern = datePatterns.first(where: { t.count > $0.count && Array(t.suffix($0.count)) == $0 }) else { return false }
        return t.dropLast(pattern.count).contains { $0.properties.isAlphabetic }
    }

    static func hasDateOrTime(_ s: [Unicode.Scalar]) -> Bool {
        for i in s.indices where s[i] == "0" && i + 2 < s.count && s[i + 2] == "0" && ["-", "/", ":", "年", "月", "."].contains(s[i + 1]) { return true }
        return false
    }

    static let bullets: Set<Unicode.Scalar> = ["·", "•", "◎", "○", "●", "◆", "◇", "■", "□", "▪", "►", "▶", "※", "★", "☆", "-", "*", "[", "【", "〔", "「", "《"]

    /// A list item's marker: `0.`, `0、`, `0)` or a bullet (`·`, `◎`, `[`, `【`); arrows and other
    /// symbols that mark rows of a table are none.
    static func listMarker(_ shape: String) -> String? {
        let s = Array(shape.unicodeScalars)
        guard let first = s.first else { return nil }
        if first == "0", s.count > 2, [".", "、", ")", "）"].contains(s[1]) { return "0" + String(s[1]) }
        return bullets.contains(first) ? String(first) : nil
    }
}
