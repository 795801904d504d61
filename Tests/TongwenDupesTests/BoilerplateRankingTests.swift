import Foundation
import Testing
import TongwenDupes
import TongwenIndex
import TongwenSearch
import TongwenTestSupport

/// Acceptance 3: boilerplate is left out of BM25, so a term that occurs only in the boilerplate of
/// 10 documents and in the body of 1 ranks the body document first; the 10 stay findable, in the
/// lower tier.
@Suite struct BoilerplateRankingTests {
    static let term = "高质量发展"
    /// A paragraph repeated in 10 speeches, with the term three times.
    static let boilerplate = "各级领导干部要把推动高质量发展作为头等大事，坚持以高质量发展统揽全局，确保高质量发展各项部署落地见效。"

    static func corpus() -> [(id: String, text: String)] {
        var rng = SeededGenerator(seed: 2026)
        func body() -> String { RandomText.make(&rng, length: 700).replacingOccurrences(of: "\n", with: "") }
        var documents = (0..<10).map { i in (id: "boilerplate-\(i).txt", text: body() + "\n" + boilerplate + "\n" + body()) }
        documents.append((id: "substantive.txt", text: body() + "\n今年我们要紧紧围绕" + term + "这个主题部署工作。\n" + body()))
        return documents
    }

    @Test func theBodyDocumentRanksFirstAndTheBoilerplateOnesStayFindable() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tongwen-boilerplate-ranking-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try IndexWriter(directory: directory)
        for d in Self.corpus() {
            try writer.add(IndexDocument(id: d.id, title: d.id, text: d.text, source: d.id, contentHash: contentHash(Array(d.text.utf8))))
        }
        try writer.commit()

        // Without masks, plain BM25 puts the three-fold boilerplate mentions first.
        let before = try Searcher.open(directory).search(Self.term)
        #expect(before.total == 11)
        #expect(before.hits.first?.id != "substantive.txt")

        let report = try DupesFinder.run(try IndexSnapshot.open(directory), save: true)
        let passage = try #require(report.passages.first { $0.text.contains(Self.term) })
        #expect(passage.kind == "boilerplate" && passage.documents == 10)

        let after = try Searcher.open(directory).search(Self.term, options: SearchOptions(limit: 20))
        #expect(after.total == 11)
        #expect(after.hits.map(\.id).first == "substantive.txt")
        #expect(after.hits.first?.boilerplateOnly == false)
        #expect(after.hits.dropFirst().allSatisfy { $0.boilerplateOnly })
        #expect(after.hits.count == 11)
    }
}
