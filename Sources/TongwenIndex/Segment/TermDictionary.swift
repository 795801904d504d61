import TongwenAnalysis

/// Term interning: words by their normalized UTF-16 units (open addressing over an arena), Han
/// characters by code point. A value type so the hot loop runs without exclusivity checks.
struct TermDictionary {
    private var arena: [UInt16] = []
    private(set) var termStart: [Int32] = []
    private(set) var termLength: [Int32] = []
    private(set) var termKind: [TermKind] = []
    private var table: [Int32] = Array(repeating: -1, count: 1 << 16)
    private var hanIds = CharacterIds()
    private var variantIds: [UInt32: Int32] = [:]
    private var symbolIds = CharacterIds()

    var count: Int { termKind.count }
    var memory: Int { arena.count * 2 + termKind.count * 12 + table.count * 4 }

    func text(_ id: Int) -> String {
        let start = Int(termStart[id])
        return String(decoding: arena[start..<(start + Int(termLength[id]))], as: UTF16.self)
    }

    private mutating func newTerm(_ kind: TermKind, _ units: UnsafeBufferPointer<UInt16>, _ start: Int, _ end: Int) -> Int32 {
        let id = Int32(termKind.count)
        termStart.append(Int32(arena.count))
        termLength.append(Int32(end - start))
        arena.append(contentsOf: UnsafeBufferPointer(rebasing: units[start..<end]))
        termKind.append(kind)
        return id
    }

    @inline(__always)
    mutating func han(_ c: UInt32, _ units: UnsafeBufferPointer<UInt16>, _ offset: Int) -> Int32 {
        if let id = hanIds[c] { return id }
        let new = newTerm(.han, units, offset, offset + (c > 0xFFFF ? 2 : 1))
        hanIds[c] = new
        return new
    }

    /// The term of a punctuation mark or symbol.
    @inline(__always)
    mutating func symbol(_ c: UInt32, _ units: UnsafeBufferPointer<UInt16>, _ offset: Int) -> Int32 {
        if let id = symbolIds[c] { return id }
        let new = newTerm(.symbol, units, offset, offset + (c > 0xFFFF ? 2 : 1))
        symbolIds[c] = new
        return new
    }

    /// The term of a cross-strait alternate character.
    mutating func variant(_ c: UInt32) -> Int32 {
        if let id = variantIds[c] { return id }
        var units: [UInt16] = []
        UTF16Scalar.append(c, to: &units)
        let new = units.withUnsafeBufferPointer { newTerm(.hanVariant, $0, 0, $0.count) }
        variantIds[c] = new
        return new
    }

    private static func hash(_ kind: TermKind, _ units: UnsafeBufferPointer<UInt16>, _ start: Int, _ end: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(kind.rawValue)
        for i in start..<end { h = (h ^ UInt64(units[i])) &* 0x100_0000_01b3 }
        return h ^ (h >> 29)
    }

