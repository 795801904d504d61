import TongwenAnalysis

/// One segment of a page as chrome detection sees it, with the facts the rules read.
struct ChromeSegment {
    /// UTF-8 byte range in the original text, whitespace trimmed.
    var bytes: Range<Int>
    /// Unicode scalars, whitespace not counted.
    var characters: Int
    /// Holds a sentence end (。！？；) or is longer than 80 characters: body text, never chrome by
    /// template or structure.
    var prose: Bool
    /// First byte of the segment's line: segments of one line are joined into one span.
    var line: Int
    /// The segment's number in its page.
    var ordinal = 0
    /// The segment is its whole line (not a piece of a long one).
    var wholeLine = false
}

/// Cuts a page into segments: its lines, and on lines longer than 80 characters that hold a
/// sentence (pages flattened to one line) the pieces between sentence ends and whitespace gaps. Digit-only pieces (`09:30`)
/// join the piece before them; symbol-only pieces (`|`, `»`) and list numbers (`1.`) the piece
/// after; runs of three or more short pieces (≤ 8 characters: section names) are one row again,
/// and a lone short piece joins the piece after it if that is a sentence or short (`上一篇 ‹ title`).
enum ChromeSegmenter {
    static func segments(_ utf8: [UInt8]) -> [ChromeSegment] {
        var result: [ChromeSegment] = []
        var lineStart = 0
        for i in 0...utf8.count where i == utf8.count || utf8[i] == 0x0A {
            if lineStart < i { addLine(lineStart..<i, utf8, into: &result) }
            lineStart = i + 1
        }
        for i in result.indices { result[i].ordinal = i }
        return result
    }

    /// A piece of a line and what it holds.
    struct Piece {
        var bytes: Range<Int>
        var characters = 0
        var letters = 0  // Han, kana, Latin letters
        var digits = 0
        var sentenceEnd = false
        var isSymbols: Bool { letters == 0 && digits == 0 }
        var isDigits: Bool { letters == 0 && digits > 0 }
        /// Digits ending in `.`, `、` or `)`: a list item's number, which belongs to the item after it.
        func isListNumber(_ utf8: [UInt8]) -> Bool {
            guard isDigits, let last = utf8[bytes].last else { return false }
            return last == 0x2E || last == 0x29 || (utf8[bytes].suffix(3).elementsEqual([0xE3, 0x80, 0x81]))
        }
    }

    static func addLine(_ line: Range<Int>, _ utf8: [UInt8], into result: inout [ChromeSegment]) {
        let split = pieces(line, utf8)
        guard let first = split.first else { return }
        // A long line without a sentence end is one segment (a long breadcrumb); only a line
        // holding sentences is a flattened page to cut.
        if split.count == 1 || split.reduce(0, { $0 + $1.characters }) <= 80 || !split.contains(where: \.sentenceEnd) {
            result.append(segment(split.dropFirst().reduce(first, merge), line: line.lowerBound))
            result[result.count - 1].wholeLine = true
            return
        }
        for piece in joined(split, utf8) {
            result.append(segment(piece, line: line.lowerBound))
        }
    }

    /// The line's pieces, cut at whitespace gaps and after sentence ends.
    static func pieces(_ line: Range<Int>, _ utf8: [UInt8]) -> [Piece] {
        var pieces: [Piece] = []
        var current: Piece?
        var i = line.lowerBound
        func close() { if let c = current { pieces.append(c) }; current = nil }
        while i < line.upperBound {
            let n = UTF8Scalar.length(lead: utf8[i])
            let end = min(i + n, line.upperBound)
            let scalar = decode(utf8, i, n)
            if isGap(scalar) {
                close()
                i = end
                continue
            }
            if current == nil { current = Piece(bytes: i..<end) }
            current!.bytes = current!.bytes.lowerBound..<end
            current!.characters += 1
            let kind = classify(scalar)
            if kind.letter { current!.letters += 1 } else if kind.digit { current!.digits += 1 }
            if isSentenceEnd(scalar) {
                current!.sentenceEnd = true
                close()
            }
            i = end
        }
        close()
        return pieces
    }

