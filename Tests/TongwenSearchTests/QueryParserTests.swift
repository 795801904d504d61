import Testing
@testable import TongwenSearch
import TongwenTestSupport

@Suite struct QueryParserTests {
    @Test func parsesTheLanguage() throws {
        #expect(try QueryParser.parse("处理") == .term("处理", prefix: false, column: 1))
        #expect(try QueryParser.parse("a b") == .and([.term("a", prefix: false, column: 1), .term("b", prefix: false, column: 3)]))
        #expect(try QueryParser.parse("a OR b c") == .or([.term("a", prefix: false, column: 1),
                                                          .and([.term("b", prefix: false, column: 6), .term("c", prefix: false, column: 8)])]))
        #expect(try QueryParser.parse("-a") == .not(.term("a", prefix: false, column: 2)))
        #expect(try QueryParser.parse("NOT (a OR b)") == .not(.or([.term("a", prefix: false, column: 6), .term("b", prefix: false, column: 11)])))
        #expect(try QueryParser.parse("\"全国 文明\"~5") == .phrase("全国 文明", slop: 5, column: 1))
        #expect(try QueryParser.parse("「全國」") == .phrase("全國", slop: nil, column: 1))
        #expect(try QueryParser.parse("covid*") == .term("covid", prefix: true, column: 1))
        #expect(try QueryParser.parse("speaker:张三") == .field("speaker", value: "张三", column: 1))
        #expect(try QueryParser.parse("title:\"政府 工作\"") == .field("title", value: "政府 工作", column: 1))
        #expect(try QueryParser.parse("date:2019..2021") == .date(from: "2019-01-01", to: "2021-12-31", column: 1))
        #expect(try QueryParser.parse("date:2020-02") == .date(from: "2020-02-01", to: "2020-02-29", column: 1))
        #expect(try QueryParser.parse("date:..2020-06-30") == .date(from: nil, to: "2020-06-30", column: 1))
        #expect(try QueryParser.parse("建設(shè)") == .term("建設(shè)", prefix: false, column: 1))
        #expect(try QueryParser.parse("（a）") == .term("a", prefix: false, column: 2))
        #expect(try QueryParser.parse("12:30") == .term("12:30", prefix: false, column: 1))
    }

    @Test(arguments: [
        ("", "empty query", 1),
        ("   ", "empty query", 1),
        ("处理 \"全国", "unbalanced quote", 4),
        ("(处理", "never closed", 1),
        ("处理)", "no matching", 3),
        ("OR 处理", "'OR' needs a term before it", 1),
        ("处理 OR", "'OR' needs a term after it", 4),
        ("处理 AND", "'AND' needs a term after it", 4),
        ("处理 NOT", "'NOT' needs a term after it", 4),
        ("处理 -", "'-' must stand right before", 4),
        ("date:2019..20x1", "bad date", 12),
        ("date:2021..2019", "ends before it starts", 6),
        ("date:19", "bad date", 6),
        ("date:2019-13", "bad month", 6),
        ("\"\"", "empty phrase", 1),
        ("\"a\"~", "'~' after a phrase needs", 4),
        ("()", "empty parentheses", 1),
        ("*", "'*' needs a word", 1),
        ("speaker:", "needs a value", 1),
    ])
    func rejectsMalformedQueriesWithTheColumn(query: String, message: String, column: Int) {
        let error = #expect(throws: QueryError.self) { try QueryParser.parse(query) }
        #expect(error?.message.contains(message) == true, "\(query): \(String(describing: error))")
        #expect(error?.column == column, "\(query): \(String(describing: error))")
    }

    @Test func limitsLengthTermsAndNesting() {
        #expect(throws: QueryError.self) { try QueryParser.parse(String(repeating: "文", count: 1_001)) }
        #expect(throws: QueryError.self) { try QueryParser.parse((0..<40).map { "t\($0)" }.joined(separator: " ")) }
        #expect(throws: QueryError.self) { try QueryParser.parse(String(repeating: "(", count: 40) + "a" + String(repeating: ")", count: 40)) }
        #expect(throws: QueryError.self) { try QueryParser.parse(String(repeating: "NOT ", count: 40) + "a") }
        #expect(throws: Never.self) { try QueryParser.parse(String(repeating: "(", count: 10) + "a" + String(repeating: ")", count: 10)) }
    }

    /// Acceptance: 100,000+ random and mutated queries; no crash, and every rejection names a
    /// column inside the query (or just past its end).
    @Test func survivesAFuzzRun() throws {
        var rng = SeededGenerator(seed: 42)
        let alphabet = Array("处理全國文明 \"“”「」()（）-－*~～:：ORANDNOT和abc123ＡＢＣ　\t\n.\\'(shè)date:title:speaker:2019..2021~5".unicodeScalars)
            + [Unicode.Scalar(0x1F600)!, Unicode.Scalar(0x20000)!, Unicode.Scalar(0xFFFD)!, Unicode.Scalar(0)!]
        let seeds = ["处理 OR 办理", "\"全国文明城市\"~3", "(志愿 OR 志願) -服務", "title:讲话 date:2019..2021", "covid* speaker:\"张 三\"", "創(chuàng)建"]
        var rejected = 0, accepted = 0
        for i in 0..<100_000 {
            var query: [Unicode.Scalar]
            if i % 2 == 0 {
                query = (0..<Int.random(in: 0...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            } else {
                query = Array(seeds.randomElement(using: &rng)!.unicodeScalars)
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    let at = Int.random(in: 0...query.count, using: &rng)
                    switch Int.random(in: 0..<3, using: &rng) {
                    case 0: query.insert(alphabet.randomElement(using: &rng)!, at: at)
                    case 1: if at < query.count { query.remove(at: at) }
                    default: if at < query.count { query[at] = alphabet.randomElement(using: &rng)! }
                    }
                }
            }
            let text = String(String.UnicodeScalarView(query))
            do {
                _ = try QueryParser.parse(text)
                accepted += 1
            } catch {
                rejected += 1
                #expect(error.column >= 1 && error.column <= max(text.unicodeScalars.count + 1, QueryParser.maxLength + 1), "\(text): \(error)")
                #expect(!error.message.isEmpty)
            }
        }
        #expect(accepted + rejected == 100_000)
        #expect(accepted > 10_000 && rejected > 10_000)
    }

    /// Fuzzed queries also run against an index without crashing.
    @Test func fuzzedQueriesRunAgainstAnIndex() throws {
        var rng = SeededGenerator(seed: 43)
        let docs = (0..<30).map { i in (id: "f\(i)", text: RandomText.make(&rng, length: 200), metadata: ["date": "20\(10 + i % 15)", "speaker": "某\(i)"]) }
        let index = try TestIndex(docs)
        let alphabet = Array("的一是在不了有国會說 \"()-*~:ORNOT abcＡＢＣ(shè)date:2015..2020 speaker:某".unicodeScalars)
        var ran = 0
        for _ in 0..<5_000 {
            let text = String(String.UnicodeScalarView((0..<Int.random(in: 1...25, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }))
            switch Result(catching: { () throws(SearchError) in try index.searcher.search(text, options: SearchOptions(limit: 5)) }) {
            case let .success(results):
                #expect(results.hits.count <= 5 && results.total >= results.hits.count)
                ran += 1
            case let .failure(.query(error)):
                #expect(error.column >= 1)
            case let .failure(error):
                Issue.record("\(text): \(error)")
            }
        }
        #expect(ran > 500)
    }
}
