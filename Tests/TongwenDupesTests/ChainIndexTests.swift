import Testing
@testable import TongwenDupes
import TongwenTestSupport

/// The two indexes of the pairwise stage against brute force over seeded inputs: the open chains
/// a match may extend (``OpenChains``) and the diagonals already covered (``PassageFinder/CoveredDiagonals``).
@Suite struct ChainIndexTests {
    typealias Match = PassageFinder.Match

    /// What the linear scan over every chain found: those whose gaps to `m` are 0…maxGap and
    /// within 3 of each other, latest-begun first.
    static func bruteForce(_ chains: [Match], _ m: Match, maxGap: Int) -> [Int32] {
        chains.indices.reversed().filter { c in
            let gapA = Int(m.sa - chains[c].ea), gapB = Int(m.sb - chains[c].eb)
            return gapA >= 0 && gapB >= 0 && gapA <= maxGap && gapB <= maxGap && abs(gapA - gapB) <= 3
        }.map(Int32.init)
    }

    @Test(arguments: [(UInt64(1), 40), (2, 40), (3, 10), (4, 0), (5, -1)])
    func openChainsAreTheScansCandidates(seed: UInt64, maxGap: Int) {
        var random = SeededGenerator(seed: seed)
        var open = OpenChains()
        var chains: [Match] = []
        var found: [Int32] = []
        var start: Int32 = 0
        for _ in 0..<3000 {
            // Starts only grow; diagonals crowd into a few so that many chains are open at once.
            start += Int32.random(in: 0...6, using: &random)
            let diagonal = Int32.random(in: -12...12, using: &random)
            let length = Int32.random(in: 12...30, using: &random)
            let m = Match(a: 0, sa: start, ea: start + length, b: 1, sb: start - diagonal, eb: start - diagonal + length, matched: length)
            open.candidates(for: m, chains, maxGap: maxGap, into: &found)
            #expect(found == Self.bruteForce(chains, m, maxGap: maxGap))
            if let c = found.first.map(Int.init), Bool.random(using: &random) {
                open.move(Int32(c), from: chains[c].ea - chains[c].eb, to: m.ea - m.eb)
                (chains[c].ea, chains[c].eb) = (m.ea, m.eb)
            } else {
                open.add(Int32(chains.count), diagonal: m.ea - m.eb)
                chains.append(m)
            }
        }
    }

    @Test(arguments: [(UInt64(1), 3), (2, 50), (3, 5000)])
    func coveredDiagonalsAnswerAsAListDoes(seed: UInt64, keys: Int) {
        var random = SeededGenerator(seed: seed)
        var covered = PassageFinder.CoveredDiagonals()
        var added: [(PassageFinder.DiagonalKey, Range<Int32>)] = []
        func key() -> PassageFinder.DiagonalKey {
            let k = Int32.random(in: 0..<Int32(keys), using: &random)
            return .init(a: k % 7, b: k / 7, diagonal: k % 2 == 0 ? k : -k)
        }
        for _ in 0..<8000 {
            let k = key(), p = Int32.random(in: 0..<2000, using: &random)
            #expect(covered.covers(k, p) == added.contains { $0.0 == k && $0.1.contains(p) })
            if Int.random(in: 0..<3, using: &random) == 0 {
                let range = p..<(p + Int32.random(in: 1...40, using: &random))
                covered.add(k, range)
                added.append((k, range))
            }
        }
    }
}
