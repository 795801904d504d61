import Foundation
import Testing
import TongwenAnalysis
import TongwenIndex
@testable import TongwenSearch
import TongwenTestSupport

/// Cross-strait variants (計畫/计划, 答覆/答复 …): each pair of the table found from either
/// side, the opt-outs giving exactly the per-character meaning back, and what users are shown.
@Suite struct VariantSearchTests {
    /// (mainland form, Taiwan form).
    static let pairs: [(String, String)] = [
        ("计划", "計畫"), ("咨询", "諮詢"), ("答复", "答覆"), ("回复", "回覆"), ("反复", "反覆"),
        ("沉重", "沈重"), ("沉默", "沈默"), ("打拼", "打拚"), ("拼命", "拚命"), ("巨额", "鉅額"),
        ("巨细靡遗", "鉅細靡遺"), ("资金链", "資金鍊"), ("项链", "項鍊"), ("复苏", "復甦"), ("径行", "逕行"),
        ("抵触", "牴觸"), ("牦牛", "犛牛"), ("颞颚", "顳顎"),
    ]

    static func documents() -> [(id: String, text: String, metadata: [String: String])] {
        var docs: [(id: String, text: String, metadata: [String: String])] = []
        for (i, (mainland, taiwan)) in pairs.enumerated() {
            docs.append(("cn\(i)", "国务院办公厅通知\n会议认为，\(mainland)的问题必须认真研究。", [:]))
            docs.append(("tw\(i)", "立法院公報\n委員認為，\(taiwan)的問題必須認真研究。", [:]))
        }
        return docs
    }

    static let index = Result { try TestIndex(documents()) }

    @Test(arguments: pairs.indices)
    func eitherFormFindsBothDocuments(pair: Int) throws {
        let index = try Self.index.get()
        let (mainland, taiwan) = Self.pairs[pair]
        let both: Set = ["cn\(pair)", "tw\(pair)"]
        #expect(Set(try index.ids(mainland)) == both, "\(mainland)")
        #expect(Set(try index.ids(taiwan)) == both, "\(taiwan)")
        #expect(Set(try index.ids("\"\(mainland)的\"")) == both, "\"\(mainland)的\"")
        #expect(Set(try index.ids("\"\(taiwan)的問題\"")) == both, "\"\(taiwan)的問題\"")
    }

    /// `=term` and `variants: false` are the per-character meaning: exactly the documents whose
    /// normalized text contains the term's normalized text.
    @Test(arguments: pairs.indices)
    func optingOutGivesThePerCharacterMeaning(pair: Int) throws {
        let index = try Self.index.get()
        let analyzer = try Analyzer()
        for form in [Self.pairs[pair].0, Self.pairs[pair].1] {
            let wanted = analyzer.table.normalize(form)
            let expected = Set(Self.documents().filter { analyzer.table.normalize($0.text).contains(wanted) }.map(\.id))
            #expect(Set(try index.ids("=\(form)")) == expected, "=\(form)")
            #expect(Set(try index.ids("=\"\(form)\"")) == expected, "=\"\(form)\"")
            var options = SearchOptions(limit: 100, snippets: false)
            options.variants = false
            #expect(Set(try index.searcher.search(form, options: options).hits.map(\.id)) == expected, "variants off: \(form)")
        }
    }

    @Test func theOptOutDiffersWhereTheScriptsUseDifferentCharacters() throws {
        let index = try Self.index.get()
        // 计划 per character is not 計畫 (计画): the plain meaning finds the mainland document only.
        #expect(try index.ids("=计划") == ["cn0"])
        #expect(try index.ids("=計畫") == ["tw0"])
        #expect(Set(try index.ids("计划 OR =沈重")) == ["cn0", "tw0", "tw5"])
    }

    @Test func theVariantsAreReportedAndTheMatchedFormIsHighlighted() throws {
        let index = try Self.index.get()
        let results = try index.searcher.search("计划", options: SearchOptions(limit: 10))
        #expect(results.variants.first?.term == "计划")
        #expect(results.variants.first?.forms.contains("計畫") == true)
        let taiwan = try #require(results.hits.first { $0.id == "tw0" })
        let highlighted = taiwan.snippets.flatMap { s in s.highlights.map { String(Array(s.text.unicodeScalars)[$0.start..<$0.end].map(Character.init)) } }
        #expect(highlighted == ["計畫"])
        let json = String(decoding: try JSONEncoder().encode(SearchResponse(results)), as: UTF8.self)
        #expect(json.contains("\"variants\":{\"计划\":["))
        let plain = try index.searcher.search("=计划", options: SearchOptions(limit: 10))
        #expect(plain.variants.isEmpty)
    }

