import Foundation
import Testing
import TongwenAnalysis
@testable import TongwenIndex
@testable import TongwenSearch
import TongwenTestSupport

/// Several indexes searched as one (`--index A --index B`): the same hits, totals and scores as
/// one index over the same documents, whatever way they are split.
@Suite struct ShardSearchTests {
    typealias Doc = (id: String, text: String)

    /// Writes `documents` into a fresh folder (updating `updated` ones and removing `removed` ones
    /// in a second commit, so the shard has deletions) and returns the folder.
    static func index(_ documents: [Doc], updated: [Doc] = [], removed: [String] = []) throws -> String {
        let directory = NSTemporaryDirectory() + "tongwen-shard-" + UUID().uuidString
        let writer = try IndexWriter(directory: directory)
        func add(_ d: Doc) throws {
            let title = String(d.text.prefix(12))
            try writer.add(IndexDocument(id: d.id, title: title, text: d.text, source: d.id, metadata: [:], contentHash: contentHash(Array(d.text.utf8))))
        }
        for d in documents { try add(d) }
        try writer.commit()
        for d in updated { try add(d) }
        for id in removed { _ = writer.remove(id) }
        try writer.commit()
        return directory
    }

    /// Queries of the kinds users type: phrases taken from the documents, terms, AND, OR, NOT.
    static func queries(_ documents: [Doc], _ rng: inout SeededGenerator) -> [String] {
        var pieces: [String] = []
        while pieces.count < 40 {
            let text = Array(documents.randomElement(using: &rng)!.text)
            let length = Int.random(in: 1...5, using: &rng), start = Int.random(in: 0..<max(1, text.count - length), using: &rng)
            let piece = String(text[start..<min(text.count, start + length)]).filter { $0.isLetter || $0.isNumber }
            if !piece.isEmpty { pieces.append(piece) }
        }
        var queries: [String] = []
        for k in stride(from: 0, to: pieces.count - 1, by: 2) {
            let (a, b) = (pieces[k], pieces[k + 1])
            queries += ["\"\(a)\"", a, "\(a) \(b)", "\"\(a)\" OR \"\(b)\"", "\(a) -\"\(b)\""]
        }
        return queries
    }

    @Test(arguments: [1, 2, 3])
    func shardsAnswerAsOneIndex(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let documents: [Doc] = (0..<60).map { ("d\(String(format: "%03d", $0))", RandomText.make(&rng, length: Int.random(in: 20...400, using: &rng))) }
        let rewritten: Doc = (documents[5].id, RandomText.make(&rng, length: 200))
        let removed = documents[Int.random(in: 6..<60, using: &rng)].id
        // The same history either way (a document rewritten, one removed): deleted versions
        // still count in term statistics until a merge, in one index as in the shards.
        let whole = try Self.index(documents.shuffled(using: &rng), updated: [rewritten], removed: [removed])
        // Three shards of random sizes, each with the history of its own documents.
        let cut1 = Int.random(in: 1...30, using: &rng), cut2 = Int.random(in: (cut1 + 1)...59, using: &rng)
        let parts = [Array(documents[..<cut1]), Array(documents[cut1..<cut2]), Array(documents[cut2...])]
        let shards = try parts.map { part in
            try Self.index(part, updated: part.contains { $0.id == rewritten.id } ? [rewritten] : [],
                           removed: part.contains { $0.id == removed } ? [removed] : [])
        }
        let (shard0, shard1, shard2) = (shards[0], shards[1], shards[2])
        let folders = [whole, shard0, shard1, shard2]
        defer { for f in folders { try? FileManager.default.removeItem(atPath: f) } }

        let one = try Searcher.open(whole), sharded = try Searcher.open(shards: [shard0, shard1, shard2])
        #expect(sharded.snapshot.documentCount == one.snapshot.documentCount)
        #expect(sharded.snapshot.totalWords == one.snapshot.totalWords)
        var compared = 0
        for query in Self.queries(documents, &rng) {
            let options = SearchOptions(limit: 1_000, snippets: false)
            let expected = try one.search(query, options: options), got = try sharded.search(query, options: options)
            #expect(got.total == expected.total, "\(query)")
            #expect(got.hits.map(\.id) == expected.hits.map(\.id), "\(query)")
            for (g, e) in zip(got.hits, expected.hits) { #expect(abs(g.score - e.score) <= 1e-6, "\(query): \(g.id)") }
            compared += expected.total
        }
        #expect(compared > 0)
        // A document is found by id in whichever shard holds it.
        let target = parts[2].last!.id == removed ? parts[2][0].id : parts[2].last!.id
        let global = try #require(try sharded.snapshot.find(target))
        #expect(try sharded.snapshot.document(global).id == target)
    }

    @Test func anIdInTwoShardsIsRefusedNamingBoth() throws {
        let a = try Self.index([("x", "城市支持农村"), ("y", "经济发展")])
        let b = try Self.index([("z", "國家建設"), ("y", "另一个版本")])
        defer { for f in [a, b] { try? FileManager.default.removeItem(atPath: f) } }
        #expect {
            _ = try IndexSnapshot.open(shards: [a, b])
        } throws: { error in
            let message = "\(error)"
            return message.contains("'y'") && message.contains(a) && message.contains(b)
        }
        #expect(throws: IndexError.self) { _ = try IndexSnapshot.open(shards: [a, a]) }
    }

    @Test func aCommitToOneShardIsPickedUp() throws {
        let a = try Self.index([("x", "城市支持农村")])
        let b = try Self.index([("z", "國家建設")])
        defer { for f in [a, b] { try? FileManager.default.removeItem(atPath: f) } }
        let sharded = try Searcher.open(shards: [a, b])
        #expect(sharded.snapshot.generations.count == 2)
        let writer = try IndexWriter(directory: b)
        try writer.add(IndexDocument(id: "w", title: "", text: "城市建设", source: "w", metadata: [:], contentHash: contentHash(Array("城市建设".utf8))))
        try writer.commit()
        let before = try sharded.search("城市", options: SearchOptions(snippets: false))
        #expect(before.total == 1)
        let generations = try [a, b].map { (d) throws(IndexError) in try IndexSnapshot.currentGeneration(d) }
        #expect(generations != sharded.snapshot.generations)
        let after = try Searcher.open(shards: [a, b]).search("城市", options: SearchOptions(snippets: false))
        #expect(after.hits.map(\.id).sorted() == ["w", "x"])
    }
}
