import TongwenAnalysis
import TongwenIndex

/// Per-snapshot facts about every document that filters, title boosts and the tie-break need,
/// read once from the records: ids and their sort rank, normalized titles and field values, date
/// spans, BM25 lengths, and the boilerplate masks the duplicate finder left (``BoilerplateMasks``).
final class DocumentTable: Sendable {
    let ids: [String]
    /// Rank of each live document's id in ascending order (the tie-break); -1 for deleted.
    let idRank: [Int32]
    let live: [Bool]
    /// BM25 length: the word count, shortened by the masked (boilerplate, chrome) fraction.
    let lengths: [Double]
    /// Masks of documents unchanged since the duplicate finder ran; nil elsewhere.
    let masks: [BoilerplateMasks.Document?]
    let hasMasks: Bool
    /// Per masked document, a 8,192-bit Bloom filter (two probes) of its masks' bigrams, at
    /// `bloomStart[doc]` in `bloom` (-1: no masks): one or two memory reads tell that a pattern
    /// cannot lie inside a mask, where a binary search per document cost more than the match.
    private let bloom: [UInt64]
    private let bloomStart: [Int32]
    private static let bloomWords = 128
    let titles: [[UInt16]]
    /// Normalized values of speaker, venue, source and path (path from metadata, else the id).
    let fields: [String: [[UInt16]]]
    let dates: [(String, String)?]
    let averageLength: Double

    init(_ snapshot: IndexSnapshot, table: NormalizationTable, masks saved: BoilerplateMasks = BoilerplateMasks()) throws(IndexError) {
        let slots = snapshot.documentSlots
        var ids = [String](repeating: "", count: slots)
        var live = [Bool](repeating: false, count: slots)
        var lengths = [Double](repeating: 0, count: slots)
        var masks = [BoilerplateMasks.Document?](repeating: nil, count: slots)
        var titles = [[UInt16]](repeating: [], count: slots)
        var fields: [String: [[UInt16]]] = [:]
        for name in ["speaker", "venue", "source", "path"] { fields[name] = [[UInt16]](repeating: [], count: slots) }
        var dates = [(String, String)?](repeating: nil, count: slots)
        func normalized(_ s: String) -> [UInt16] { Array(table.normalize(s).utf16) }
        for segment in snapshot.segments {
            for doc in 0..<segment.reader.documentCount where !segment.isDeleted(doc) {
                let global = segment.docBase + doc
                let record = try segment.reader.document(doc)
                ids[global] = record.id
                live[global] = true
                lengths[global] = Double(record.wordCount)
                if let mask = saved.documents[record.id], mask.contentHash == record.contentHash {
                    masks[global] = mask
                    lengths[global] *= 1 - mask.maskedFraction
                }
                titles[global] = normalized(record.title)
                for name in ["speaker", "venue", "source"] {
                    if let value = record.metadata(name) { fields[name]![global] = normalized(value) }
                }
                fields["path"]![global] = normalized(record.metadata("path") ?? record.id)
                if let date = record.metadata("date") { dates[global] = DateRange.span(of: date) }
            }
        }
        var rank = [Int32](repeating: -1, count: slots)
        for (r, global) in (0..<slots).filter({ live[$0] }).sorted(by: { ids[$0] < ids[$1] }).enumerated() { rank[global] = Int32(r) }
        self.ids = ids
        self.idRank = rank
        self.live = live
        self.lengths = lengths
        self.masks = masks
        hasMasks = masks.contains { $0 != nil }
        var bloom: [UInt64] = []
        var bloomStart = [Int32](repeating: -1, count: slots)
        for (doc, mask) in masks.enumerated() {
            guard let mask, !mask.spans.isEmpty else { continue }
            bloomStart[doc] = Int32(bloom.count)
            let base = bloom.count
            bloom.append(contentsOf: repeatElement(0, count: Self.bloomWords))
            for pair in mask.bigrams {
                let (a, b) = Self.probes(pair)
                bloom[base + a >> 6] |= 1 << UInt64(a & 63)
                bloom[base + b >> 6] |= 1 << UInt64(b & 63)
            }
        }
        self.bloom = bloom
        self.bloomStart = bloomStart
        self.titles = titles
        self.fields = fields
        self.dates = dates
        let count = live.filter { $0 }.count
        averageLength = count == 0 ? 1 : max(1, lengths.reduce(0, +) / Double(count))
    }
}

extension DocumentTable {
    /// The two filter bits of a bigram.
    @inline(__always)
    static func probes(_ pair: UInt32) -> (Int, Int) {
        let h = UInt64(pair) &* 0x9E37_79B9_7F4A_7C15
        return (Int(h >> 51), Int((h >> 38) & 8191))
    }

    /// The adjacent pairs of a pattern's normalized text, for ``mayMask(_:_:)``.
    static func bigrams(_ pattern: [UInt16]) -> [UInt32] {
        pattern.count < 2 ? [] : (0..<(pattern.count - 1)).map { UInt32(pattern[$0]) << 16 | UInt32(pattern[$0 + 1]) }
    }

    /// False when no occurrence of a pattern with `bigrams` can lie inside a mask of `doc`;
    /// true (check the positions) when it may, or when the pattern has no bigram.
    @inline(__always)
    func mayMask(_ doc: Int, _ bigrams: [UInt32]) -> Bool {
        let start = Int(bloomStart[doc])
        guard start >= 0 else { return false }
        for pair in bigrams {
            let (a, b) = Self.probes(pair)
            if bloom[start + a >> 6] & (1 << UInt64(a & 63)) == 0 || bloom[start + b >> 6] & (1 << UInt64(b & 63)) == 0 { return false }
        }
        return true
    }
}

/// Whether `needle` occurs in `haystack` (UTF-16 units).
func contains(_ haystack: [UInt16], _ needle: [UInt16]) -> Bool {
    firstOccurrence(haystack, needle, from: 0) != nil
}

/// The first offset ≥ `from` where `needle` occurs in `haystack`.
func firstOccurrence(_ haystack: [UInt16], _ needle: [UInt16], from: Int) -> Int? {
    guard !needle.isEmpty else { return from }
    guard haystack.count >= needle.count else { return nil }
    let first = needle[0]
    var i = from
    let last = haystack.count - needle.count
    while i <= last {
        if haystack[i] == first {
            var k = 1
            while k < needle.count && haystack[i + k] == needle[k] { k += 1 }
            if k == needle.count { return i }
        }
        i += 1
    }
    return nil
}
