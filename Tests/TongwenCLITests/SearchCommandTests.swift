import Foundation
import Testing
import TongwenTestSupport

@Suite(.serialized) struct SearchCommandTests {
    let index = NSTemporaryDirectory() + "tongwen-search-cli-" + UUID().uuidString

    func build() throws {
        let result = try CLI.run(["index", "index-data/speeches", "--index", index, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    struct Response: Decodable {
        struct Hit: Decodable {
            struct Snippet: Decodable {
                struct Highlight: Decodable { var start: Int; var end: Int; var startByte: Int; var endByte: Int }
                var text: String; var start: Int; var end: Int; var startByte: Int; var endByte: Int
                var highlights: [Highlight]
            }
            var id: String; var title: String; var score: Double; var metadata: [String: String]; var snippets: [Snippet]
        }
        var query: String; var total: Int; var offset: Int; var limit: Int; var tookMs: Double; var hits: [Hit]
    }

    @Test func searchJSONFollowsTheDocumentedSchema() throws {
        try build()
        defer { try? FileManager.default.removeItem(atPath: index) }
        let result = try CLI.run(["search", "--index", index, "--json", "--limit", "2", "處理"])
        #expect(result.status == 0, "\(result.stderr)")
        let response = try JSONDecoder().decode(Response.self, from: Data(result.stdout.utf8))
        #expect(response.query == "處理")
        #expect(response.total == 4 && response.limit == 2 && response.offset == 0 && response.hits.count == 2)
        #expect(response.hits[0].metadata["path"] == response.hits[0].id)
        #expect(response.hits.allSatisfy { !$0.snippets.isEmpty && !$0.snippets[0].highlights.isEmpty })

        let text = try CLI.run(["search", "--index", index, "处理"])
        #expect(text.stdout.contains("4 results for 处理"))
        #expect(text.stdout.contains("[處理]"))  // not a terminal: brackets mark highlights
    }

    @Test func explainBreaksTheScoreDownAndRankingOverridesConstants() throws {
        try build()
        defer { try? FileManager.default.removeItem(atPath: index) }
        let explained = try CLI.run(["search", "--index", index, "--explain", "--limit", "1", "--no-snippets", "文明 城市"])
        #expect(explained.status == 0, "\(explained.stderr)")
        #expect(explained.stdout.contains("sum of") && explained.stdout.contains("BM25 of") && explained.stdout.contains("proximity: all 2 terms"))
        let json = try CLI.run(["search", "--index", index, "--explain", "--json", "--ranking", "k1=2,proximity=0", "文明 城市"])
        #expect(json.stdout.contains("\"explanation\"") && json.stdout.contains("k1 2.0") && !json.stdout.contains("proximity:"))
        let bad = try CLI.run(["search", "--index", index, "--ranking", "k3=1", "文明"])
        #expect(bad.status == 64 && bad.stderr.contains("--ranking 'k3=1': expected NAME=VALUE"), "\(bad.stderr)")
    }

    @Test func malformedQueriesExitTwoWithTheColumn() throws {
        try build()
        defer { try? FileManager.default.removeItem(atPath: index) }
        let result = try CLI.run(["search", "--index", index, "处理 (文明"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("query error at column 4: unbalanced parenthesis"))
        #expect(result.stderr.contains("^"))
        let missing = try CLI.run(["search", "--index", index + "-none", "处理"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no index at"))
        #expect(missing.stderr.contains("(build one with: tongwen index PATH --index \(index)-none)"))
    }

    @Test func batchModeAnswersOneJSONLinePerQuery() throws {
        try build()
        defer { try? FileManager.default.removeItem(atPath: index) }
        let result = try CLI.run(["search", "--index", index, "--batch", "-", "--no-snippets"], stdin: "处理\n\n\"全國文明城市\"\n(broken\n   \n运动会\n")
        #expect(result.status == 0, "\(result.stderr)")
        // One line per input line, blank and whitespace-only lines answered with an error line.
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 6)
        let first = try JSONDecoder().decode(Response.self, from: Data(lines[0].utf8))
        #expect(first.total == 4 && first.query == "处理")
        #expect(lines[1].contains("\"error\"") && lines[1].contains("empty query"))
        #expect(try JSONDecoder().decode(Response.self, from: Data(lines[2].utf8)).query == "\"全國文明城市\"")
        #expect(lines[3].contains("\"error\"") && lines[3].contains("\"column\":1"))
        #expect(lines[4].contains("\"error\""))
        #expect(try JSONDecoder().decode(Response.self, from: Data(lines[5].utf8)).hits.first?.id == "2023-fitness-games-big5.txt")
    }

    @Test func showPrintsTheStoredOriginal() throws {
        try build()
        defer { try? FileManager.default.removeItem(atPath: index) }
        let result = try CLI.run(["show", "--index", index, "2023-fitness-games-big5.txt"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("全民健身運動會"))
        #expect(result.stdout.contains("encoding:") && result.stdout.contains("Big5"))
        let missing = try CLI.run(["show", "--index", index, "nope.txt"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no document with id 'nope.txt'"))
    }
}
