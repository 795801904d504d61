import Foundation
import Testing
import TongwenTestSupport

@Suite(.serialized) struct DupesCommandTests {
    let index = NSTemporaryDirectory() + "tongwen-dupes-cli-" + UUID().uuidString

    struct Report: Decodable {
        struct Member: Decodable { var doc: String; var start: Int; var end: Int; var startByte: Int; var endByte: Int; var script: String }
        struct Passage: Decodable { var id: Int; var text: String?; var preview: String; var normLength: Int; var documents: Int; var occurrences: Int; var kind: String; var members: [Member] }
        struct Pair: Decodable { var a: String; var b: String; var jaccard: Double; var containment: Double }
        struct Document: Decodable { var doc: String; var boilerplateRatio: Double; var repeatRatio: Double; var chromeRatio: Double }
        var passages: [Passage]
        var nearDuplicates: [Pair]
        var nearDuplicateClusters: [[String]]
        var documents: [Document]
    }

    /// The report from `dupes --json` (JSON Lines): passages, pairs, clusters and documents by type.
    static func report(_ output: String) throws -> Report {
        struct Line: Decodable { var type: String }
        struct Cluster: Decodable { var documents: [String] }
        var report = Report(passages: [], nearDuplicates: [], nearDuplicateClusters: [], documents: [])
        let decoder = JSONDecoder()
        for line in output.split(separator: "\n") {
            let data = Data(line.utf8)
            switch try decoder.decode(Line.self, from: data).type {
            case "passage": report.passages.append(try decoder.decode(Report.Passage.self, from: data))
            case "nearDuplicate": report.nearDuplicates.append(try decoder.decode(Report.Pair.self, from: data))
            case "nearDuplicateCluster": report.nearDuplicateClusters.append(try decoder.decode(Cluster.self, from: data).documents)
            case "document": report.documents.append(try decoder.decode(Report.Document.self, from: data))
            default: break
            }
        }
        return report
    }

    @Test func samplesShowTheBoilerplateParagraphTheNearDuplicatePairAndCollapse() throws {
        defer { try? FileManager.default.removeItem(atPath: index) }
        #expect(try CLI.run(["index", "index-data/speeches", "--index", index, "--quiet"]).status == 0)
        let json = try CLI.run(["dupes", "--index", index, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let report = try Self.report(json.stdout)
        // The paragraph written into four speeches (Simplified, Traditional, GB18030) is one boilerplate cluster.
        let boilerplate = try #require(report.passages.first { $0.kind == "boilerplate" })
        #expect(boilerplate.documents == 4)
        #expect(Set(boilerplate.members.map(\.script)) == ["Hans", "Hant"])
        let original = Array(try String(contentsOfFile: "index-data/speeches/2020-rule-of-law-hant.txt", encoding: .utf8).utf8)
        let member = try #require(boilerplate.members.first { $0.doc == "2020-rule-of-law-hant.txt" })
        #expect(String(decoding: original[member.startByte..<member.endByte], as: UTF8.self).hasPrefix("各級各部門要把思想和行動統一"))
        #expect(report.nearDuplicates.map { [$0.a, $0.b] } == [["2019-civilization-city-hans.txt", "2019-civilization-city-republished.txt"]])
        #expect(report.nearDuplicates[0].jaccard >= 0.7)
        let republished = try #require(report.documents.first { $0.doc == "2019-civilization-city-republished.txt" })
        #expect(republished.chromeRatio > 0)  // 上一篇/下一篇

        let text = try CLI.run(["dupes", "--index", index, "--doc", "2020-rule-of-law-hant.txt"])
        #expect(text.stdout.contains("boilerplate: 69 characters, 4 documents"))
        // The document's own copy is listed first: where the passage sits in it.
        let lines = text.stdout.split(separator: "\n")
        let heading = try #require(lines.firstIndex { $0.contains("boilerplate: 69 characters") })
        #expect(lines[heading + 2].contains("· 2020-rule-of-law-hant.txt"))
        #expect(!text.stdout.contains("near-duplicate documents"))
        #expect(try CLI.run(["dupes", "--index", index, "--doc", "nope.txt"]).status == 1)

        // Paging: the second passage alone, and the summary says where the next page starts.
        let page = try CLI.run(["dupes", "--index", index, "--json", "--limit", "1", "--offset", "1"]).stdout.split(separator: "\n")
        #expect(page[0].contains("\"offset\":1") && page[0].contains("\"next\":2"))
        #expect(try Self.report(page.joined(separator: "\n")).passages.map(\.id) == [2])
        // One passage in full: its whole text is the first copy's original text.
        let full = try JSONDecoder().decode(Report.Passage.self, from: Data(CLI.run(["dupes", "--index", index, "--json", "--passage", "\(boilerplate.id)"]).stdout.utf8))
        let first = boilerplate.members[0]
        let firstText = Array(try String(contentsOfFile: "index-data/speeches/" + first.doc, encoding: .utf8).utf8)
        #expect(full.text == String(decoding: firstText[first.startByte..<first.endByte], as: UTF8.self))
        let missing = try CLI.run(["dupes", "--index", index, "--passage", "99"])
        #expect(missing.status == 1 && missing.stderr.contains("no passage 99"))

        // Collapse folds the republished copy into the original's hit.
        let plain = try CLI.run(["search", "--index", index, "创建", "--no-snippets"])
        #expect(plain.stdout.contains("3 results"))
        #expect(try CLI.run(["dupes", "--index", index, "--save"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: index + "/dupes-report"))
        let collapsed = try CLI.run(["search", "--index", index, "--collapse", "创建", "--no-snippets"])
        #expect(collapsed.stdout.contains("2 results"))
        #expect(collapsed.stdout.contains("(+1 similar version: 2019-civilization-city-republished.txt)"))
        // The cache belongs to one commit: after a new commit it is ignored, and search still collapses.
        #expect(try CLI.run(["remove", "2023-fitness-games-big5.txt", "--index", index]).status == 0)
        #expect(try CLI.run(["search", "--index", index, "--collapse", "创建", "--no-snippets"]).stdout.contains("2 results"))
    }
}
