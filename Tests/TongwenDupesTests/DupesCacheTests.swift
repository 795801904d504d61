import Foundation
import Testing
@testable import TongwenDupes
import TongwenIndex

/// The report cache beside the index: its binary form gives back exactly the report saved, for
/// that commit only, and bad bytes read as no cache rather than a wrong report or a crash.
@Suite struct DupesCacheTests {
    /// A report with every field filled, with non-ASCII text, repeated and unique strings.
    static let handMade = DupesReport(
        passages: [
            .init(id: 1, text: "各位代表：現在，我代表國務院", normLength: 13, documents: 2, occurrences: 3, kind: "boilerplate",
                  members: [.init(doc: "a.txt", start: 0, end: 14, startByte: 0, endByte: 40, script: "Hant"),
                            .init(doc: "b.txt", start: 100_000, end: 100_014, startByte: 300_000, endByte: 300_040, script: "Hans"),
                            .init(doc: "a.txt", start: 50, end: 64, startByte: 150, endByte: 190, script: "Hant")]),
            .init(id: 2, text: "", normLength: 0, documents: 0, occurrences: 0, kind: "repeat", members: []),
        ],
        stockPhrases: [.init(text: "一带一路", normLength: 4, documents: 9)],
        nearDuplicates: [.init(a: "a.txt", b: "c.txt", jaccard: 0.91, containment: 1.0 / 3.0)],
        nearDuplicateClusters: [["a.txt", "c.txt"], []],
        documents: [.init(doc: "a.txt", characters: 12, boilerplateRatio: 0.5, repeatRatio: 0.25, chromeRatio: 0.125,
                          chrome: [.init(start: 1, end: 5, startByte: 1, endByte: 13, rule: "template-line (3)", text: "<p>頁首</p>")],
                          markup: [.init(start: 7, end: 9, startByte: 20, endByte: 22, rule: "markup", text: "<b>")])],
        chromeTemplates: [.init(kind: "line", zone: "head", text: "0 年 0 月", documents: 4)])

    static func roundTrip(_ report: DupesReport, generation: UInt64) throws -> (generation: UInt64, report: DupesReport)? {
        let bytes = DupesReportCoding.encode(report, generation: generation)
        return try bytes.withUnsafeBytes { try DupesReportCoding.decode($0, file: "test") }
    }

    @Test func everyFieldComesBack() throws {
        let back = try #require(try Self.roundTrip(Self.handMade, generation: 7))
        #expect(back.generation == 7)
        #expect(try IncrementalDupesTests.json(back.report) == IncrementalDupesTests.json(Self.handMade))
    }

    @Test(arguments: [4, 5] as [UInt64])
    func aFoundReportComesBack(seed: UInt64) throws {
        let report = try DupesFinder.run(IncrementalDupesTests.corpus(seed: seed, count: 60))
        #expect(!report.passages.isEmpty && !report.nearDuplicates.isEmpty)
        let back = try #require(try Self.roundTrip(report, generation: seed))
        #expect(try IncrementalDupesTests.json(back.report) == IncrementalDupesTests.json(report))
    }

    /// Every cut of the bytes is an error naming the file, never a crash or a shorter report.
    @Test func truncatedBytesAreAnError() throws {
        let bytes = DupesReportCoding.encode(Self.handMade, generation: 1)
        for cut in 0..<bytes.count {
            #expect(throws: IndexError.self) {
                _ = try bytes[..<cut].withUnsafeBytes { try DupesReportCoding.decode($0, file: "cut") }
            }
        }
        var other = bytes
        other[0] = 99  // another version: not this build's cache
        #expect(try other.withUnsafeBytes { try DupesReportCoding.decode($0, file: "v") } == nil)
    }

    @Test func theCacheBelongsToOneCommitAndDamageReadsAsNone() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tongwen-dupes-cache-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let legacy = directory + "/" + DupesCache.legacyFileName
        FileManager.default.createFile(atPath: legacy, contents: Data("{}".utf8))

        try DupesCache.save(Self.handMade, directory, generation: 3)
        #expect(!FileManager.default.fileExists(atPath: legacy))
        let loaded = try #require(DupesCache.load(directory, generation: 3))
        #expect(try IncrementalDupesTests.json(loaded) == IncrementalDupesTests.json(Self.handMade))
        #expect(DupesCache.load(directory, generation: 4) == nil)

        let path = directory + "/" + DupesCache.fileName
        var bytes = try #require(FileManager.default.contents(atPath: path))
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(DupesCache.load(directory, generation: 3) == nil)
    }
}
