/// The chains of one document pair that a later match may still extend (step 2 of
/// ``PassageFinder``), filed by the diagonal their last match ends on. A match extends a chain
/// only when both gaps are 0…maxGap and differ by at most 3, so only the chains on the 7
/// diagonals around the match's are looked at: a pair with thousands of matches (two sitting
/// records) no longer scans every open chain for each one. Matches come in increasing start, so
/// a chain ending more than maxGap before one never takes another and is dropped as it is met.
struct OpenChains {
    private var byDiagonal: [Int32: [Int32]] = [:]

    /// Empties the index for the next pair (keeping its storage).
    mutating func reset() { byDiagonal.removeAll(keepingCapacity: true) }

    /// Files chain `index`, whose last match ends on `diagonal` (end in a − end in b).
    mutating func add(_ index: Int32, diagonal: Int32) { byDiagonal[diagonal, default: []].append(index) }

    /// Files chain `index` under its new end diagonal once a match extended it.
    mutating func move(_ index: Int32, from old: Int32, to new: Int32) {
        guard old != new else { return }
        if let k = byDiagonal[old]?.firstIndex(of: index) { byDiagonal[old]!.remove(at: k) }
        add(index, diagonal: new)
    }

    /// Into `out`, the chains of `chains` whose gaps to `m` are both 0…`maxGap` and within 3 of
    /// each other, latest-begun first; chains that can take no later match are dropped.
    mutating func candidates(for m: Match, _ chains: [Match], maxGap: Int, into out: inout [Int32]) {
        out.removeAll(keepingCapacity: true)
        guard maxGap >= 0 else { return }
        let diagonal = m.sa - m.sb
        for d in (diagonal - 3)...(diagonal + 3) {
            guard let slot = byDiagonal.index(forKey: d) else { continue }
            byDiagonal.values[slot].removeAll { Int(m.sa - chains[Int($0)].ea) > maxGap }  // (in place)
            for c in byDiagonal.values[slot] {
                let chain = chains[Int(c)]
                let gapA = Int(m.sa - chain.ea), gapB = Int(m.sb - chain.eb)
                if gapA >= 0 && gapB >= 0 && gapB <= maxGap && abs(gapA - gapB) <= 3 { out.append(c) }
            }
        }
        out.sort(by: >)
    }

    typealias Match = PassageFinder.Match
}
