import Testing
import TongwenAnalysis
@testable import TongwenDupes

/// The duplicate finder compares variant-folded text: a Taiwan republication of a mainland speech
/// (計畫 for 计划, 答覆 for 答复 throughout) compares equal and is one near-duplicate pair.
@Suite struct VariantFoldingTests {
    static let mainland = String(repeating: "政府工作计划已经完成，院长答复委员的询问，心情沉重但仍要打拼。今年的计划重点是民生，", count: 6)

    static func taiwan(_ analyzer: Analyzer) throws -> String {
        let converted = try analyzer.variants().convert(mainland, config: "s2tw")
        return converted.replacingOccurrences(of: "計劃", with: "計畫").replacingOccurrences(of: "沉重", with: "沈重").replacingOccurrences(of: "打拼", with: "打拚")
    }

    @Test func aTaiwanRepublicationComparesEqual() throws {
        let analyzer = try Analyzer()
        let taiwan = try Self.taiwan(analyzer)
        #expect(taiwan.contains("計畫") && taiwan.contains("答覆") && taiwan.contains("沈重"))
        // Per character the two differ (计画 ≠ 计划) …
        #expect(analyzer.table.normalize(taiwan) != analyzer.table.normalize(Self.mainland))
        // … folded they are the same text.
        #expect(try DedupText(taiwan, analyzer: analyzer).units == DedupText(Self.mainland, analyzer: analyzer).units)
    }

    @Test func itIsOneNearDuplicatePair() throws {
        let analyzer = try Analyzer()
        let report = try DupesFinder.run([(id: "cn", text: Self.mainland), (id: "tw", text: try Self.taiwan(analyzer)), (id: "other", text: String(repeating: "完全不同的另一篇讲话内容，谈的是教育与文化。", count: 8))])
        let pair = try #require(report.nearDuplicates.first { Set([$0.a, $0.b]) == ["cn", "tw"] })
        #expect(pair.jaccard > 0.99)
    }
}
