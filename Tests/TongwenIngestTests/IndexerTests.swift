import Foundation
import Testing
import TongwenIndex
import TongwenIngest
import TongwenTestSupport

/// The library's indexer, as `tongwen index` and the Spark job call it: what a run adds, skips,
/// replaces and prunes, what it reports as progress, and that bad input costs only itself.
@Suite struct IndexerTests {
    let folder = NSTemporaryDirectory() + "tongwen-ingest-" + UUID().uuidString
    var index: String { folder + "-index" }

    func write(_ name: String, _ text: String) throws {
        let path = folder + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// One run over the folder with a fresh writer (as separate `tongwen index` runs are).
    func run(prune: Bool = false) throws -> (Indexer.Summary, [Indexer.Progress], [String]) {
        var indexer = Indexer(writer: try IndexWriter(directory: index))
        let seen = Seen()
        indexer.onProgress = { seen.progress.append($0) }
        indexer.onFailure = { seen.failures.append("\($0)") }
        let summary = try indexer.index([folder], prune: prune)
        return (summary, seen.progress, seen.failures)
    }

    final class Seen {
        var progress: [Indexer.Progress] = []
        var failures: [String] = []
    }

    func ids() throws -> Set<String> {
        let snapshot = try IndexSnapshot.open(index)
        return Set(try snapshot.liveDocuments.map { try snapshot.document($0).id })
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: folder)
        try? FileManager.default.removeItem(atPath: index)
    }

    @Test func reRunsSkipUnchangedFilesReplaceChangedOnesAndPruneRemovedOnes() throws {
        defer { cleanUp() }
        try write("a.txt", "第一篇讲话\n推进全国文明城市建设。")
        try write("b.md", "# 第二篇\n加强基层治理。")
        try write("sub/c.txt", "第三篇\n落實計畫。")

        let (first, progress, failures) = try run()
        #expect(failures.isEmpty)
        #expect((first.added, first.updated, first.unchanged, first.removed, first.failed) == (3, 0, 0, 0, 0))
        #expect(first.files == 3 && first.documents == 3)
        #expect(progress.map(\.filesDone) == [1, 2, 3])
        #expect(progress.allSatisfy { $0.files == 3 })
        #expect(progress.last?.bytesDone == progress.last?.bytes)
        #expect(try ids() == ["a.txt", "b.md", "sub/c.txt"])

        try write("b.md", "# 第二篇\n加强基层治理，改了一句。")
        try FileManager.default.removeItem(atPath: folder + "/sub/c.txt")
        let (second, _, _) = try run(prune: true)
        #expect((second.added, second.updated, second.unchanged, second.removed) == (0, 1, 1, 1))
        #expect(second.documents == 2)
        #expect(try ids() == ["a.txt", "b.md"])
        let snapshot = try IndexSnapshot.open(index)
        let b = try #require(try snapshot.find("b.md"))
        #expect(try snapshot.text(b).contains("改了一句"))
        #expect(try snapshot.document(b).title == "第二篇")
    }

    @Test func withoutPruneAMissingFileKeepsItsDocument() throws {
        defer { cleanUp() }
        try write("a.txt", "甲\n一篇。")
        try write("b.txt", "乙\n另一篇。")
        _ = try run()
        try FileManager.default.removeItem(atPath: folder + "/b.txt")
        let (summary, _, _) = try run(prune: false)
        #expect(summary.removed == 0 && summary.unchanged == 1)
        #expect(try ids() == ["a.txt", "b.txt"])
    }

    @Test func badLinesAndDuplicateIdsFailAloneWithWhereTheyAre() throws {
        defer { cleanUp() }
        try write("speeches.jsonl", """
            {"id": "s1", "text": "第一篇。", "speaker": "甲"}
            {"id": "s2", "text": 
            {"id": "s1", "text": "同一个编号。"}
            {"text": "没有编号。"}
            {"id": "s3", "text": "第三篇。", "title": "题目"}
            """)
        let (summary, _, failures) = try run()
        #expect(summary.added == 2 && summary.failed == 3)
        #expect(failures.count == 3)
        #expect(failures.contains { $0.contains("speeches.jsonl:2: invalid JSON") })
        #expect(failures.contains { $0.contains("duplicate document id 's1'") })
        #expect(failures.contains { $0.hasSuffix("speeches.jsonl:4: missing \"id\" (a non-empty string)") })
        #expect(try ids() == ["s1", "s3"])
        let snapshot = try IndexSnapshot.open(index)
        let s1 = try snapshot.document(try #require(try snapshot.find("s1")))
        #expect(s1.metadata.contains { $0.key == "speaker" && $0.value == "甲" })
        #expect(try snapshot.document(try #require(try snapshot.find("s3"))).title == "题目")
    }

    @Test func aPathThatDoesNotExistThrowsAndCommitsNothing() throws {
        defer { cleanUp() }
        try write("a.txt", "甲\n一篇。")
        _ = try run()
        let generation = try IndexSnapshot.open(index).generation
        let indexer = Indexer(writer: try IndexWriter(directory: index))
        #expect(throws: IngestFailure.self) { try indexer.index([folder + "/a.txt", folder + "/nowhere"]) }
        #expect(try IndexSnapshot.open(index).generation == generation)
        #expect(try ids() == ["a.txt"])
    }

    /// One shard of a corpus (`tongwen index --files-from LIST --root DIR`): only the listed
    /// files, with the ids a scan of the whole folder gives them; paths that leave the root fail.
    @Test func listedFilesKeepTheIdsOfTheWholeFolder() throws {
        defer { cleanUp() }
        try write("2019/a.txt", "城市支持农村")
        try write("2019/b.md", "# 国家建设\n經濟發展")
        try write("2020/c.txt", "另一篇讲话")
        let whole = try Ingest.scan([folder]).map(\.relativePath)
        let listed = try Ingest.scan(relativePaths: ["2020/c.txt", "2019/a.txt"], root: folder)
        #expect(listed.map(\.relativePath) == ["2020/c.txt", "2019/a.txt"])
        #expect(Set(listed.map(\.relativePath)).isSubset(of: Set(whole)))
        let summary = try Indexer(writer: try IndexWriter(directory: index)).index(files: listed)
        #expect(summary.added == 2)
        #expect(try ids() == ["2019/a.txt", "2020/c.txt"])
        for bad in ["../x.txt", "/etc/passwd", "2019/missing.txt", "2019"] {
            #expect(throws: IngestFailure.self, "\(bad)") { _ = try Ingest.scan(relativePaths: [bad], root: folder) }
        }
    }
}
