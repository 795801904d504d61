import Foundation
import Testing
@testable import TongwenIndex
import TongwenTestSupport

@Suite struct IndexIntegrityTests {
    /// A small committed index with several segments and deletes.
    func buildIndex(_ path: String) throws -> [String: String] {
        var rng = SeededGenerator(seed: 11)
        var docs: [String: String] = [:]
        let writer = try IndexWriter(directory: path, ramBudget: 1_500)
        for i in 0..<12 {
            let text = RandomText.make(&rng, length: 60)
            docs["d\(i)"] = text
            try writer.add(IndexDocument(id: "d\(i)", title: "title \(i)", text: text, source: "x", metadata: ["speaker": "某某"],
                                         contentHash: contentHash(Array(text.utf8))))
        }
        try writer.commit()
        writer.remove("d3")
        docs["d3"] = nil
        try writer.commit()
        return docs
    }

    /// Acceptance: flipping any single byte of any index file makes `check` fail naming that
    /// file, and makes opening for search fail with a clear error.
    @Test func everyFlippedByteIsCaughtAndNamesItsFile() throws {
        let directory = TemporaryDirectory()
        _ = try buildIndex(directory.path)
        let files = FileSystem.list(directory.path).filter { $0 != "LOCK" }
        #expect(files.contains("manifest"))
        #expect(files.contains { $0.hasSuffix(".dels") })
        #expect(files.contains { $0.hasSuffix(".fing") })
        var rng = SeededGenerator(seed: 5)
        var flips = 0
        for name in files {
            let path = directory.path + "/" + name
            let original = try Data(contentsOf: URL(fileURLWithPath: path))
            let positions = original.count <= 600 ? Array(0..<original.count)
                : (0..<300).map { _ in Int.random(in: 0..<original.count, using: &rng) } + [0, 4, 8, original.count - 1]
            for position in positions {
                var corrupted = original
                corrupted[position] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
                try corrupted.write(to: URL(fileURLWithPath: path))
                defer { try? original.write(to: URL(fileURLWithPath: path)) }
                flips += 1
                let checkError = #expect(throws: IndexError.self) { try IndexChecker.check(directory.path) }
                #expect(checkError?.description.contains(name) == true, "byte \(position) of \(name): \(String(describing: checkError))")
                #expect(throws: IndexError.self) { try IndexSnapshot.open(directory.path) }
            }
        }
        #expect(flips > 1000)
        // Restored: all good again.
        _ = try IndexChecker.check(directory.path)
    }

    @Test func checkAndStatsCountTheSameDocumentsAfterARemoval() throws {
        let directory = TemporaryDirectory()
        let docs = try buildIndex(directory.path)
        do {
            let writer = try IndexWriter(directory: directory.path)
            #expect(writer.remove("d5"))
            try writer.commit()
        }
        let report = try IndexChecker.check(directory.path)
        let stats = try IndexStatistics(IndexSnapshot.open(directory.path))
        // buildIndex removed d3 already: two stored documents are deleted (one merge may have dropped d3).
        #expect(report.documents == docs.count - 1)
        #expect(stats.documents == report.documents && stats.deletedDocuments == report.deletedDocuments)
    }

    @Test func aSecondWriterIsRefusedWhileTheFirstHoldsTheLock() throws {
        let directory = TemporaryDirectory()
        let first = try IndexWriter(directory: directory.path)
        let error = #expect(throws: IndexError.self) { try IndexWriter(directory: directory.path) }
        guard case .locked? = error else { Issue.record("expected .locked, got \(String(describing: error))"); return }
        _ = first
    }

    @Test func theLockIsReleasedWithTheWriter() throws {
        let directory = TemporaryDirectory()
        var first: IndexWriter? = try IndexWriter(directory: directory.path)
        #expect(throws: IndexError.self) { try IndexWriter(directory: directory.path) }
        #expect(first != nil)
        first = nil
        let reopened = Result { try IndexWriter(directory: directory.path) }
        #expect((try? reopened.get()) != nil, "after the writer went: \(reopened)")
    }

    @Test func anIndexFromAnotherAnalyzerIsRefused() throws {
        let directory = TemporaryDirectory()
        _ = try buildIndex(directory.path)
        var manifest = try Manifest.read(directory.path)
        manifest.tableChecksum ^= 1
        try manifest.write(directory.path)
        let error = #expect(throws: IndexError.self) { try IndexSnapshot.open(directory.path) }
        guard case .analyzerMismatch? = error else { Issue.record("expected .analyzerMismatch, got \(String(describing: error))"); return }
        #expect(throws: IndexError.self) { try IndexWriter(directory: directory.path) }
    }

    @Test func aMissingIndexIsNotFoundAtItsPath() throws {
        let error = #expect(throws: IndexError.self) { try IndexSnapshot.open("/nonexistent/tongwen") }
        #expect(error == .notFound(path: "/nonexistent/tongwen"))
        #expect(error?.description == "no index at /nonexistent/tongwen")
    }

    @Test func readersKeepTheirSnapshotWhileAWriterCommits() throws {
        let directory = TemporaryDirectory()
        let docs = try buildIndex(directory.path)
        let before = try IndexSnapshot.open(directory.path)
        let writer = try IndexWriter(directory: directory.path)
        writer.maxSegments = 1
        for id in docs.keys.sorted().prefix(4) { writer.remove(id) }
        try writer.commit()  // also merges and sweeps the old files
        #expect(before.documentCount == docs.count)
        for global in before.liveDocuments { _ = try before.text(global) }
        #expect(try IndexSnapshot.open(directory.path).documentCount == docs.count - 4)
    }
}
