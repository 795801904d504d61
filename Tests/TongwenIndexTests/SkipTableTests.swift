import Foundation
import Testing
@testable import TongwenIndex
import TongwenTestSupport

/// Long doc streams carry a skip table (a block of 128 documents per entry): decoding only some
/// documents through it must give exactly the entries a whole decode gives for them, with the
/// same positions, after a flush and after a merge; and `check` verifies every entry.
@Suite struct SkipTableTests {
    /// 700 documents over six characters, so most terms span several blocks; two segments then
    /// merged into one, when `merged`.
    static func makeIndex(_ directory: TemporaryDirectory, merged: Bool, seed: UInt64) throws -> IndexSnapshot {
        var rng = SeededGenerator(seed: seed)
        let alphabet = Array("经济发展国家").map(String.init)
        let writer = try IndexWriter(directory: directory.path)
        for n in 0..<700 {
            // Some documents lack most terms, so lists have gaps of every size.
            let length = n % 7 == 0 ? 1 : Int.random(in: 2...40, using: &rng)
            let text = (0..<length).map { _ in alphabet.randomElement(using: &rng)! }.joined()
            _ = try writer.add(IndexDocument(id: "d\(n)", title: "", text: text, source: "/nowhere/d\(n)", contentHash: contentHash(Array(text.utf8))))
            if n == 350 { try writer.commit() }
        }
        try writer.commit()
        if merged { try writer.mergeAll() }
        return try IndexSnapshot.open(directory.path)
    }

    @Test(arguments: [false, true])
    func decodingSomeDocumentsMatchesTheWholeList(merged: Bool) throws {
        let directory = TemporaryDirectory()
        let snapshot = try Self.makeIndex(directory, merged: merged, seed: merged ? 11 : 12)
        var rng = SeededGenerator(seed: 99)
        var longLists = 0
        for segment in snapshot.segments {
            let reader = segment.reader
            var cursor = try reader.terms()
            while let (key, info) = try cursor.next() {
                guard let kind = TermKind(rawValue: key[0]), info.docFreq > SkipTable.interval else { continue }
                longLists += 1
                #expect(try reader.skipEntries(info).count == SkipTable.count(docFreq: info.docFreq))
                var docs: [Int32] = [], tfs: [Int32] = [], starts: [Int32] = []
                try reader.decodePostings(info, positional: kind.hasPositions, docs: &docs, tfs: &tfs, positionStarts: &starts)
                for _ in 0..<12 {
                    let share = Int.random(in: 1...60, using: &rng)
                    let wanted = (0..<Int32(reader.documentCount)).filter { _ in Int.random(in: 0..<100, using: &rng) < share }
                    var someDocs: [Int32] = [], someTfs: [Int32] = [], someStarts: [Int32] = [], someEnds: [Int32] = []
                    try reader.decodePostings(info, positional: kind.hasPositions, only: wanted, docs: &someDocs, tfs: &someTfs,
                                              positionStarts: &someStarts, positionEnds: &someEnds)
                    let kept = docs.indices.filter { Set(wanted).contains(docs[$0]) }
                    #expect(someDocs == kept.map { docs[$0] })
                    #expect(someTfs == kept.map { tfs[$0] })
                    guard kind.hasPositions else { continue }
                    #expect(someStarts == kept.map { starts[$0] })
                    let ends = kept.map { $0 + 1 < starts.count ? starts[$0 + 1] : Int32(info.positionsByteCount) }
                    #expect(someEnds == ends)
                }
            }
        }
        #expect(longLists >= 6, "the fixture should have long lists")
        let report = try IndexChecker.check(directory.path)
        #expect(report.documents == 700)
    }
}
