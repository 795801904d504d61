/// Disjoint sets over 0..<count with path halving: clusters of near-duplicate documents and of
/// passages.
struct UnionFind {
    private var parent: [Int32]  // 4 bytes an element: passages cluster tens of millions at 1 GB

    init(count: Int) { parent = (0..<Int32(count)).map { $0 } }

    /// The representative of `x`'s set.
    mutating func root(_ x: Int) -> Int {
        var x = Int32(x)
        while parent[Int(x)] != x {
            parent[Int(x)] = parent[Int(parent[Int(x)])]
            x = parent[Int(x)]
        }
        return Int(x)
    }

    /// Joins the sets of `a` and `b`.
    mutating func union(_ a: Int, _ b: Int) {
        let (ra, rb) = (root(a), root(b))
        if ra != rb { parent[ra] = Int32(rb) }
    }
}
