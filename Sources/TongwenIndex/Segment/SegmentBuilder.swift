import CCompressionShim
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

/// Per-term postings under construction: each term's doc stream and positions stream as LEB128
/// deltas in its own byte buffers, plus the state of the document being added.
struct PostingLists {
    struct TermState {
        var previousDoc: Int32 = -1
        var currentDoc: Int32 = -1
        var tf: Int32 = 0
        var lastPosition: Int32 = 0
        var positionsAtDocStart: Int32 = 0
        var docFreq: Int32 = 0
    }

    private(set) var docs: [[UInt8]] = []
    private(set) var positions: [[UInt8]] = []
    private(set) var states: [TermState] = []
    private var docTerms: [Int32] = []
    private(set) var bytes = 0

    /// Adds one document's (term, position) occurrences, in position order within each kind.
    mutating func add(doc: Int32, terms: [Int32], positions occurrence: [Int32], kinds: [TermKind]) {
        while states.count < kinds.count {
            states.append(TermState())
            docs.append([])
            positions.append([])
        }
        docTerms.removeAll(keepingCapacity: true)
        var added = 0
        states.withUnsafeMutableBufferPointer { states in
            positions.withUnsafeMutableBufferPointer { positions in
                for k in 0..<terms.count {
                    let id = Int(terms[k])
                    if states[id].currentDoc != doc {
                        states[id].currentDoc = doc
                        states[id].tf = 0
                        states[id].lastPosition = 0
                        states[id].positionsAtDocStart = Int32(positions[id].count)
                        docTerms.append(Int32(id))
                    }
                    states[id].tf += 1
                    if kinds[id].hasPositions {
                        let before = positions[id].count
                        appendVInt(&positions[id], UInt32(occurrence[k] - states[id].lastPosition))
                        added += positions[id].count - before
                        states[id].lastPosition = occurrence[k]
                    }
                }
            }
            docs.withUnsafeMutableBufferPointer { docs in
                for id32 in docTerms {
                    let id = Int(id32)
                    let before = docs[id].count
                    appendVInt(&docs[id], UInt32(doc - states[id].previousDoc))
                    appendVInt(&docs[id], UInt32(states[id].tf))
                    if kinds[id].hasPositions {
                        appendVInt(&docs[id], UInt32(Int32(positions[id].count) - states[id].positionsAtDocStart))
                    }
                    added += docs[id].count - before
                    states[id].previousDoc = doc
                    states[id].docFreq += 1
                }
            }
        }
        bytes += added
    }
}

/// Builds one segment in memory: interns terms to integer ids, appends each term's postings as
/// LEB128 deltas to its own byte buffers (no per-posting objects), and keeps the documents'
/// records and compressed text. ``SegmentFilesWriter`` turns it into files.
final class SegmentBuilder {
    private var dictionary = TermDictionary()
    private var lists = PostingLists()
    private var scratchTerms: [Int32] = []
    private var scratchPositions: [Int32] = []

    // Documents.
    private(set) var records: [StoredDocument] = []
    private(set) var text: [UInt8] = []
    private(set) var textSpans: [(offset: Int, compressed: Int, length: Int)] = []
    private(set) var fingerprints: [UInt8] = []
    private(set) var fingerprintSpans: [Range<Int>] = []

    var documentCount: Int { records.count }
    var termCount: Int { dictionary.count }

    /// A rough count of the memory held, for flushing at a RAM budget: postings bytes plus about
    /// 100 bytes of bookkeeping per term, the compressed text and the records.
    var estimatedBytes: Int {
        lists.bytes + dictionary.memory + termCount * 88 + text.count + fingerprints.count + records.count * 256
    }

    /// Adds a document with its analysis, alternates and fingerprints; returns its segment-local id.
    @discardableResult
    func add(_ document: IndexDocument, _ analysis: Analysis, alternates: [Variants.Alternate], fingerprints list: [Winnowing.Fingerprint], analyzer: Analyzer) -> Int {
        let doc = Int32(records.count)
        dictionary.collect(analysis, alternates, analyzer, terms: &scratchTerms, positions: &scratchPositions)
        lists.add(doc: doc, terms: scratchTerms, positions: scratchPositions, kinds: dictionary.termKind)

        let utf8 = Array(document.text.utf8)
        let bound = CCompressionShim_deflateBound(utf8.count)
        let offset = text.count
        text.append(contentsOf: repeatElement(0, count: bound))
        let compressed = text.withUnsafeMutableBufferPointer { out in
            utf8.withUnsafeBufferPointer { CCompressionShim_deflate($0.baseAddress, $0.count, out.baseAddress! + offset, bound, 1) }
        }
        precondition(compressed >= 0, "deflate failed")
        text.removeLast(bound - Int(compressed))
        textSpans.append((offset, Int(compressed), utf8.count))
        let start = fingerprints.count
        fingerprints.append(contentsOf: FingerprintFile.encode(list))
        fingerprintSpans.append(start..<fingerprints.count)
        records.append(StoredDocument(
            id: document.id, title: document.title, source: document.source,
            metadata: document.metadata.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) },
            contentHash: document.contentHash, wordCount: analysis.segments.count, textBytes: utf8.count))
        return Int(doc)
    }

    /// Term ids in key order (kind byte, then UTF-8 of the text), with their keys.
    func sortedTerms() -> [(id: Int, key: [UInt8])] {
        var keyed: [(id: Int, key: [UInt8])] = []
        keyed.reserveCapacity(termCount)
        for id in 0..<termCount where lists.states[id].docFreq > 0 {
            keyed.append((id, [dictionary.termKind[id].rawValue] + Array(dictionary.text(id).utf8)))
        }
        keyed.sort { compareKeys($0.key, $1.key) < 0 }
        return keyed
    }
}

extension SegmentBuilder {
    /// Writes the builder's segment to `files` (fsynced, not yet part of any commit).
    func write(to files: SegmentFiles) throws(IndexError) -> Int {
        let writer = try SegmentFilesWriter(files)
        for (id, key) in sortedTerms() {
            try writer.addTerm(key: key, docFreq: Int(lists.states[id].docFreq), docs: lists.docs[id], positions: lists.positions[id])
        }
        for (i, record) in records.enumerated() {
            let span = textSpans[i]
            let result = text.withUnsafeBytes { all in
                Result { () throws(IndexError) in
                    try writer.addDocument(record, compressedText: UnsafeRawBufferPointer(rebasing: all[span.offset..<(span.offset + span.compressed)]),
                                           fingerprints: fingerprints[fingerprintSpans[i]])
                }
            }
            try result.get()
        }
        return try writer.finish()
    }
}

