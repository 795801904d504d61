import Foundation
import Testing
import TongwenAnalysis
import TongwenIndex
@testable import TongwenSearch
import TongwenTestSupport

/// Acceptance: expected ids and order for a set of queries in both scripts over the sample
/// speeches, kept in Fixtures/golden-searches.json.
@Suite struct GoldenSearchTests {
    struct Golden: Decodable {
        struct Case: Decodable {
            var comment: String
            var query: String
            var total: Int
            var ids: [String]
        }

        var icu: String
        var searches: [Case]
    }

    static let index: TestIndex = {
        let root = TestData.indexData.appendingPathComponent("speeches")
        return try! TestIndex(files: TestData.files(in: root), root: root)
    }()

    @Test func samplesAnswerEveryGoldenQuery() throws {
        let url = TestData.packageRoot.appendingPathComponent("Tests/TongwenSearchTests/Fixtures/golden-searches.json")
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
        #expect(golden.searches.count >= 20)
        // Matching is exact substrings, whatever ICU segments; the order also depends on ICU's
        // words (BM25 lengths count them), so it is checked against the ICU the fixture was written with.
        let sameICU = golden.icu == ICU.version
        if !sameICU { print("GoldenSearchTests: fixture written with ICU \(golden.icu), this build links \(ICU.version): checking totals and hit sets, not their order") }
        for c in golden.searches {
            let results = try Self.index.searcher.search(c.query, options: SearchOptions(limit: 20, snippets: false))
            #expect(results.total == c.total, "\(c.query): \(c.comment)")
            if sameICU {
                #expect(results.hits.map(\.id) == c.ids, "\(c.query): \(c.comment)")
            } else {
                #expect(Set(results.hits.map(\.id)) == Set(c.ids) || results.total > 20, "\(c.query): \(c.comment)")
            }
        }
    }

    @Test func bothScriptsAndAnnotationsGiveIdenticalResults() throws {
        for (a, b) in [("处理", "處理"), ("创建", "創(chuàng)建"), ("\"全国文明城市\"", "\"全國文明城市\""), ("运动会", "運動會"), ("ＧＤＰ 处理", "gdp 處理")] {
            let x = try Self.index.searcher.search(a, options: SearchOptions(limit: 50, snippets: false))
            let y = try Self.index.searcher.search(b, options: SearchOptions(limit: 50, snippets: false))
            #expect(x.hits.map(\.id) == y.hits.map(\.id), "\(a) vs \(b)")
            #expect(x.hits.map(\.score) == y.hits.map(\.score), "\(a) vs \(b)")
        }
    }

    @Test func paginationCoversEveryHitOnceWithAnExactTotal() throws {
        let all = try Self.index.searcher.search("NOT 的确", options: SearchOptions(limit: 100, snippets: false))
        #expect(all.total == 7)
        var paged: [String] = []
        for offset in stride(from: 0, to: all.total + 2, by: 2) {
            let page = try Self.index.searcher.search("NOT 的确", options: SearchOptions(limit: 2, offset: offset, snippets: false))
            #expect(page.total == all.total)
            paged += page.hits.map(\.id)
        }
        #expect(paged == all.hits.map(\.id))
        #expect(try Self.index.searcher.search("处理", options: SearchOptions(limit: 0)).hits.isEmpty)
    }

    @Test func collapseKeepsTheBestHitOfEachGroupAndCountsGroups() throws {
        var options = SearchOptions(limit: 10, snippets: false)
        options.collapse = [["2019-civilization-city-hans.txt", "2019-civilization-city-republished.txt"]]
        let plain = try Self.index.searcher.search("创建", options: SearchOptions(limit: 10, snippets: false))
        let collapsed = try Self.index.searcher.search("创建", options: options)
        #expect(plain.total == 3 && collapsed.total == 2)
        #expect(collapsed.hits.map(\.id) == plain.hits.map(\.id).filter { $0 != "2019-civilization-city-republished.txt" })
        #expect(collapsed.hits[0].similarVersions == ["2019-civilization-city-republished.txt"])
        #expect(collapsed.hits[1].similarVersions == [])
        // Paging runs over the collapsed list.
        options.offset = 1
        #expect(try Self.index.searcher.search("创建", options: options).hits.map(\.id) == ["2021-volunteers-pinyin.txt"])
    }

    @Test func snippetsComeFromTheOriginalScriptWithHighlights() throws {
        let results = try Self.index.searcher.search("处理", options: SearchOptions(limit: 10))
        let traditional = try #require(results.hits.first { $0.id == "2020-rule-of-law-hant.txt" })
        let snippet = try #require(traditional.snippets.first)
        #expect(snippet.text.contains("認真處理群眾"))
        #expect(snippet.highlights.count == 1)
        let h = snippet.highlights[0]
        #expect(String(decoding: Array(snippet.text.utf8)[h.startByte..<h.endByte], as: UTF8.self) == "處理")
        #expect(snippet.text.hasSuffix("。"))
        let annotated = try Self.index.searcher.search("创建", options: SearchOptions(limit: 10)).hits.first { $0.id == "2021-volunteers-pinyin.txt" }
        let mark = try #require(annotated?.snippets.first?.highlights.first)
        let text = try #require(annotated?.snippets.first?.text)
        #expect(String(decoding: Array(text.utf8)[mark.startByte..<mark.endByte], as: UTF8.self) == "創(chuàng)建")
    }
}