    @inline(__always)
    mutating func word(_ units: UnsafeBufferPointer<UInt16>, _ start: Int, _ end: Int, _ kind: TermKind) -> Int32 {
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(kind, units, start, end)) & mask
        let length = end - start
        while true {
            let id = table[slot]
            if id < 0 { break }
            let i = Int(id)
            if termKind[i] == kind && Int(termLength[i]) == length {
                let s = Int(termStart[i])
                var same = true
                for k in 0..<length where arena[s + k] != units[start + k] { same = false; break }
                if same { return id }
            }
            slot = (slot + 1) & mask
        }
        let id = newTerm(kind, units, start, end)
        table[slot] = id
        if count * 2 > table.count { rehash() }
        return id
    }

    private mutating func rehash() {
        var bigger = [Int32](repeating: -1, count: table.count * 2)
        let mask = bigger.count - 1
        arena.withUnsafeBufferPointer { arena in
            for id32 in table where id32 >= 0 {
                let id = Int(id32)
                let s = Int(termStart[id])
                var slot = Int(truncatingIfNeeded: Self.hash(termKind[id], arena, s, s + Int(termLength[id]))) & mask
                while bigger[slot] >= 0 { slot = (slot + 1) & mask }
                bigger[slot] = id32
            }
        }
        table = bigger
    }

    /// The term `units` of `kind` (as ``collect(_:_:_:terms:positions:)`` would intern it): how a
    /// term another thread's dictionary found gets this dictionary's id.
    mutating func intern(_ kind: TermKind, _ units: UnsafeBufferPointer<UInt16>) -> Int32 {
        switch kind {
        case .han, .symbol, .hanVariant:
            let c = UTF16Scalar.scalar(at: 0, in: units).0
            if kind == .han { return han(c, units, 0) }
            return kind == .symbol ? symbol(c, units, 0) : variant(c)
        default:
            return word(units, 0, units.count, kind)
        }
    }

    /// Appends the kinds and UTF-16 units of terms `ids` to `terms` (``PreparedDocument/NewTerms``).
    func export(_ ids: Range<Int>, to terms: inout PreparedDocument.NewTerms) {
        for id in ids {
            let start = Int(termStart[id])
            terms.units.append(contentsOf: arena[start..<(start + Int(termLength[id]))])
            terms.ends.append(Int32(terms.units.count))
            terms.kinds.append(termKind[id])
        }
    }

    /// Interns every unit of one document: its words (with their normalized offsets), its Han
    /// characters and each pair of adjacent ones, punctuation and symbols, each Han character and
    /// symbol pair, and its cross-strait alternates with the pairs they make (`C`, `R`). Appends
    /// (term, position) pairs to `terms`/`positions`.
    mutating func collect(_ analysis: Analysis, _ alternates: [Variants.Alternate], _ analyzer: Analyzer, terms: inout [Int32], positions: inout [Int32]) {
        terms.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
        let byPosition = AlternatesByPosition(alternates)
        analysis.normalized.withUnsafeBufferPointer { normalized in
            for segment in analysis.segments {
                let kind: TermKind = segment.kind == .ideographic ? .hanWord : .word
                terms.append(word(normalized, Int(segment.start), Int(segment.end), kind))
                positions.append(segment.start)
            }
            var previous: Int32 = -1, previousEnd: Int32 = -1, previousCharacter: UInt32 = 0
            analyzer.forEachHanCharacter(in: normalized) { c, offset in
                terms.append(han(c, normalized, Int(offset)))
                positions.append(offset)
                let end = offset + (c > 0xFFFF ? 2 : 1)
                if previousEnd == offset {
                    terms.append(word(normalized, Int(previous), Int(end), .hanBigram))
                    positions.append(previous)
                    if !byPosition.isEmpty {
                        alternatePairs(previousCharacter, at: previous, c, at: offset, byPosition, terms: &terms, positions: &positions)
                    }
                }
                previous = offset
                previousEnd = end
                previousCharacter = c
            }
            analyzer.forEachSymbol(in: normalized, segments: analysis.segments) { c, offset in
                terms.append(symbol(c, normalized, Int(offset)))
                positions.append(offset)
                if let start = analyzer.hanStart(before: Int(offset), in: normalized) {
                    let end = Int(offset) + (c > 0xFFFF ? 2 : 1)
                    terms.append(word(normalized, start, end, .hanSymbol))
                    positions.append(Int32(start))
                    for a in byPosition.alternates(at: Int32(start), width: Int(offset) - start) {
                        var units: [UInt16] = []
                        UTF16Scalar.append(a, to: &units)
                        units.append(contentsOf: UnsafeBufferPointer(rebasing: normalized[Int(offset)..<end]))
                        terms.append(units.withUnsafeBufferPointer { word($0, 0, $0.count, .hanVariantSymbol) })
                        positions.append(Int32(start))
                    }
                }
            }
        }
        for alternate in alternates {
            terms.append(variant(alternate.character))
            positions.append(alternate.position)
        }
    }

    /// The `C` pairs of two adjacent Han characters: every pairing of each one or its alternates
    /// but the two characters themselves (that is the `B` pair).
    private mutating func alternatePairs(_ first: UInt32, at p: Int32, _ second: UInt32, at q: Int32, _ byPosition: AlternatesByPosition,
                                         terms: inout [Int32], positions: inout [Int32]) {
        let firsts = byPosition.alternates(at: p, width: first > 0xFFFF ? 2 : 1)
        let seconds = byPosition.alternates(at: q, width: second > 0xFFFF ? 2 : 1)
        guard !firsts.isEmpty || !seconds.isEmpty else { return }
        var units: [UInt16] = []
        for x in [first] + firsts {
            for y in [second] + seconds where x != first || y != second {
                units.removeAll(keepingCapacity: true)
                UTF16Scalar.append(x, to: &units)
                UTF16Scalar.append(y, to: &units)
                terms.append(units.withUnsafeBufferPointer { word($0, 0, $0.count, .hanVariantBigram) })
                positions.append(p)
            }
        }
    }
}

/// A document's alternates by position, for making the pairs they stand in.
struct AlternatesByPosition {
    private var characters: [Int32: [UInt32]] = [:]

    init(_ alternates: [Variants.Alternate]) {
        for a in alternates { characters[a.position, default: []].append(a.character) }
    }

    var isEmpty: Bool { characters.isEmpty }

    /// The alternates at `position` as wide (in UTF-16 units) as the character they stand for:
    /// another width would shift every offset after it.
    func alternates(at position: Int32, width: Int) -> [UInt32] {
        guard let found = characters[position] else { return [] }
        return found.filter { ($0 > 0xFFFF ? 2 : 1) == width }
    }
}

/// Term ids of single characters: a flat table for the BMP, a dictionary beyond.
struct CharacterIds {
    private var bmp: [Int32] = Array(repeating: -1, count: 0x10000)
    private var other: [UInt32: Int32] = [:]

    subscript(_ c: UInt32) -> Int32? {
        @inline(__always) get {
            if c < 0x10000 { let id = bmp[Int(c)]; return id >= 0 ? id : nil }
            return other[c]
        }
        set {
            if c < 0x10000 { bmp[Int(c)] = newValue ?? -1 } else { other[c] = newValue }
        }
    }
}
