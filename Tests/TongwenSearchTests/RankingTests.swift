import Testing
@testable import TongwenSearch
import TongwenTestSupport

/// The ranking function's parts: proximity, explanations that add up to the scores, and the
/// `--ranking` constants.
@Suite struct RankingTests {
    static let filler = String(repeating: "今天天气很好大家出来走走看看", count: 8)
    static let index = try! TestIndex([
        (id: "apart", text: "经济发展。\(filler)我们要深化改革。", metadata: [:]),
        (id: "close", text: "经济改革。\(filler)我们要深化发展。", metadata: [:]),
        (id: "title", text: "改革开放四十年\n\(filler)经济改革开放。", metadata: [:]),
        (id: "short", text: "改革改革改革。", metadata: [:]),
    ])

    func search(_ query: String, _ ranking: String? = nil) throws -> SearchResults {
        var options = SearchOptions(limit: 100, snippets: false)
        options.explain = true
        if let ranking { options.ranking = try RankingParameters.parse(ranking).get() }
        return try Self.index.searcher.search(query, options: options)
    }

    @Test func documentsWhereTheTermsStandTogetherRankFirst() throws {
        // "apart" and "close" hold 经济 and 改革 once each in texts of one length; in "close" they touch.
        let ranked = try search("经济 改革").hits.map(\.id)
        #expect(ranked.firstIndex(of: "close")! < ranked.firstIndex(of: "apart")!)
        // Without the proximity part they tie, and the tie goes by id.
        let plain = try search("经济 改革", "proximity=0").hits.map(\.id)
        #expect(plain.firstIndex(of: "apart")! < plain.firstIndex(of: "close")!)
        // A window of one rescores only the best by BM25 alone.
        let one = try search("经济 改革", "window=1").hits
        #expect(one.filter { $0.explanation!.details.contains { $0.description.hasPrefix("proximity") } }.map(\.id) == [plain[0]])
        // One term has no proximity part.
        #expect(try search("改革").hits.allSatisfy { hit in !hit.explanation!.details.contains { $0.description.hasPrefix("proximity") } })
    }

    @Test(arguments: ["经济 改革", "\"改革\"", "改革 OR 发展", "经济 改革 -开放", "\"经济\" 改革 发展"],
          ["", "word=1,title=1.5", "k1=2,b=1,proximity=0", "b=0,phrase=1,span=5"])
    func explanationsAddUpToTheScores(query: String, ranking: String) throws {
        let results = try search(query, ranking.isEmpty ? nil : ranking)
        #expect(!results.hits.isEmpty)
        for hit in results.hits {
            let explanation = try #require(hit.explanation)
            #expect(explanation.value == hit.score, "\(hit.id): \(explanation.lines().joined(separator: "\n"))")
            #expect(abs(explanation.details.reduce(0) { $0 + $1.value } - hit.score) < 1e-9)
            for part in explanation.details where part.description.hasPrefix("BM25") {
                #expect(abs(part.details[0].value * part.details[1].value - part.value) < 1e-9)
            }
        }
    }

    @Test func titleAndWordPartsAppearOnlyWhenWeighted() throws {
        let plain = try search("改革").hits.first { $0.id == "title" }!.explanation!
        #expect(!plain.lines().contains { $0.contains("title contains") || $0.contains("ICU word") })
        let weighted = try search("改革", "title=1.5,word=1").hits.first { $0.id == "title" }!.explanation!
        #expect(weighted.lines().contains { $0.contains("the title contains 改革") })
        #expect(weighted.lines().contains { $0.contains("ICU word 改革") })
    }

    @Test func smallestGapIsTheBruteForceMinimum() {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<400 {
            let terms = Int.random(in: 2...4, using: &generator)
            let lengths = (0..<terms).map { _ in Int.random(in: 1...4, using: &generator) }
            let starts = (0..<terms).map { _ in
                Array(Set((0..<Int.random(in: 0...5, using: &generator)).map { _ in Int32.random(in: 0..<60, using: &generator) })).sorted()
            }
            #expect(Searcher.smallestGap(starts, lengths: lengths) == Self.bruteGap(starts, lengths), "\(starts) \(lengths)")
        }
        #expect(Searcher.smallestGap([[0], [2]], lengths: [2, 2]) == 0)
        #expect(Searcher.smallestGap([[0, 30], [10, 40]], lengths: [2, 2]) == 8)  // 0..<12 or 30..<42, less 4
    }

    /// Every run of consecutive occurrences (by start, then term) holding each term.
    static func bruteGap(_ starts: [[Int32]], _ lengths: [Int]) -> Int? {
        guard starts.allSatisfy({ !$0.isEmpty }) else { return nil }
        var events: [(Int, Int)] = []
        for (t, list) in starts.enumerated() { for start in list { events.append((Int(start), t)) } }
        events.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var best: Int?
        for l in events.indices {
            for r in l..<events.count where Set(events[l...r].map(\.1)).count == starts.count {
                let end: Int = events[l...r].map { (start, term) in start + lengths[term] }.max()!
                let gap = max(0, end - events[l].0 - lengths.reduce(0, +))
                best = min(best ?? gap, gap)
            }
        }
        return best
    }

    @Test func longDocumentsShrinkTheProximityWindowToItsFloor() {
        let docs = Array((0..<30).reversed())
        func match(_ count: Int) -> Searcher.LeafMatch { Searcher.LeafMatch(docs: Array(0..<30), counts: Array(repeating: count, count: 30)) }
        #expect(Searcher.withinBudget(docs, matches: [match(3), match(40)]) == 30)
        #expect(Searcher.withinBudget(docs, matches: [match(3_000), match(2_000)]) == Searcher.proximityFloor)
        // 700 + 700 a document: the 15th passes the budget of 20,000, so the first 14 are rescored.
        #expect(Searcher.withinBudget(docs, matches: [match(700), match(700)]) == 14)
    }

    @Test func rankingConstantsParseOrSayWhatIsWrong() throws {
        let parsed = try RankingParameters.parse("k1=2, b=0.5,proximity=0").get()
        #expect(parsed.k1 == 2 && parsed.b == 0.5 && parsed.proximity == 0 && parsed.span == RankingParameters().span)
        #expect(throws: RankingParameterError.self) { try RankingParameters.parse("k2=1").get() }
        if case let .failure(error) = RankingParameters.parse("b=-1") { #expect(error.message.contains("'b=-1'")) } else { Issue.record("b=-1 parsed") }
        if case let .failure(error) = RankingParameters.parse("k1") { #expect(error.message.contains("NAME=VALUE")) } else { Issue.record("k1 parsed") }
    }
}
