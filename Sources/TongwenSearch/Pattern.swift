import TongwenAnalysis
import TongwenIndex

/// What a term or phrase must match, as the index sees it: the normalized text, and the indexed
/// units in it (Han characters, non-Han words, punctuation and symbols) at their UTF-16 offsets
/// from the text's start.
/// A document matches at offset `b` when every unit occurs at `b + offset`; when some character of
/// the text is not covered by a unit (spaces) the match is confirmed on the
/// document's normalized text, so a pattern means exactly "this normalized substring".
struct Pattern: Sendable {
    struct Unit: Sendable {
        var key: [UInt8]
        var offset: Int32
        var kind: TermKind
        /// The code point of a Han character's or a symbol's unit (0 for a word).
        var character: UInt32 = 0
        /// A second key the unit may match instead (a Han character's `V` key: the character or
        /// its alternates at this offset).
        var eitherKey: [UInt8]? = nil
    }

    /// The normalized text (UTF-16).
    var normalized: [UInt16]
    var units: [Unit]
    /// Some character is not covered by a unit: confirm matches on the text.
    var needsVerification: Bool { !uncovered.isEmpty }
    /// Offsets of the characters no unit covers (punctuation, spaces): only these are confirmed
    /// on the text, since the units were matched by their postings (alternates included).
    var uncovered: [Int]
    /// The ICU words of the text (`W` and `L` keys), for word-level BM25.
    var words: [[UInt8]]
    /// Whether the text has Latin/digit words at its edges (highlights then respect word bounds).
    var hasWordUnits: Bool

    var isEmpty: Bool { units.isEmpty }

    init(_ text: String, analyzer: Analyzer) throws(AnalysisError) {
        let trimmed = String(text.unicodeScalars.drop { $0.properties.isWhitespace }.reversed().drop { $0.properties.isWhitespace }.reversed()
            .reduce(into: String.UnicodeScalarView()) { $0.append($1) })
        let analysis = try analyzer.analyze(trimmed)
        normalized = analysis.normalized
        var units: [Unit] = []
        var covered = [Bool](repeating: false, count: normalized.count)
        var words: [[UInt8]] = []
        var hasWordUnits = false
        for segment in analysis.segments {
            let text = String(decoding: normalized[Int(segment.start)..<Int(segment.end)], as: UTF16.self)
            if segment.kind == .ideographic {
                words.append(termKey(.hanWord, text))
            } else {
                words.append(termKey(.word, text))
                units.append(Unit(key: termKey(.word, text), offset: segment.start, kind: .word))
                for i in Int(segment.start)..<Int(segment.end) { covered[i] = true }
                hasWordUnits = true
            }
        }
        normalized.withUnsafeBufferPointer { buffer in
            analyzer.forEachHanCharacter(in: buffer) { c, offset in
                units.append(Unit(key: termKey(.han, String(Unicode.Scalar(c)!)), offset: offset, kind: .han, character: c))
                covered[Int(offset)] = true
                if c > 0xFFFF { covered[Int(offset) + 1] = true }
            }
            analyzer.forEachSymbol(in: buffer, segments: analysis.segments) { c, offset in
                units.append(Unit(key: termKey(.symbol, String(Unicode.Scalar(c)!)), offset: offset, kind: .symbol, character: c))
                covered[Int(offset)] = true
                if c > 0xFFFF { covered[Int(offset) + 1] = true }
            }
        }
        units.sort { ($0.offset, $0.kind.rawValue) < ($1.offset, $1.kind.rawValue) }
        self.units = units
        self.words = words
        self.hasWordUnits = hasWordUnits
        uncovered = covered.indices.filter { !covered[$0] }
    }

    /// The same pattern with each Han unit whose character has a `V` key in `alternates` (one
    /// segment's) matched by its character or by its alternates, whichever a document has at that offset.
    func matchingAlternates(in alternates: SegmentAlternates) -> Pattern {
        guard !alternates.characters.isEmpty else { return self }
        var copy = self
        for k in units.indices where units[k].kind == .han && alternates.characters.contains(units[k].character) {
            copy.units[k].eitherKey = alternateKey(k)
        }
        return copy
    }

    /// The `V` key of Han unit `k`'s character.
    private func alternateKey(_ k: Int) -> [UInt8] {
        var key = units[k].key
        key[0] = TermKind.hanVariant.rawValue
        return key
    }

    /// The same pattern with Han unit `k` matched by the alternates of its character (`V` terms).
    func matchingAlternate(_ k: Int) -> Pattern {
        var copy = self
        copy.units[k].key[0] = TermKind.hanVariant.rawValue
        copy.units[k].kind = .hanVariant
        return copy
    }

    /// The same pattern with Han unit `k` matched by its character or by the character's
    /// alternates, whichever a document has at that offset.
    func matchingEither(_ k: Int) -> Pattern {
        var copy = self
        copy.units[k].eitherKey = alternateKey(k)
        return copy
    }
}
