import Testing
@testable import TongwenDupes
import TongwenAnalysis
import TongwenTestSupport

/// Stage 2's seed table against a brute-force grouping of the same occurrences, and the 16-bit
/// comparison units.
@Suite struct SeedTableTests {
    /// Occurrences of `hashes` distinct values (few, so groups form; some at the top of the
    /// hash range, where the last bucket ends) in `documents` documents.
    static func occurrences(seed: UInt64, count: Int, hashes: Int, documents: Int) -> [PassageFinder.Seed] {
        var random = SeededGenerator(seed: seed)
        let values = (0..<hashes).map { k in k % 7 == 0 ? UInt32.max - UInt32(k) : UInt32.random(in: 0...UInt32.max, using: &random) }
        return (0..<count).map { _ in
            .init(hash: values.randomElement(using: &random)!, doc: Int32.random(in: 0..<Int32(documents), using: &random),
                  position: Int32.random(in: 0..<5000, using: &random))
        }
    }

    static func table(_ occurrences: [PassageFinder.Seed]) throws -> SeedTable {
        try SeedTable(expected: occurrences.count) { visit in occurrences.forEach(visit) }
    }

    @Test(arguments: [(1, 0), (2, 40), (3, 3000), (4, 20000)])
    func groupsEqualABruteForceGrouping(seed: UInt64, count: Int) throws {
        let all = Self.occurrences(seed: seed, count: count, hashes: max(1, count / 3), documents: 50)
        let table = try Self.table(all)
        let repeated = Dictionary(grouping: all, by: \.hash).filter { $0.value.count >= 2 }
        // Only hashes found more than once are kept, sorted by (hash, document, position).
        #expect(table.count == repeated.values.reduce(0) { $0 + $1.count })
        #expect((0..<table.count).map { table[$0] } == repeated.values.flatMap { $0 }.sorted())
        for doc in 0..<5 {
            let own = all.filter { $0.doc == Int32(doc) }.map { Winnowing.Fingerprint(hash: $0.hash, position: $0.position) }
            let groups = table.groups(of: own)
            let expected = Set(own.map(\.hash)).filter { repeated[$0] != nil }.sorted()
            #expect(groups.map { table[$0.lowerBound].hash } == expected)
            for group in groups {
                let hash = table[group.lowerBound].hash
                #expect(group.allSatisfy { table[$0].hash == hash } && group.count == repeated[hash]!.count)
                let mine = table.occurrences(in: group, of: Int32(doc))
                #expect(mine.count == repeated[hash]!.count { $0.doc == Int32(doc) } && mine.allSatisfy { table[$0].doc == Int32(doc) })
            }
        }
    }

    @Test func unitsKeepBasicPlaneCharactersAndFoldTheRestIntoTheSpareRange() {
        for u: UInt32 in [0, 0x41, 0x4E2D, 0x9FA5, 0xD7FF, 0xF900, 0xFF21, 0xFFFF] { #expect(CompactUnits.unit(u) == UInt16(u)) }
        for u: UInt32 in [0xE000, 0xF8FF, 0x20000, 0x2A6D6, 0x30000, 0x10FFFF] {
            #expect(CompactUnits.spare.contains(UInt32(CompactUnits.unit(u))))
        }
        #expect(CompactUnits.barrier == 0 && CompactUnits.unit(DedupText.barrier) == CompactUnits.barrier)
        // Distinct supplementary characters mostly stay distinct.
        let folded = Set((0x20000..<0x20400).map { CompactUnits.unit(UInt32($0)) })
        #expect(folded.count > 900)
    }

    /// Stage 3's packed alignments unpack to exactly the matches packed, in order, whatever the
    /// fields (sorted runs, jumps back, the extremes of Int32).
    @Test(arguments: [0, 1, 2, 3])
    func packedMatchesUnpackToTheSame(seed: UInt64) {
        var random = SeededGenerator(seed: seed &+ 11)
        let extremes: [Int32] = [0, 1, Int32.max, Int32.min, -1]
        func field() -> Int32 {
            Int.random(in: 0..<10, using: &random) == 0 ? extremes.randomElement(using: &random)! : Int32.random(in: 0..<300_000, using: &random)
        }
        let matches = (0..<Int.random(in: 0...500, using: &random)).map { _ in
            PassageFinder.Match(a: field(), sa: field(), ea: field(), b: field(), sb: field(), eb: field(), matched: field())
        }
        var unpacked: [PassageFinder.Match] = []
        PackedMatches(matches).forEach { unpacked.append($0) }
        #expect(unpacked.count == matches.count)
        for (x, y) in zip(matches, unpacked) {
            #expect([x.a, x.sa, x.ea, x.b, x.sb, x.eb, x.matched] == [y.a, y.sa, y.ea, y.b, y.sb, y.eb, y.matched])
        }
    }
}
