import TongwenAnalysis

extension QueryParser {
    /// Splits a query's scalars into tokens; columns are 1-based scalar offsets.
    struct Lexer {
        let s: [Unicode.Scalar]
        var i = 0
        var result: [Token] = []

        mutating func tokens() throws(QueryError) -> [Token] {
            while i < s.count {
                let c = s[i]
                if isSpace(c) { i += 1; continue }
                if isOpen(c) { result.append(.open(column: i + 1)); i += 1; continue }
                if isClose(c) { result.append(.close(column: i + 1)); i += 1; continue }
                if quotePairs[c] != nil && c != "”" {
                    let (text, slop, next) = try phrase(at: i)
                    result.append(.phrase(text, slop: slop, column: i + 1))
                    i = next
                    continue
                }
                if c == "=" || c == "＝" || c == "~" || c == "～", i + 1 < s.count, !isSpace(s[i + 1]), !isClose(s[i + 1]) {
                    result.append(.mode(c == "=" || c == "＝" ? .exact : .vocabulary, column: i + 1))
                    i += 1
                    continue
                }
                if c == "-" || c == "－" {
                    guard i + 1 < s.count, !isSpace(s[i + 1]), !isClose(s[i + 1]) else {
                        throw QueryError("'-' must stand right before the term it excludes", column: i + 1)
                    }
                    result.append(.not(column: i + 1))
                    i += 1
                    continue
                }
                try word()
            }
            return result
        }

        /// A quoted phrase starting at `start`, with its `~N` slop: (text, slop, index after it).
        func phrase(at start: Int) throws(QueryError) -> (String, Int?, Int) {
            let closers = quotePairs[s[start]]!
            var j = start + 1
            var text = String.UnicodeScalarView()
            while j < s.count, !closers.contains(s[j]) { text.append(s[j]); j += 1 }
            guard j < s.count else {
                throw QueryError("unbalanced quote: the quote at column \(start + 1) is never closed", column: start + 1)
            }
            j += 1
            let phrase = String(text)
            guard phrase.unicodeScalars.contains(where: { !isSpace($0) }) else {
                throw QueryError("empty phrase", column: start + 1)
            }
            guard j < s.count, s[j] == "~" || s[j] == "～" else { return (phrase, nil, j) }
            var digits = ""
            var k = j + 1
            while k < s.count, let d = s[k].properties.numericType, d == .decimal, s[k].isASCII {
                digits.unicodeScalars.append(s[k]); k += 1
            }
            guard let n = Int(digits), n <= maxSlop else {
                throw QueryError("'~' after a phrase needs a whole number of characters from 0 to \(maxSlop)", column: j + 1)
            }
            return (phrase, n, k)
        }

        /// A word, running to the next space, parenthesis or quote; an operator; or `field:value`.
        mutating func word() throws(QueryError) {
            let start = i
            var word = String.UnicodeScalarView()
            while i < s.count, !isSpace(s[i]), !isClose(s[i]), quotePairs[s[i]] == nil || s[i] == "”" {
                if isOpen(s[i]) {
                    // A pinyin annotation right after a Han character belongs to the word
                    // (`建設(shè)`), as the cleaning stage treats it in documents.
                    guard let last = word.last, last.properties.isIdeographic,
                          let length = PinyinAnnotation.length(in: s, at: i) else { break }
                    word.append(contentsOf: s[i..<(i + length)])
                    i += length
                    continue
                }
                if s[i] == ":" || s[i] == "：" {
                    let name = String(word).lowercased()
                    if fields.contains(name) || name == "date" {
                        try field(name, start: start)
                        return
                    }
                }
                word.append(s[i])
                i += 1
            }
            if word.isEmpty { return }
            let text = String(word)
            switch text {
            case "AND": result.append(.and(column: start + 1))
            case "OR": result.append(.or(column: start + 1))
            case "NOT": result.append(.not(column: start + 1))
            default: result.append(.word(text, column: start + 1))
            }
        }

        /// The value of field `name` whose colon is at `i`: a quoted phrase or a run to the next space.
        mutating func field(_ name: String, start: Int) throws(QueryError) {
            let valueStart = i + 1
            if valueStart < s.count, quotePairs[s[valueStart]] != nil, s[valueStart] != "”" {
                let (text, _, next) = try phrase(at: valueStart)
                result.append(.field(name, value: text, quoted: true, column: start + 1))
                i = next
                return
            }
            var value = String.UnicodeScalarView()
            var j = valueStart
            while j < s.count, !isSpace(s[j]), !isClose(s[j]), !isOpen(s[j]) { value.append(s[j]); j += 1 }
            guard !value.isEmpty else { throw QueryError("'\(name):' needs a value", column: start + 1) }
            result.append(.field(name, value: String(value), quoted: false, column: start + 1))
            i = j
        }
    }
}
