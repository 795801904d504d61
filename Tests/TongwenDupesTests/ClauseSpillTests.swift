import Foundation
import Testing
@testable import TongwenDupes
import TongwenTestSupport

/// The clauses stage 1 spills come back as they went in: from the temporary file, from memory,
/// and when writing fails part way (a full disk: `/dev/full`).
@Suite struct ClauseSpillTests {
    static func lists(seed: UInt64) -> [[StockPhrases.Clause]] {
        var rng = SeededGenerator(seed: seed)
        return (0..<40).map { _ in
            (0..<Int.random(in: 0...700, using: &rng)).map { _ in
                StockPhrases.Clause(hash: rng.next(), start: Int32.random(in: 0...1_000_000, using: &rng), length: Int32.random(in: 4...19, using: &rng))
            }
        }
    }

    static func same(_ a: [[StockPhrases.Clause]], _ b: [[StockPhrases.Clause]]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in
            x.count == y.count && zip(x, y).allSatisfy { ($0.hash, $0.start, $0.length) == ($1.hash, $1.start, $1.length) }
        }
    }

    @Test(arguments: ["temporary file", "memory", "full disk"])
    func clausesComeBackInOrder(where place: String) throws {
        let file: UnsafeMutablePointer<FILE>? = switch place {
        case "temporary file": tmpfile()
        case "full disk": fopen("/dev/full", "w+")
        default: nil
        }
        if place != "memory" { try #require(file != nil) }
        let spill = ClauseSpill(file: file)
        let lists = Self.lists(seed: 11)
        for list in lists { spill.append(list) }
        #expect(Self.same(spill.readAll(), lists))
        #expect(spill.readAll().isEmpty)
    }
}