    /// Digit-only pieces join the one before, symbol-only pieces the one after; then runs of ≥ 3
    /// short pieces become one row.
    static func joined(_ raw: [Piece], _ utf8: [UInt8]) -> [Piece] {
        var attached: [Piece] = []
        var pending: Piece?
        for var p in raw {
            let opened = pending != nil
            if let s = pending { p = merge(s, p); pending = nil }
            if (p.isSymbols || p.isListNumber(utf8)) && !p.sentenceEnd { pending = p; continue }
            if p.isDigits, !opened, let last = attached.last, !last.sentenceEnd {
                attached[attached.count - 1] = merge(last, p)
                continue
            }
            attached.append(p)
        }
        if let s = pending {
            if let last = attached.last { attached[attached.count - 1] = merge(last, s) } else { attached.append(s) }
        }
        var result: [Piece] = []
        var k = 0
        while k < attached.count {
            var end = k
            while end < attached.count && isShort(attached[end]) { end += 1 }
            if end - k >= 3 {
                result.append(attached[k..<end].dropFirst().reduce(attached[k], merge))
                k = end
            } else if isShort(attached[k]), k + 1 < attached.count, attached[k + 1].sentenceEnd || attached[k + 1].characters <= 60 {
                // A lone short piece is the fixed part of what follows (`上一篇 ‹ title`) or the
                // label of a sentence (`主席：  …。`).
                result.append(merge(attached[k], attached[k + 1]))
                k += 2
            } else {
                result.append(attached[k])
                k += 1
            }
        }
        return result
    }

    static func isShort(_ p: Piece) -> Bool { p.characters <= 8 && !p.sentenceEnd && p.letters > 0 }

    static func merge(_ a: Piece, _ b: Piece) -> Piece {
        Piece(bytes: a.bytes.lowerBound..<b.bytes.upperBound, characters: a.characters + b.characters,
              letters: a.letters + b.letters, digits: a.digits + b.digits, sentenceEnd: a.sentenceEnd || b.sentenceEnd)
    }

    static func segment(_ p: Piece, line: Int) -> ChromeSegment {
        ChromeSegment(bytes: p.bytes, characters: p.characters, prose: p.sentenceEnd || p.characters > 80, line: line)
    }

    /// A segment's shape, what recurs across the pages of one site: digit runs (ASCII and
    /// full-width) as `0`, whitespace runs as one space, ASCII letters in lower case.
    static func shape(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var lastDigit = false, lastSpace = false
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            let n = UTF8Scalar.length(lead: b)
            let end = min(i + n, bytes.endIndex)
            let fullwidthDigit = n == 3 && b == 0xEF && end - i == 3 && bytes[i + 1] == 0xBC && (0x90...0x99).contains(bytes[i + 2])
            let gap = b == 0x20 || b == 0x09 || b == 0x0D || (n == 3 && b == 0xE3 && end - i == 3 && bytes[i + 1] == 0x80 && bytes[i + 2] == 0x80)
                || (n == 2 && b == 0xC2 && end - i == 2 && bytes[i + 1] == 0xA0)
            if (0x30...0x39).contains(b) || fullwidthDigit {
                if !lastDigit { out.append(0x30) }
                lastDigit = true; lastSpace = false
            } else if gap {
                if !lastSpace { out.append(0x20) }
                lastSpace = true; lastDigit = false
            } else {
                if n == 1 && (0x41...0x5A).contains(b) { out.append(b + 0x20) } else { out.append(contentsOf: bytes[i..<end]) }
                lastDigit = false; lastSpace = false
            }
            i = end
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Letter (Han, kana, Latin…) or digit, with fast paths for ASCII and the common Han blocks.
    @inline(__always)
    static func classify(_ s: Unicode.Scalar) -> (letter: Bool, digit: Bool) {
        let v = s.value
        if v < 0x80 { return ((0x41...0x5A).contains(v) || (0x61...0x7A).contains(v), (0x30...0x39).contains(v)) }
        if (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) { return (true, false) }
        if (0x3000...0x303F).contains(v) || (0xFF01...0xFF0F).contains(v) || (0xFF1A...0xFF20).contains(v) { return (false, false) }
        return (s.properties.isAlphabetic, s.properties.numericType != nil)
    }

    static func decode(_ utf8: [UInt8], _ i: Int, _ n: Int) -> Unicode.Scalar {
        var value = UInt32(utf8[i])
        if n > 1 {
            value &= UInt32(0xFF >> (n + 1))
            for k in 1..<n where i + k < utf8.count { value = value << 6 | UInt32(utf8[i + k] & 0x3F) }
        }
        return Unicode.Scalar(value) ?? "\u{FFFD}"
    }

    static func isGap(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" || s == "\r" || s == "\u{3000}" || s == "\u{A0}" }
    /// 。！？ and ；, which ends a clause of a sentence and never a piece of chrome.
    static func isSentenceEnd(_ s: Unicode.Scalar) -> Bool { s == "。" || s == "！" || s == "？" || s == "；" }
}
