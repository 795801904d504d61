import Foundation
import Testing
@testable import TongwenIndex
import TongwenTestSupport

@Suite struct BoilerplateMasksTests {
    /// `masks` against a linear scan over random disjoint spans, and the side file round trip.
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func masksAgreeWithALinearScanAndSurviveTheSideFile(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        var spans: [Range<Int32>] = []
        var at: Int32 = 0
        for _ in 0..<Int.random(in: 0...40, using: &rng) {
            let start = at + Int32.random(in: 0...30, using: &rng)
            let end = start + Int32.random(in: 1...50, using: &rng)
            spans.append(start..<end)
            at = end
        }
        // A text over a small alphabet, so patterns recur inside and outside the spans.
        let text = (0..<(Int(at) + 20)).map { _ in UInt16(0x4E00 + Int.random(in: 0..<6, using: &rng)) }
        let document = BoilerplateMasks.Document(contentHash: rng.next(), maskedFraction: Double.random(in: 0...1, using: &rng), spans: spans,
                                                 bigrams: BoilerplateMasks.Document.bigrams(of: text, in: spans))
        for _ in 0..<2_000 {
            let start = Int32.random(in: 0...(at + 10), using: &rng), length = Int32.random(in: 1...12, using: &rng)
            let expected = spans.contains { $0.lowerBound <= start && start + length <= $0.upperBound }
            #expect(document.masks(start, length: length) == expected, "\(start)+\(length) in \(spans)")
        }

        // The filter never says "cannot be masked" for a pattern with an occurrence inside a span.
        let filter = BoilerplateMasks.Filter([nil, document])
        func mayMask(_ pattern: [UInt16]) -> Bool { filter.mayMask(1, BoilerplateMasks.Filter.pairs(pattern)) }
        #expect(!filter.mayMask(0, BoilerplateMasks.Filter.pairs([0x4E00, 0x4E01])), "a document without masks")
        for _ in 0..<2_000 {
            let length = Int.random(in: 1...5, using: &rng)
            let start = Int.random(in: 0...(text.count - length), using: &rng)
            let pattern = Array(text[start..<(start + length)])
            let inside = (0...(text.count - length)).contains { s in
                Array(text[s..<(s + length)]) == pattern && document.masks(Int32(s), length: Int32(length))
            }
            if inside { #expect(mayMask(pattern), "\(pattern) occurs inside a span") }
        }
        #expect(!mayMask([0x4E00, 0x9FFF]), "a pair the text never has")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tongwen-masks-\(seed)-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let masks = BoilerplateMasks(documents: ["a/講話.txt": document, "b.txt": BoilerplateMasks.Document(contentHash: 7, maskedFraction: 0, spans: [])])
        try masks.save(directory)
        #expect(BoilerplateMasks.load(directory) == masks)

        // A damaged file reads as no masks at all.
        let path = directory + "/" + BoilerplateMasks.fileName
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 1
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(BoilerplateMasks.load(directory).documents.isEmpty)
    }
}
