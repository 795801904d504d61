import Testing
@testable import TongwenSearch
import TongwenTestSupport

@Suite struct LatinAndRankingTests {
    static let index = try! TestIndex([
        (id: "a", text: "COVID-19疫情防控工作会议\n要做好COVID疫情防控。", metadata: ["speaker": "張三", "date": "2020-03-01"]),
        (id: "b", text: "Covidence 不是疫情。ｃｏｖｉｄ 复盘。", metadata: ["speaker": "李四", "date": "2021"]),
        (id: "c", text: "5G网络建设\n推进5G网络和数据中心建设，2019年完成。", metadata: ["venue": "北京"]),
        (id: "d", text: "疫情疫情疫情。", metadata: [:]),
    ])

    func ids(_ q: String) throws -> [String] { try Self.index.ids(q) }

    @Test func latinWordsMatchWholeWordsCaseAndWidthFolded() throws {
        #expect(Set(try ids("covid")) == ["a", "b"])
        #expect(Set(try ids("COVID")) == ["a", "b"])
        #expect(Set(try ids("covid*")) == ["a", "b"])  // covid and covidence
        #expect(try ids("covide*") == ["b"])
        #expect(try ids("5g") == ["c"])
    }

    @Test func mixedPhrasesNeedTheExactNormalizedSubstring() throws {
        #expect(try ids("\"covid疫情\"") == ["a"])
        #expect(try ids("\"2019年\"") == ["c"])
        #expect(try ids("\"5G网络\"") == ["c"])
        #expect(try ids("\"19疫情\"") == ["a"])
        #expect(try ids("\"疫情。\"").sorted() == ["b", "d"])  // "a" has 疫情防控。
        #expect(try ids("\"疫情，\"").isEmpty)  // punctuation is part of the phrase
    }

    @Test func filtersUseNormalizedFieldValues() throws {
        #expect(try ids("speaker:张三") == ["a"])
        #expect(try ids("speaker:張 疫情") == ["a"])
        #expect(try ids("venue:北京") == ["c"])
        #expect(try ids("date:2020-03").sorted() == ["a"])
        #expect(try ids("date:2020..").sorted() == ["a", "b"])
        #expect(try ids("疫情 -speaker:李四").sorted() == ["a", "d"])
    }

    @Test func titleMatchesAndFrequencyRankHigherTiesByID() throws {
        // "a" has 疫情 in its title; "d" has it three times in a short text.
        let ranked = try ids("疫情")
        #expect(ranked.count == 3)
        #expect(Set(ranked.prefix(2)) == ["a", "d"])
        #expect(ranked.last == "b")
        // A filter-only query scores nothing: ids ascending.
        #expect(try ids("date:2019..2022") == ["a", "b"])
    }
}