    /// Monotonicity: a substring of the original still matches on its own.
    @Test func aPartOfTheOriginalStillMatches() throws {
        let index = try Self.index.get()
        #expect(Set(try index.ids("覆")).isSuperset(of: ["tw2", "tw3", "tw4"]))
        #expect(Set(try index.ids("画")).contains("tw0"))
        // and a part of the conversion too: 划 stands in 計畫's conversion.
        #expect(Set(try index.ids("划")).isSuperset(of: ["cn0", "tw0"]))
    }

    /// An occurrence of a variant counts as an occurrence of the term: the two documents, alike
    /// but for the script, score the same.
    @Test func aVariantOccurrenceScoresAsTheTerm() throws {
        let index = try TestIndex([
            ("a", "标题\n今年的计划很好，计划要落实。", [:]),
            ("b", "標題\n今年的計畫很好，計畫要落實。", [:]),
            ("c", "標題\n今年的安排很好，計畫要落實。", [:]),
        ])
        let hits = try index.searcher.search("计划", options: SearchOptions(limit: 10, snippets: false)).hits
        let score = Dictionary(uniqueKeysWithValues: hits.map { ($0.id, $0.score) })
        #expect(abs(score["a"]! - score["b"]!) < 1e-9)
        #expect(score["c"]! < score["b"]!)
    }

    /// The vocabulary mapping is opt-in: `~网络` finds 網路, plain 网络 does not.
    @Test func vocabularyIsOptIn() throws {
        let index = try TestIndex([("cn", "网络安全很重要。", [:]), ("tw", "網路安全很重要。", [:]), ("d", "資料庫建立完成。", [:])])
        #expect(try index.ids("网络") == ["cn"])
        #expect(Set(try index.ids("~网络")) == ["cn", "tw"])
        #expect(Set(try index.ids("~網路")) == ["cn", "tw"])
        #expect(try index.ids("创建") == [])  // 建立 is not 创建 in ordinary prose
    }

    @Test func theOperatorsNeedATerm() throws {
        #expect(try QueryParser.parse("= 计划") == .and([.term("=", prefix: false, column: 1), .term("计划", prefix: false, column: 3)]))  // a lone '=' is text
        #expect(throws: QueryError.self) { try QueryParser.parse("=(计划)") }
        #expect(try QueryParser.parse("=计划") == .variants(.exact, .term("计划", prefix: false, column: 2)))
        #expect(try QueryParser.parse("~\"网络\"") == .variants(.vocabulary, .phrase("网络", slop: nil, column: 2)))
    }
}

/// Punctuation and symbols are indexed with positions: a phrase holding them is answered from
/// postings, without decompressing stored text, and still means the exact normalized substring.
@Suite struct PunctuationPhraseTests {
    @Test func phrasesWithPunctuationReadNoStoredText() throws {
        let index = try TestIndex([
            ("a", "我们的，目标是发展。", [:]), ("b", "我们的目标，是发展。", [:]), ("c", "增长了5%，达到100%。", [:]),
            ("d", "这是的、那是的。", [:]), ("e", "比例5%的，很高。", [:]),
        ])
        let before = index.searcher.textReads.load(ordering: .relaxed)
        #expect(Set(try index.ids("\"的，\"")) == ["a", "e"])
        #expect(Set(try index.ids("\"的，\" OR \"的、\" OR \"标，\"")) == ["a", "b", "d", "e"])
        #expect(try index.ids("\"5%，\"") == ["c"])
        #expect(try index.ids("\"，\"").count == 4)
        #expect(index.searcher.textReads.load(ordering: .relaxed) == before)
        // A space is not indexed: such a phrase is still confirmed on the text (e is a candidate).
        #expect(try index.ids("\"5% ，\"") == [])
        #expect(index.searcher.textReads.load(ordering: .relaxed) > before)
    }

