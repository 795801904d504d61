import Foundation
import Testing
@testable import TongwenIndex
import TongwenTestSupport

/// Acceptance: for random document sets and random add/update/remove/commit sequences, the
/// index's postings equal a brute-force in-memory model — across flushes at a tiny RAM budget,
/// deletes and merges.
@Suite struct RoundTripPropertyTests {
    @Test(arguments: 0..<24)
    func postingsEqualTheBruteForceModel(seed: Int) throws {
        var rng = SeededGenerator(seed: UInt64(seed) &* 7919 &+ 1)
        let directory = TemporaryDirectory()
        var committed: [String: String] = [:]
        var model: [String: String] = [:]
        var writer: IndexWriter? = try IndexWriter(directory: directory.path, ramBudget: Int.random(in: 2_000...40_000, using: &rng))
        writer!.maxSegments = Int.random(in: 2...5, using: &rng)
        let steps = Int.random(in: 20...60, using: &rng)
        for _ in 0..<steps {
            let id = "doc-\(Int.random(in: 0..<25, using: &rng))"
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<60:
                let text = RandomText.make(&rng, length: Int.random(in: 1...160, using: &rng))
                let outcome = try writer!.add(IndexDocument(id: id, title: "t", text: text, source: "/nowhere/\(id)",
                                                            contentHash: contentHash(Array(text.utf8))))
                #expect(outcome == (model[id] == nil ? .added : (model[id] == text ? .unchanged : .updated)))
                model[id] = text
            case 60..<75:
                #expect(writer!.remove(id) == (model[id] != nil))
                model[id] = nil
            case 75..<90:
                try writer!.commit()
                committed = model
                try expectIndex(directory.path, holds: committed)
            default:
                // Reopen: uncommitted changes are lost, as after a crash.
                writer = nil
                writer = try IndexWriter(directory: directory.path, ramBudget: Int.random(in: 2_000...40_000, using: &rng))
                writer!.maxSegments = Int.random(in: 2...5, using: &rng)
                model = committed
            }
        }
        try writer!.commit()
        try expectIndex(directory.path, holds: model)
        try writer!.mergeAll()
        try expectIndex(directory.path, holds: model)
        _ = try IndexChecker.check(directory.path)
    }

    /// Documents added in batches (prepared on two threads, in any order, handed to builders that
    /// flush mid-batch at a tiny RAM budget) make the same segment files as the same documents
    /// added one at a time on the writer's thread, and postings equal the model.
    @Test(arguments: 0..<12)
    func batchesMakeTheSameSegmentsAsSingleAdds(seed: Int) throws {
        var rng = SeededGenerator(seed: UInt64(seed) &* 104_729 &+ 3)
        let budget = Int.random(in: 2_000...60_000, using: &rng)
        let documents = (0..<Int.random(in: 1...120, using: &rng)).map { n -> IndexDocument in
            let text = RandomText.make(&rng, length: Int.random(in: 1...400, using: &rng))
            return IndexDocument(id: "doc-\(n)", title: "t", text: text, source: "/nowhere/\(n)", contentHash: contentHash(Array(text.utf8)))
        }
        let single = TemporaryDirectory(), batched = TemporaryDirectory()
        let one = try IndexWriter(directory: single.path, ramBudget: budget)
        for document in documents { try one.add(document) }
        try one.commit()
        let many = try IndexWriter(directory: batched.path, ramBudget: budget)
        var rest = documents[...]
        while !rest.isEmpty {
            let batch = rest.prefix(Int.random(in: 1...40, using: &rng))
            rest = rest.dropFirst(batch.count)
            for outcome in try many.add(contentsOf: Array(batch)) { #expect(try outcome.get() == .added) }
        }
        try many.commit()
        let files = FileSystem.list(single.path).filter { $0.hasPrefix("seg-") }.sorted()
        #expect(files == FileSystem.list(batched.path).filter { $0.hasPrefix("seg-") }.sorted())
        for name in files {
            #expect(FileManager.default.contents(atPath: single.path + "/" + name) == FileManager.default.contents(atPath: batched.path + "/" + name),
                    "\(name) differs")
        }
        try expectIndex(batched.path, holds: Dictionary(uniqueKeysWithValues: documents.map { ($0.id, $0.text) }))
    }

    func expectIndex(_ path: String, holds documents: [String: String]) throws {
        let snapshot = try IndexSnapshot.open(path)
        #expect(snapshot.documentCount == documents.count)
        let expected = try BruteForce.postings(documents)
        let actual = try BruteForce.postings(in: snapshot)
        #expect(actual.count == expected.count)
        for (term, docs) in expected where actual[term] != docs {
            Issue.record("term \(term): expected \(docs), index has \(actual[term] ?? [:])")
            break
        }
        for global in snapshot.liveDocuments {
            let record = try snapshot.document(global)
            #expect(try snapshot.text(global) == documents[record.id])
        }
        #expect(try IndexChecker.check(path).segments == snapshot.segments.count)
    }
}
