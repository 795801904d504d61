/// Spans of documents that ranking leaves out: boilerplate passages (in ≥ 3 documents) and page
/// chrome, as the duplicate finder found them. Search still finds text inside them, but does not
/// count it toward BM25 term frequency, and shortens the document length by the masked fraction;
/// a document whose every match is masked ranks in a lower tier.
///
/// Kept beside the index as the side file `boilerplate-masks` (see OnDiskFormat.md, "Side
/// files"), keyed by document id and content hash, so a document changed since the finder ran is
/// simply unmasked:
///
/// ```
/// DocumentCount(vint)
/// Document × DocumentCount:
///   Id(string) ContentHash(u64) MaskedFraction(f64)
///   SpanCount(vint) (StartDelta(vint) Length(vint)) × SpanCount
///       normalized-text offsets (UTF-16, the index's positions); spans sorted and disjoint,
///       each start minus the previous span's end (the first minus 0)
///   BigramCount(vint) BigramDelta(vint) × BigramCount
///       every pair of adjacent UTF-16 units inside a span, as (first << 16 | second), sorted and
///       distinct, each minus the previous (the first minus 0)
/// ```
public struct BoilerplateMasks: Sendable, Equatable {
    public struct Document: Sendable, Equatable {
        public var contentHash: UInt64
        /// Masked share of the document's text, 0…1.
        public var maskedFraction: Double
        /// Sorted, disjoint ranges of normalized-text offsets.
        public var spans: [Range<Int32>]
        /// The adjacent unit pairs inside the spans, sorted: a pattern with a pair outside this
        /// set cannot lie inside a span, so search needs no positions to know it is not masked
        /// (``Filter``).
        public var bigrams: [UInt32]

        public init(contentHash: UInt64, maskedFraction: Double, spans: [Range<Int32>], bigrams: [UInt32] = []) {
            self.contentHash = contentHash
            self.maskedFraction = maskedFraction
            self.spans = spans
            self.bigrams = bigrams
        }

        /// The sorted, distinct adjacent pairs of `normalized` inside `spans`.
        public static func bigrams(of normalized: [UInt16], in spans: [Range<Int32>]) -> [UInt32] {
            var pairs: [UInt32] = []
            for span in spans where span.count >= 2 {
                for i in Int(span.lowerBound)..<min(normalized.count - 1, Int(span.upperBound) - 1) {
                    pairs.append(UInt32(normalized[i]) << 16 | UInt32(normalized[i + 1]))
                }
            }
            pairs.sort()
            var distinct: [UInt32] = []
            for p in pairs where distinct.last != p { distinct.append(p) }
            return distinct
        }


