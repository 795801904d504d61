import Testing
import TongwenAnalysis

/// Golden cases in both scripts. Exact dictionary splits can change between ICU versions (these
/// were written against ICU 72); the cross-script equalities hold whatever the version.
@Suite struct GoldenAnalysisTests {
    let analyzer = try! Analyzer()

    func texts(_ s: String) throws -> [String] { try analyzer.analyze(s).tokens.map(\.text) }

    @Test func bothScriptsGiveTheSameTokens() throws {
        let traditional = try texts("我購買了道具和服裝。")
        let simplified = try texts("我购买了道具和服装。")
        #expect(traditional == simplified)
        #expect(simplified == ["我", "购买", "了", "道具", "和", "服装"])
    }

    @Test func pinyinAnnotatedTextAnalyzesLikeCleanSimplified() throws {
        let annotated = try analyzer.analyze("在創(chuàng)建全國文明城市")
        let clean = try analyzer.analyze("在创建全国文明城市")
        #expect(annotated.normalizedText == clean.normalizedText)
        #expect(annotated.tokens.map(\.text) == clean.tokens.map(\.text))
        #expect(annotated.tokens.map(\.kind) == clean.tokens.map(\.kind))
        #expect(annotated.cleanedText == "在創建全國文明城市")
    }

    @Test func fullWidthFoldsToHalfWidthLowercase() throws {
        let wide = try analyzer.analyze("ＡＢＣ１２３")
        let narrow = try analyzer.analyze("abc123")
        #expect(wide.normalizedText == "abc123")
        #expect(wide.tokens.map(\.text) == narrow.tokens.map(\.text))
        #expect(wide.tokens.map(\.kind) == narrow.tokens.map(\.kind))
        #expect(try analyzer.analyze("Ｓｗｉｆｔ").normalizedText == "swift")
    }

    @Test(arguments: [
        ("建設(shè)", "建設"),
        ("創（chuàng）建", "創建"),
        ("各村(社區(qū))書(shū)記", "各村(社區)書記"),
        ("国内生产总值(GDP)增长", "国内生产总值(GDP)增长"),
        ("讲话(2)", "讲话(2)"),
        ("好的(de)", "好的(de)"),
        ("(shè)開頭", "(shè)開頭"),
        ("abc(shè)", "abc(shè)"),
        ("建設(shè", "建設(shè"),
        ("建設(shèèèèèèèè)", "建設(shèèèèèèèè)"),
    ])
    func pinyinAnnotationsAreRemovedOnlyAfterHan(input: String, cleaned: String) throws {
        #expect(try analyzer.analyze(input).cleanedText == cleaned)
    }

    @Test func tokensCarryOffsetsIntoTheOriginal() throws {
        let original = "在創(chuàng)建全國"
        let tokens = try analyzer.analyze(original).tokens
        let utf8 = Array(original.utf8)
        let created = try #require(tokens.first { $0.text == "创建" })
        #expect(String(decoding: utf8[created.startByte..<created.endByte], as: UTF8.self) == "創(chuàng)建")
        #expect(tokens.map(\.position) == Array(0..<tokens.count))
    }

    @Test func emptyAndPunctuationOnlyTextsHaveNoTokens() throws {
        #expect(try analyzer.analyze("").tokens.isEmpty)
        #expect(try analyzer.analyze("。，！？  \n").tokens.isEmpty)
    }
}
