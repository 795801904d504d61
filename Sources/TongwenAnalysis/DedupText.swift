/// A document as the duplicate finder compares it: the analyzer's normalized text (pinyin
/// annotations removed, NFKC case-folded, Simplified) with digits folded to `0` and punctuation,
/// symbols, spaces and controls removed (Unicode P, S, Z, C), so `建設(shè)，二〇二一` and
/// `建设 2021` compare equal. Line breaks stay as barriers no match crosses. Every unit keeps the
/// UTF-8 byte range of the original character it came from.
public struct DedupText: Sendable {
    /// A line break: never equal to anything, matches stop there.
    public static let barrier: UInt32 = 0
    public let units: [UInt32]
    /// UTF-8 byte range in the original text of each unit (with the pinyin annotation after it).
    public let byteStart: [Int32]
    public let byteEnd: [Int32]
    /// Offset in the analyzer's normalized text (UTF-16, the index's positions) of each unit.
    public let normalizedStart: [Int32]
    /// The analyzer's normalized text itself.
    public let normalized: [UInt16]

    /// Units that are not barriers.
    public var characterCount: Int { units.count(where: { $0 != Self.barrier }) }

    /// Builds the comparison text of `text` (cleans and normalizes it, and folds its cross-strait
    /// variants: see ``init(_:alternates:)``).
    public init(_ text: String, analyzer: Analyzer) throws(AnalysisError) {
        let (normalized, sourceByte, removed) = analyzer.clean(normalizing: text)
        let analysis = Analysis(original: text, normalized: normalized, sourceByte: sourceByte, removed: removed, segments: [])
        self.init(analysis, alternates: try analyzer.variants().alternates(of: analysis))
    }

    /// Builds the comparison text from an analysis already made (the indexer's) and its
    /// ``Variants/alternates(of:)``: where the document's word-aware conversion differs, the
    /// converted character is compared, so a Taiwan republication (計畫 for 计划) equals the original.
    public init(_ analysis: Analysis, alternates: [Variants.Alternate]) {
        self.init(original: analysis.original, normalized: analysis.normalized, sourceByte: analysis.sourceByte,
                  removed: analysis.removed, alternates: alternates)
    }

    private init(original text: String, normalized: [UInt16], sourceByte: [Int32], removed: [Range<Int>], alternates: [Variants.Alternate]) {
        // A removed annotation belongs to the character before it: `建(jiàn)` is one unit.
        var annotationAfter: [Int32: Int32] = [:]
        for r in removed { annotationAfter[Int32(r.lowerBound)] = Int32(r.upperBound) }
        let utf8 = Array(text.utf8)
        var units: [UInt32] = [], starts: [Int32] = [], ends: [Int32] = [], offsets: [Int32] = []
        units.reserveCapacity(normalized.count)
        starts.reserveCapacity(normalized.count)
        ends.reserveCapacity(normalized.count)
        offsets.reserveCapacity(normalized.count)
        let classes = Self.classes
        var i = 0
        var nextAlternate = 0
        while i < normalized.count {
            var c = UInt32(normalized[i])
            var width = 1
            if c & 0xFC00 == 0xD800, i + 1 < normalized.count, normalized[i + 1] & 0xFC00 == 0xDC00 {
                c = 0x10000 + ((c - 0xD800) << 10 | (UInt32(normalized[i + 1]) - 0xDC00))
                width = 2
            }
            while nextAlternate < alternates.count && alternates[nextAlternate].position < i { nextAlternate += 1 }
            if nextAlternate < alternates.count && alternates[nextAlternate].position == i { c = alternates[nextAlternate].character }
            let kind = c < 0x10000 ? classes[Int(c)] : Self.classify(c)
            let start = sourceByte[i]
            let lead = utf8[Int(start)]
            var end = start + Int32(UTF8Scalar.length(lead: lead))
            if let annotationEnd = annotationAfter[end] { end = annotationEnd }
            switch kind {
            case .keep: units.append(c); starts.append(start); ends.append(end); offsets.append(Int32(i))
            case .digit: units.append(0x30); starts.append(start); ends.append(end); offsets.append(Int32(i))
            case .lineBreak:
                if units.last != Self.barrier { units.append(Self.barrier); starts.append(start); ends.append(end); offsets.append(Int32(i)) }
            case .drop: break
            }
            i += width
        }
        self.units = units
        byteStart = starts
        byteEnd = ends
        normalizedStart = offsets
        self.normalized = Array(normalized[...])  // an exact-size copy: the analyzer's buffer has slack
    }