        /// Whether the occurrence of `length` units at `start` lies inside a masked span.
        public func masks(_ start: Int32, length: Int32) -> Bool {
            var lo = 0, hi = spans.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if spans[mid].upperBound <= start { lo = mid + 1 } else { hi = mid }
            }
            return lo < spans.count && spans[lo].lowerBound <= start && start + length <= spans[lo].upperBound
        }
    }

    public static let fileName = "boilerplate-masks"

    public var documents: [String: Document]

    public init(documents: [String: Document] = [:]) {
        self.documents = documents
    }

    /// The masks saved beside the index in `directory`; empty when there are none or they are damaged.
    public static func load(_ directory: String) -> BoilerplateMasks {
        guard let bytes = SideFile.read(directory: directory, name: fileName) else { return BoilerplateMasks() }
        return bytes.withUnsafeBytes { raw in (try? decode(raw, file: directory + "/" + fileName)) ?? BoilerplateMasks() }
    }

    public func save(_ directory: String) throws(IndexError) {
        try SideFile.write(encoded(), directory: directory, name: Self.fileName)
    }

    func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.vint(documents.count)
        for (id, d) in documents.sorted(by: { $0.key < $1.key }) {
            w.string(id)
            w.u64(d.contentHash)
            w.f64(d.maskedFraction)
            w.vint(d.spans.count)
            var end: Int32 = 0
            for span in d.spans {
                w.vint(span.lowerBound - end)
                w.vint(span.count)
                end = span.upperBound
            }
            w.vint(d.bigrams.count)
            var previous: UInt32 = 0
            for pair in d.bigrams {
                w.vint(UInt64(pair - previous))
                previous = pair
            }
        }
        return w.bytes
    }

    static func decode(_ raw: UnsafeRawBufferPointer, file: String) throws(IndexError) -> BoilerplateMasks {
        var r = ByteReader(raw, file: file)
        var masks = BoilerplateMasks()
        for _ in 0..<(try r.count(max: r.remaining, "document count")) {
            let id = try r.string()
            let hash = try r.u64()
            let fraction = try r.f64()
            guard fraction >= 0, fraction <= 1 else { throw r.corrupt("masked fraction \(fraction) outside 0…1") }
            var spans: [Range<Int32>] = []
            var end = 0
            for _ in 0..<(try r.count(max: r.remaining / 2, "span count")) {
                let start = end + (try r.count(max: Int(Int32.max), "span start"))
                end = start + (try r.count(max: Int(Int32.max), "span length"))
                guard end <= Int(Int32.max) else { throw r.corrupt("span beyond any document") }
                spans.append(Int32(start)..<Int32(end))
            }
            var bigrams: [UInt32] = []
            var pair: UInt64 = 0
            for i in 0..<(try r.count(max: r.remaining, "bigram count")) {
                let delta = try r.vint()
                guard delta > 0 || i == 0 else { throw r.corrupt("bigrams not increasing") }
                pair += delta
                guard pair <= UInt64(UInt32.max) else { throw r.corrupt("bigram out of range") }
                bigrams.append(UInt32(pair))
            }
            masks.documents[id] = Document(contentHash: hash, maskedFraction: fraction, spans: spans, bigrams: bigrams)
        }
        guard r.isAtEnd else { throw r.corrupt("bytes after the masks") }
        return masks
    }
}

extension BoilerplateMasks {
    /// For many documents at once, a Bloom filter (8,192 bits, two probes) of each one's masked
    /// bigrams, in one flat array: one or two memory reads tell that a pattern cannot lie inside
    /// a document's masks, so search decodes positions only where a match may be masked.
    public struct Filter: Sendable {
        private static let words = 128
        private var bits: [UInt64] = []
        /// Where each document's filter starts in `bits`; -1 for a document without masks.
        private var start: [Int32]

        /// The filter of `documents[d]` for every document number d (nil: no masks).
        public init(_ documents: [Document?]) {
            start = [Int32](repeating: -1, count: documents.count)
            for (doc, mask) in documents.enumerated() {
                guard let mask, !mask.spans.isEmpty else { continue }
                let base = bits.count
                start[doc] = Int32(base)
                bits.append(contentsOf: repeatElement(0, count: Self.words))
                for pair in mask.bigrams {
                    let (a, b) = Self.probes(pair)
                    bits[base + a >> 6] |= 1 << UInt64(a & 63)
                    bits[base + b >> 6] |= 1 << UInt64(b & 63)
                }
            }
        }

        /// The adjacent unit pairs of a pattern's normalized text (UTF-16).
        public static func pairs(_ pattern: [UInt16]) -> [UInt32] {
            pattern.count < 2 ? [] : (0..<(pattern.count - 1)).map { UInt32(pattern[$0]) << 16 | UInt32(pattern[$0 + 1]) }
        }

        /// False when no occurrence of a pattern with these `pairs` can lie inside a mask of
        /// document `doc`; true (check the positions) when one may, or when the pattern has no pair.
        @inline(__always)
        public func mayMask(_ doc: Int, _ pairs: [UInt32]) -> Bool {
            let base = Int(start[doc])
            guard base >= 0 else { return false }
            for pair in pairs {
                let (a, b) = Self.probes(pair)
                if bits[base + a >> 6] & (1 << UInt64(a & 63)) == 0 || bits[base + b >> 6] & (1 << UInt64(b & 63)) == 0 { return false }
            }
            return true
        }

        @inline(__always)
        private static func probes(_ pair: UInt32) -> (Int, Int) {
            let h = UInt64(pair) &* 0x9E37_79B9_7F4A_7C15
            return (Int(h >> 51), Int((h >> 38) & 8191))
        }
    }
}
