import Foundation
import Testing
@testable import TongwenDupes
import TongwenAnalysis
import TongwenIndex
import TongwenTestSupport

/// The pairwise stages run in parts (as the Spark job runs them), with the shuffle between them
/// done here by brute force: the report equals a whole run's, byte for byte.
@Suite struct DupesStagesTests {
    /// An index of generated speeches in a temporary folder (removed by the caller).
    static func index(seed: UInt64, count: Int) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tongwen-stages-\(seed)-\(getpid())").path
        try? FileManager.default.removeItem(atPath: directory)
        let writer = try IndexWriter(directory: directory, ramBudget: 1 << 16)
        try IncrementalDupesTests.add(IncrementalDupesTests.corpus(seed: seed, count: count), to: writer)
        return directory
    }

    /// Every part's fingerprint lines, and its units file in `work`.
    static func prepare(_ snapshot: IndexSnapshot, parts: Int, work: String) throws -> [[[Substring]]] {
        try (0..<parts).map { part in
            var out: [UInt8] = []
            try DupesStages.prepare(snapshot, part: part, of: parts, units: work) { out += $0 }
            return String(decoding: out, as: UTF8.self).split(separator: "\n").map { $0.split(separator: "\t") }
        }
    }

    /// The shuffle, by brute force: for each part, every occurrence of each hash seen at least
    /// twice that occurs in the part, as seed lines (in an order of their own: the stage sorts).
    static func shuffle(_ lines: [[[Substring]]], parts: Int) -> [String] {
        var byHash: [Substring: [[Substring]]] = [:]
        for line in lines.joined() { byHash[line[0], default: []].append(line) }
        var seeds = [[String]](repeating: [], count: parts)
        for (_, group) in byHash where group.count >= 2 {
            for part in Set(group.map { Int($0[3])! }) {
                seeds[part] += group.map { "\($0[0])\t\($0[1])\t\($0[2])" }.reversed()
            }
        }
        return seeds.map { $0.joined(separator: "\n") + ($0.isEmpty ? "" : "\n") }
    }

    static func seedLines(_ text: String, blockSize: Int) throws -> SeedLines {
        var seeds = SeedLines()
        let bytes = Array(text.utf8)
        for start in stride(from: 0, to: bytes.count, by: blockSize) {
            try bytes[start..<min(bytes.count, start + blockSize)].withUnsafeBytes { try seeds.feed($0) }
        }
        try seeds.finish()
        return seeds
    }

    @Test(arguments: [(1, 1), (2, 2), (3, 3), (4, 5)] as [(UInt64, Int)])
    func partsGiveTheWholeRunsReport(seed: UInt64, parts: Int) throws {
        let directory = try Self.index(seed: seed, count: 70)
        let work = directory + "-work"
        defer { for d in [directory, work] { try? FileManager.default.removeItem(atPath: d) } }
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let snapshot = try IndexSnapshot.open(directory)
        let seeds = Self.shuffle(try Self.prepare(snapshot, parts: parts, work: work), parts: parts)
        for part in 0..<parts {
            // Blocks of a few bytes cut lines anywhere: parsing must not depend on where reads end.
            let lines = try Self.seedLines(seeds[part], blockSize: 7 + 13 * part)
            try DupesStages.pairs(snapshot, part: part, of: parts, units: work, seeds: lines, output: work)
        }
        let report = try DupesStages.report(snapshot, pairs: work)
        let whole = try DupesFinder.run(snapshot, incremental: false)
        #expect(!whole.passages.isEmpty && !whole.nearDuplicates.isEmpty)
        #expect(try IncrementalDupesTests.json(report) == IncrementalDupesTests.json(whole))
        #expect(DupesState.load(directory) == nil)  // a report writes nothing into the index
    }

    /// One index, and the same documents as two shards in another order: one report. (A passage
    /// in 45 documents makes groups larger than the all-pairs limit, whose seeds start from
    /// the group's first copy.)
    @Test func theReportDoesNotDependOnTheDocumentsOrder() throws {
        var documents = IncrementalDupesTests.corpus(seed: 11, count: 80)
        var rng = SeededGenerator(seed: 11)
        let common = RandomText.make(&rng, length: 120)
        for d in documents.indices.shuffled(using: &rng).prefix(45) {
            let text = documents[d].text
            let cut = text.index(text.startIndex, offsetBy: Int.random(in: 0...(text.count / 2), using: &rng))
            documents[d].text = String(text[..<cut]) + "\n" + common + "\n" + String(text[cut...])
        }
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("tongwen-order-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        let folders = ["one", "odd", "even"].map { base + "/" + $0 }
        try IncrementalDupesTests.add(documents, to: IndexWriter(directory: folders[0]))
        try IncrementalDupesTests.add(documents.enumerated().filter { $0.offset % 2 == 1 }.map(\.element).reversed(), to: IndexWriter(directory: folders[1]))
        try IncrementalDupesTests.add(documents.enumerated().filter { $0.offset % 2 == 0 }.map(\.element).reversed(), to: IndexWriter(directory: folders[2]))
        let one = try DupesFinder.run(IndexSnapshot.open(folders[0]), incremental: false)
        let shards = try DupesFinder.run(IndexSnapshot.open(shards: Array(folders[1...])), incremental: false)
        #expect(one.passages.contains { $0.documents >= 40 })
        #expect(try IncrementalDupesTests.json(shards) == IncrementalDupesTests.json(one))
    }

    @Test func aMalformedSeedLineIsNamed() throws {
        var seeds = SeedLines()
        #expect(throws: DupesError.self) {
            try Array("1\t2\t3\n4\t5x\t6\n".utf8).withUnsafeBytes { try seeds.feed($0) }
        }
        do {
            var other = SeedLines()
            try Array("1\t2\t3\n4\t5\n".utf8).withUnsafeBytes { try other.feed($0) }
            Issue.record("a line of two fields was accepted")
        } catch {
            #expect("\(error)".contains("seeds line 2"))
        }
        do {
            var other = SeedLines()
            try Array("1\t2\t3\n4\t5x\t6".utf8).withUnsafeBytes { try other.feed($0) }
            try other.finish()
            Issue.record("a letter in a number was accepted")
        } catch {
            #expect("\(error)" == "seeds line 2, column 4: not a number (want hash TAB document TAB position)")
        }
    }

    @Test func unusableInputsAreRefusedWithTheirPlace() throws {
        let directory = try Self.index(seed: 9, count: 30)
        let work = directory + "-work"
        defer { for d in [directory, work] { try? FileManager.default.removeItem(atPath: d) } }
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let snapshot = try IndexSnapshot.open(directory)
        _ = try Self.prepare(snapshot, parts: 2, work: work)
        func message(_ body: () throws -> Void) -> String {
            do { try body() } catch { return "\(error)" }
            return "no error"
        }
        // A seed past the documents' units, a part missing, a units file of another part count.
        let far = try Self.seedLines("5\t0\t999999\n5\t1\t0\n", blockSize: 64)
        #expect(message { try DupesStages.pairs(snapshot, part: 0, of: 2, units: work, seeds: far, output: work) }.contains("outside"))
        try DupesStages.pairs(snapshot, part: 0, of: 2, units: work, seeds: SeedLines(), output: work)
        #expect(message { _ = try DupesStages.report(snapshot, pairs: work) }.contains("part-00001-of-00002.pairs is missing"))
        #expect(message { try DupesStages.pairs(snapshot, part: 0, of: 3, units: work, seeds: SeedLines(), output: work) }
            .contains("part-00000-of-00003.units: missing or damaged"))
        #expect(message { try DupesStages.prepare(snapshot, part: 2, of: 2, units: work) { _ in } }.contains("part 2 of 2"))
        // The index changed since the prepare stage.
        let writer = try IndexWriter(directory: directory)
        try IncrementalDupesTests.add([(id: "doc-1.txt", text: "換了內容的文件，與先前不同。")], to: writer)
        let changed = try IndexSnapshot.open(directory)
        let stale = message { try DupesStages.pairs(changed, part: 1, of: 2, units: work, seeds: SeedLines(), output: work) }
        #expect(stale.contains("part-00000-of-00002.units") && stale.contains("document 1 changed since the prepare stage"), "\(stale)")
    }
}
