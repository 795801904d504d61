import TongwenAnalysis
import TongwenIndex

/// Stage 9, per document on both cores: its page chrome and markup (found again in every run, as
/// the templates learned from the whole archive change with it), the ratios of its text that is
/// boilerplate, repeated and chrome, and its ranking mask.
struct DocumentReport {
    var report: DupesReport.Document
    var mask: BoilerplateMasks.Document?

    /// Document `doc`'s report, read again as `document` (its character index given), with the
    /// chrome found in it, and its ranking mask when `wanted`.
    init(_ doc: Int, _ corpus: DupesCorpus, _ document: ReadDocument, index: CharacterIndex, _ passages: PassageReport,
         chrome found: (chrome: [ChromeRules.Segment], markup: [ChromeRules.Segment]), mask wanted: Bool = true) {
        let text = document.text
        let bytes = document.utf8
        func span(_ s: ChromeRules.Segment) -> DupesReport.Span {
            DupesReport.Span(start: index.character(atByte: s.startByte), end: index.character(atByte: s.endByte),
                             startByte: s.startByte, endByte: s.endByte, rule: s.rule,
                             text: String(decoding: bytes[s.startByte..<s.endByte], as: UTF8.self))
        }
        let chromeUnits = found.chrome.map { Self.unitRange(text, $0.startByte..<$0.endByte) }
        let total = max(1, text.characterCount)
        func covered(_ ranges: [Range<Int>]) -> Int { Self.countUnion(ranges, text.units) }
        let masked = passages.boilerplateUnits[doc] + chromeUnits
        let boilerplateRatio = Double(covered(masked)) / Double(total)
        if wanted, !masked.isEmpty {
            let spans = Self.normalizedUnion(masked.filter { !$0.isEmpty }.map { text.normalizedRange($0) })
            mask = BoilerplateMasks.Document(
                contentHash: corpus.source.contentHashes[doc], maskedFraction: min(1, boilerplateRatio), spans: spans,
                bigrams: BoilerplateMasks.Document.bigrams(of: text.normalized, in: spans))
        }
        report = DupesReport.Document(
            doc: corpus.source.ids[doc], characters: text.characterCount, boilerplateRatio: boilerplateRatio,
            repeatRatio: Double(covered(passages.repeatUnits[doc])) / Double(total),
            chromeRatio: Double(covered(chromeUnits)) / Double(total),
            chrome: found.chrome.map(span), markup: found.markup.map(span))
    }

    /// The units of `text` whose original characters fall in `bytes`.
    static func unitRange(_ text: DedupText, _ bytes: Range<Int>) -> Range<Int> {
        func firstUnit(atOrAfter byte: Int) -> Int {
            var lo = 0, hi = text.byteStart.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if Int(text.byteStart[mid]) < byte { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        return firstUnit(atOrAfter: bytes.lowerBound)..<firstUnit(atOrAfter: bytes.upperBound)
    }

    /// The union of `ranges` as sorted, disjoint ranges.
    static func normalizedUnion(_ ranges: [Range<Int>]) -> [Range<Int32>] {
        var result: [Range<Int32>] = []
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, Int(last.upperBound) >= r.lowerBound {
                result[result.count - 1] = last.lowerBound..<Int32(max(Int(last.upperBound), r.upperBound))
            } else {
                result.append(Int32(r.lowerBound)..<Int32(r.upperBound))
            }
        }
        return result
    }

    /// Non-barrier units covered by the union of `ranges`.
    static func countUnion(_ ranges: [Range<Int>], _ units: [UInt32]) -> Int {
        var count = 0
        var end = 0
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            let from = max(r.lowerBound, end)
            if from < r.upperBound {
                for i in from..<r.upperBound where units[i] != DedupText.barrier { count += 1 }
                end = r.upperBound
            }
        }
        return count
    }
}
