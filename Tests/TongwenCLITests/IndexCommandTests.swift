import Foundation
import Testing
@testable import TongwenIndex
import TongwenTestSupport

@Suite struct IndexCommandTests {
    final class Scratch {
        let root = NSTemporaryDirectory() + "tongwen-cli-" + UUID().uuidString
        var corpus: String { root + "/corpus" }
        var index: String { root + "/index" }
        init() { try! FileManager.default.createDirectory(atPath: root + "/corpus", withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: root) }

        func write(_ name: String, _ bytes: [UInt8]) throws {
            let url = URL(fileURLWithPath: corpus + "/" + name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }

        func ids() throws -> Set<String> {
            let snapshot = try IndexSnapshot.open(index)
            return Set(try snapshot.liveDocuments.map { try snapshot.document($0).id })
        }
    }

    @Test func badFilesAreReportedWithPathAndLineAndTheRestCommits() throws {
        let s = Scratch()
        try s.write("good.txt", Array("在全市安全生產工作會議上的講話\n同志們：今天召開會議。".utf8))
        try s.write("sub/also-good.md", Array("# 标题\n正文内容。".utf8))
        try s.write("bad-bytes.txt", Array("abc".utf8) + [0x80, 0xFF, 0x80, 0xFF])
        try s.write("empty.txt", Array(" \n\n ".utf8))
        try s.write("speeches.jsonl", Array("""
            {"id": "j1", "text": "第一篇讲话。", "speaker": "张三", "date": "2020-01-02"}
            {"id": "j2", "text": "第二篇 broken
            {"text": "no id"}

            {"id": "j3", "title": "第三篇", "text": "第三篇讲话。", "venue": "北京"}
            """.utf8))
        let first = try CLI.run(["index", s.corpus, "--index", s.index])
        #expect(first.status == 1)
        #expect(first.stdout.contains("added 4,"))
        #expect(first.stdout.contains("failed 4"))
        #expect(first.stderr.contains("bad-bytes.txt: cannot decode at byte offset 3"))
        #expect(first.stderr.contains("empty.txt: empty document"))
        #expect(first.stderr.contains("speeches.jsonl:2: invalid JSON"))
        #expect(first.stderr.contains("speeches.jsonl:3: missing \"id\""))
        #expect(!first.stderr.contains("Fatal error"))
        #expect(try s.ids() == ["good.txt", "sub/also-good.md", "j1", "j3"])
        let snapshot = try IndexSnapshot.open(s.index)
        let j1 = try snapshot.document(try #require(try snapshot.find("j1")))
        #expect(j1.metadata("speaker") == "张三")
        #expect(j1.metadata("date") == "2020-01-02")
        #expect(try snapshot.document(try #require(try snapshot.find("j3"))).title == "第三篇")
        #expect(try snapshot.document(try #require(try snapshot.find("sub/also-good.md"))).title == "标题")

        // A later batch that is entirely bad loses nothing committed.
        try FileManager.default.removeItem(atPath: s.corpus + "/good.txt")
        try s.write("worse.jsonl", Array("not json at all\n".utf8))
        let second = try CLI.run(["index", s.corpus + "/worse.jsonl", "--index", s.index])
        #expect(second.status == 1)
        #expect(try s.ids() == ["good.txt", "sub/also-good.md", "j1", "j3"])
        #expect(try CLI.run(["check", "--index", s.index]).status == 0)
    }

    @Test func reRunsSkipUnchangedReplaceChangedAndPrune() throws {
        let s = Scratch()
        try s.write("a.txt", Array("甲文。".utf8))
        try s.write("b.txt", Array("乙文。".utf8))
        #expect(try CLI.run(["index", s.corpus, "--index", s.index]).stdout.contains("added 2, updated 0, unchanged 0, removed 0"))
        try s.write("b.txt", Array("乙文改了。".utf8))
        try s.write("c.txt", Array("丙文。".utf8))
        try FileManager.default.removeItem(atPath: s.corpus + "/a.txt")
        let second = try CLI.run(["index", s.corpus, "--index", s.index])
        #expect(second.stdout.contains("added 1, updated 1, unchanged 0, removed 0"))
        #expect(try s.ids() == ["a.txt", "b.txt", "c.txt"])
        let pruned = try CLI.run(["index", s.corpus, "--index", s.index, "--prune"])
        #expect(pruned.stdout.contains("added 0, updated 0, unchanged 2, removed 1"))
        #expect(try s.ids() == ["b.txt", "c.txt"])
        let removed = try CLI.run(["remove", "c.txt", "nope", "--index", s.index])
        #expect(removed.status == 1)
        #expect(removed.stderr.contains("no document with id 'nope'"))
        #expect(try s.ids() == ["b.txt"])
        let stats = try CLI.run(["stats", "--index", s.index])
        #expect(stats.stdout.contains("documents:    1"))
    }

    @Test func compressedInputsAreReadTransparently() throws {
        let s = Scratch()
        let text = "壓縮的講話稿，內容完整。"
        for (tool, suffix) in [("/usr/bin/gzip", "gz"), ("/usr/bin/xz", "xz")] where FileManager.default.isExecutableFile(atPath: tool) {
            try s.write("plain-\(suffix).txt", Array(text.utf8))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = ["-f", s.corpus + "/plain-\(suffix).txt"]
            try process.run()
            process.waitUntilExit()
        }
        try s.write("broken.txt.gz", [0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02])
        let result = try CLI.run(["index", s.corpus, "--index", s.index])
        #expect(result.stderr.contains("broken.txt.gz"))
        let snapshot = try IndexSnapshot.open(s.index)
        for global in snapshot.liveDocuments { #expect(try snapshot.text(global) == text) }
        #expect(snapshot.documentCount >= 1)
        #expect(try s.ids().allSatisfy { $0.hasPrefix("plain-") && $0.hasSuffix(".txt") })
    }

    @Test func aSecondWriterGetsAClearError() throws {
        let s = Scratch()
        try s.write("a.txt", Array("甲文。".utf8))
        let writer = try IndexWriter(directory: s.index)
        let result = try CLI.run(["index", s.corpus, "--index", s.index])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is being written by another process"))
        _ = writer
    }
}

/// Hardening: the index folder is an index or empty, and a run that changes nothing commits nothing.
@Suite struct IndexFolderTests {
    @Test func aFolderThatIsNotAnIndexIsRefusedAndKeepsItsFiles() throws {
        let s = IndexCommandTests.Scratch()
        try s.write("a.txt", Array("在全市安全生產工作會議上的講話".utf8))
        try FileManager.default.createDirectory(atPath: s.index, withIntermediateDirectories: true)
        let planted = ["seg-00000009.post", "notes.txt"]
        for name in planted { try Data("user's file".utf8).write(to: URL(fileURLWithPath: s.index + "/" + name)) }
        let run = try CLI.run(["index", s.corpus, "--index", s.index])
        #expect(run.status == 1)
        #expect(run.stderr.contains("is not a Tongwen index and not empty"), "\(run.stderr)")
        #expect(!run.stderr.contains("Fatal error"))
        for name in planted { #expect(try String(contentsOfFile: s.index + "/" + name, encoding: .utf8) == "user's file") }
        #expect(!FileManager.default.fileExists(atPath: s.index + "/manifest"))
    }

    /// Cleanup deletes only segment files whose id the index handed out.
    @Test func cleanupLeavesSegmentLikeFilesItNeverWrote() throws {
        let s = IndexCommandTests.Scratch()
        try s.write("a.txt", Array("在全市安全生產工作會議上的講話".utf8))
        #expect(try CLI.run(["index", s.corpus, "--index", s.index]).status == 0)
        let planted = s.index + "/seg-000000ff.post"
        try Data("user's file".utf8).write(to: URL(fileURLWithPath: planted))
        try s.write("b.txt", Array("第二篇讲话。".utf8))
        #expect(try CLI.run(["index", s.corpus, "--index", s.index, "--merge"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: planted))
        #expect(try s.ids() == ["a.txt", "b.txt"])
    }

    /// A folder or file that cannot be read is named with the reason, counts as failed, and what
    /// it held is not pruned from the index.
    @Test(.enabled(if: CLI.unprivileged != nil, "needs a non-root user (setpriv) to make a folder unreadable"))
    func unreadableFoldersAndFilesAreNamedWithTheReason() throws {
        let s = IndexCommandTests.Scratch()
        try s.write("open/a.txt", Array("在全市安全生產工作會議上的講話".utf8))
        try s.write("closed/b.txt", Array("第二篇讲话。".utf8))
        try s.write("c.txt", Array("第三篇讲话。".utf8))
        for path in [s.root, s.corpus, s.corpus + "/open", s.corpus + "/closed"] { chmod(path, 0o777) }
        for path in [s.corpus + "/open/a.txt", s.corpus + "/closed/b.txt", s.corpus + "/c.txt"] { chmod(path, 0o644) }
        let user = CLI.unprivileged!
        #expect(try CLI.run(["index", s.corpus, "--index", s.index, "--quiet"], prefix: user).status == 0)
        chmod(s.corpus + "/closed", 0o000)
        chmod(s.corpus + "/c.txt", 0o000)
        defer { chmod(s.corpus + "/closed", 0o777) }
        let run = try CLI.run(["index", s.corpus, "--index", s.index, "--prune", "--quiet"], prefix: user)
        #expect(run.status == 1)
        #expect(run.stderr.contains(s.corpus + "/closed: cannot read the folder: Permission denied (EACCES)"), "\(run.stderr)")
        #expect(run.stderr.contains(s.corpus + "/c.txt: cannot read the file: Permission denied (EACCES)"), "\(run.stderr)")
        #expect(run.stdout.contains("failed 2"), "\(run.stdout)")
        #expect(try s.ids() == ["open/a.txt", "closed/b.txt", "c.txt"])
    }

    @Test func aRunThatChangesNothingDoesNotCommit() throws {
        let s = IndexCommandTests.Scratch()
        try s.write("a.txt", Array("在全市安全生產工作會議上的講話".utf8))
        #expect(try CLI.run(["index", s.corpus, "--index", s.index]).status == 0)
        let generation = try IndexSnapshot.currentGeneration(s.index)
        let again = try CLI.run(["index", s.corpus, "--index", s.index])
        #expect(again.status == 0)
        #expect(again.stdout.contains("added 0, updated 0, unchanged 1"))
        #expect(try IndexSnapshot.currentGeneration(s.index) == generation)
        try s.write("b.txt", Array("第二篇讲话。".utf8))
        #expect(try CLI.run(["index", s.corpus, "--index", s.index]).status == 0)
        #expect(try IndexSnapshot.currentGeneration(s.index) == generation + 1)
    }
}