    /// The normalized-text range (UTF-16 offsets) of units `range` (non-empty).
    public func normalizedRange(_ range: Range<Int>) -> Range<Int> {
        let last = range.upperBound - 1
        return Int(normalizedStart[range.lowerBound])..<(Int(normalizedStart[last]) + (units[last] > 0xFFFF ? 2 : 1))
    }

    /// The original byte range of units `range` (non-empty).
    public func byteRange(_ range: Range<Int>) -> Range<Int> {
        Int(byteStart[range.lowerBound])..<Int(byteEnd[range.upperBound - 1])
    }

    enum Kind: UInt8 { case keep, drop, digit, lineBreak }

    static func classify(_ c: UInt32) -> Kind {
        guard let scalar = Unicode.Scalar(c) else { return .drop }
        if c == 0x0A || c == 0x0D || c == 0x2028 || c == 0x2029 || c == 0x85 { return .lineBreak }
        if scalar.properties.numericType == .decimal { return .digit }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol,
             .spaceSeparator, .lineSeparator, .paragraphSeparator, .control, .format, .surrogate, .privateUse, .unassigned:
            return .drop
        default:
            return .keep
        }
    }

    /// The class of every BMP code point, computed once.
    static let classes: [Kind] = (0..<UInt32(0x10000)).map { classify($0) }
}

/// Winnowing (Schleimer, Wilkerson and Aiken): hash every `k`-gram that crosses no barrier and
/// keep the minimum of every window of `w` consecutive hashes. Any run of `w + k - 1` equal units
/// (17 with the defaults 12 and 6) shared by two texts yields at least one shared fingerprint:
/// below the 20-character passages, so a 40-character copy with an edit in the middle is seeded.
/// About 2 / (w + 1) of the positions are kept. The index stores every document's fingerprints
/// (`.fing` files), so changing `k`, `w` or the hash changes the analyzer version.
public enum Winnowing {
    public static let k = 12
    public static let w = 6

    /// A selected k-gram: its 32-bit hash and the unit offset where it starts.
    public struct Fingerprint: Sendable, Equatable {
        public var hash: UInt32
        public var position: Int32

        public init(hash: UInt32, position: Int32) {
            self.hash = hash
            self.position = position
        }
    }

    /// The fingerprints of `units`, in increasing position order.
    public static func fingerprints(_ units: [UInt32], k: Int = k, w: Int = w) -> [Fingerprint] {
        let n = units.count
        guard n >= k else { return [] }
        // Rolling polynomial hash of each k-gram, mixed down to 32 bits; UInt32.max marks grams
        // that cross a barrier.
        let base: UInt64 = 0x100_0000_01B3
        var power: UInt64 = 1
        for _ in 1..<k { power = power &* base }
        var hashes = [UInt32](repeating: .max, count: n - k + 1)
        var rolling: UInt64 = 0
        var lastBarrier = -1
        for i in 0..<n {
            if units[i] == DedupText.barrier { lastBarrier = i }
            if i >= k { rolling = rolling &- UInt64(units[i - k]) &* power }
            rolling = rolling &* base &+ UInt64(units[i])
            let start = i - k + 1
            if start >= 0, lastBarrier < start {
                var z = rolling ^ (rolling >> 31)
                z = z &* 0xBF58_476D_1CE4_E5B9
                z ^= z >> 29
                let h = UInt32(truncatingIfNeeded: z >> 32)
                hashes[start] = h == .max ? h - 1 : h
            }
        }
        var result: [Fingerprint] = []
        result.reserveCapacity(hashes.count / 3)
        var lastPicked = -1
        let windows = max(1, hashes.count - w + 1)
        for start in 0..<windows {
            let end = min(hashes.count, start + w)
            var best = start
            for j in start..<end where hashes[j] <= hashes[best] { best = j }  // rightmost minimum
            if hashes[best] != .max, best != lastPicked {
                result.append(Fingerprint(hash: hashes[best], position: Int32(best)))
                lastPicked = best
            }
        }
        return result
    }
}
