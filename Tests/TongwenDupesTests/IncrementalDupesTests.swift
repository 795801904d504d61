import Foundation
import Testing
@testable import TongwenDupes
import TongwenAnalysis
import TongwenIndex
import TongwenTestSupport

/// The incremental run: fingerprints come from the index, the pairwise results of unchanged
/// documents from the state the previous run saved, and the report equals a full run's.
@Suite struct IncrementalDupesTests {
    /// Generated speeches: random hosts, passages of 30–150 characters planted in 2–8 of them,
    /// and republished copies with a few characters changed.
    static func corpus(seed: UInt64, count: Int) -> [(id: String, text: String)] {
        var rng = SeededGenerator(seed: seed)
        var texts = (0..<count).map { _ in RandomText.make(&rng, length: Int.random(in: 300...1200, using: &rng)) }
        for _ in 0..<(count / 4) {
            let passage = RandomText.make(&rng, length: Int.random(in: 30...150, using: &rng))
            for host in (0..<count).shuffled(using: &rng).prefix(Int.random(in: 2...8, using: &rng)) {
                let lines = texts[host].components(separatedBy: "\n")
                let at = Int.random(in: 0...lines.count, using: &rng)
                texts[host] = (lines[..<at] + [passage] + lines[at...]).joined(separator: "\n")
            }
        }
        for _ in 0..<(count / 10) {
            var copy = Array(texts[Int.random(in: 0..<count, using: &rng)].unicodeScalars)
            for _ in 0..<3 { copy[Int.random(in: 0..<copy.count, using: &rng)] = "改" }
            texts.append(String(String.UnicodeScalarView(copy)))
        }
        return texts.enumerated().map { ("doc-\($0.offset).txt", $0.element) }
    }

    static func add(_ documents: some Collection<(id: String, text: String)>, to writer: IndexWriter) throws {
        for d in documents {
            try writer.add(IndexDocument(id: d.id, title: d.id, text: d.text, source: d.id, contentHash: contentHash(Array(d.text.utf8))))
        }
        try writer.commit()
    }

    static func json(_ report: DupesReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func anIncrementalRunEqualsAFullRun(seed: UInt64) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tongwen-incremental-\(seed)-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let documents = Self.corpus(seed: seed, count: 80)
        let writer = try IndexWriter(directory: directory, ramBudget: 1 << 16)  // many segments, merged
        try Self.add(documents[..<60], to: writer)
        let first = try DupesFinder.run(try IndexSnapshot.open(directory), save: true)
        #expect(!first.passages.isEmpty)
        #expect(DupesState.load(directory)?.documents.count == 60)

        // New documents, one changed, one removed.
        try Self.add(documents[60...], to: writer)
        try Self.add([(id: "doc-3.txt", text: documents[3].text + "\n" + documents[70].text)], to: writer)
        writer.remove("doc-5.txt")
        try writer.commit()
        let snapshot = try IndexSnapshot.open(directory)
        let incremental = try DupesFinder.run(snapshot, save: true)
        let full = try DupesFinder.run(snapshot, incremental: false)
        #expect(try Self.json(incremental) == Self.json(full))
        #expect(incremental.passages.contains { p in p.members.contains { $0.doc == "doc-3.txt" } && p.members.contains { $0.doc == "doc-70.txt" } })
        #expect(!incremental.passages.contains { p in p.members.contains { $0.doc == "doc-5.txt" } })
        #expect(DupesState.load(directory)?.documents.count == snapshot.documentCount)
    }

    /// Pairs of unchanged documents are taken from the state, not compared again: a state whose
    /// pairwise results were erased yields no passage between two old documents.
    @Test func pairsOfOldDocumentsComeFromTheState() throws {
        let documents = Self.corpus(seed: 7, count: 60)
        let inputs = documents.map { DupesFinder.Input(id: $0.id, contentHash: contentHash(Array($0.text.utf8)), text: $0.text, fingerprints: nil) }
        let (_, state, _) = try DupesFinder.run(DupesSource(Array(inputs[..<50])), options: DupesOptions(), previous: nil)
        var erased = try #require(state)
        erased.pairs = PassageFinder.PairResults()
        erased.nearPairs = []
        let (report, _, _) = try DupesFinder.run(DupesSource(inputs), options: DupesOptions(), previous: erased)
        let old = Set(documents[..<50].map(\.id))
        #expect(!report.passages.isEmpty)
        for passage in report.passages {
            #expect(passage.members.contains { !old.contains($0.doc) }, "passage \(passage.id) lies only in old documents")
        }
        let (complete, _, _) = try DupesFinder.run(DupesSource(inputs), options: DupesOptions(), previous: state)
        #expect(complete.passages.count > report.passages.count)
    }

    @Test func aDamagedStateMeansAFullRun() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tongwen-damaged-state-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try IndexWriter(directory: directory)
        try Self.add(Self.corpus(seed: 11, count: 40), to: writer)
        let snapshot = try IndexSnapshot.open(directory)
        let full = try Self.json(DupesFinder.run(snapshot, incremental: false))
        _ = try DupesFinder.run(snapshot, save: true)
        let path = directory + "/" + DupesState.fileName
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(DupesState.load(directory) == nil)
        #expect(try Self.json(DupesFinder.run(snapshot)) == full)
    }
}