    /// A Han character with the symbol after it is one `Q` term: the phrase reads that list alone,
    /// and a document writing the character's variant (計畫，) is still found through its alternate.
    @Test func aCharacterAndTheSymbolAfterItAreLookedUpAsOnePair() throws {
        let index = try TestIndex([
            ("a", "我们的，目标是发展。", [:]), ("e", "比例5%的，很高。", [:]), ("cn", "执行计划，完成。", [:]), ("tw", "執行計畫，完成。", [:]),
        ])
        let analyzer = try Analyzer()
        let keys = PhraseMatcher.lookupUnits(try Pattern("的，是", analyzer: analyzer)).map { String(decoding: $0.key, as: UTF8.self) }
        #expect(keys == ["Q的,", "H是"])  // normalized: full-width punctuation folds to ASCII
        let segment = try #require(index.searcher.snapshot.segments.first)
        #expect(try segment.reader.lookup(termKey(.hanSymbol, "的,"))?.docFreq == 2)
        #expect(Set(try index.ids("\"计划，\"")) == ["cn", "tw"])
        #expect(try index.ids("=\"计划，\"") == ["cn"])
    }
}

/// The matcher's "character or its alternate" units against a brute force: a pattern whose Han
/// units may each match either way finds exactly the union of the 2^n patterns that fix each unit
/// to its character or to its alternate (the shortcut alternates take: one pattern per unit).
@Suite struct EitherUnitTests {
    static let texts = [
        "本年度的計畫與答覆都很沈重，計畫答覆沈重。", "今年的计划与答复都很沉重。", "計劃答復沉重，计画答覆沈重。",
        "无关的一篇讲话。", "計畫答覆", "计划答复沉重计划",
    ]

    @Test(arguments: ["计划", "答复", "计划与答复", "答复都很沉重", "计划答复沉重"])
    func eitherUnitsMatchTheUnionOfEveryAssignment(_ text: String) throws {
        let index = try TestIndex(Self.texts.enumerated().map { (id: "d\($0.offset)", text: $0.element, metadata: [:]) })
        let analyzer = try Analyzer()
        let pattern = try Pattern(text, analyzer: analyzer)
        let han = pattern.units.indices.filter { pattern.units[$0].kind == .han }
        var either = pattern
        for k in han { either = either.matchingEither(k) }
        for segment in index.searcher.snapshot.segments {
            var expected: [Int: Set<Int32>] = [:]
            for assignment in 0..<(1 << han.count) {
                var fixed = pattern
                for (bit, k) in han.enumerated() where assignment >> bit & 1 == 1 { fixed = fixed.matchingAlternate(k) }
                for (doc, starts, _) in try PhraseMatcher.occurrences(fixed, in: segment, wantStarts: { _ in true }) {
                    expected[doc, default: []].formUnion(starts)
                }
            }
            let found = try PhraseMatcher.occurrences(either, in: segment, wantStarts: { _ in true })
            #expect(found.map(\.0) == expected.keys.sorted(), "\(text)")
            for (doc, starts, count) in found {
                #expect(Set(starts) == expected[doc] && count == starts.count, "\(text) in d\(doc)")
            }
            #expect(found.count >= 2, "\(text): the fixture should hold it both ways")
        }
    }

    /// Several forms' occurrences in one segment: a start two forms reach counts once where
    /// every form took its starts; where one did not, the document counts the larger count.
    @Test func formsMeetingInADocumentAreUnitedByDocument() {
        let typed: [(Int, ([Int32], Int))] = [(1, ([3, 9], 2)), (4, ([], 5)), (6, ([2], 1))]
        let converted: [(Int, ([Int32], Int))] = [(1, ([9, 12], 2)), (2, ([7], 1)), (4, ([], 3)), (6, ([], 4))]
        let united = Searcher.uniteForms([typed, converted])
        #expect(united.map(\.0) == [1, 2, 4, 6])
        #expect(united[0].1 == [3, 9, 12] && united[0].2 == 3)
        #expect(united[1].1 == [7] && united[1].2 == 1)
        #expect(united[2].1.isEmpty && united[2].2 == 5)
        #expect(united[3].1.isEmpty && united[3].2 == 4)
    }
}
