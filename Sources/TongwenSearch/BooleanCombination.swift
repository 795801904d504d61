extension Searcher {
    // MARK: Boolean combination

    func combine(_ plan: Plan, _ matches: [LeafMatch], _ documents: DocumentTable) -> [Int] {
        func all() -> [Int] { documents.live.indices.filter { documents.live[$0] } }
        func evaluate(_ plan: Plan) -> (docs: [Int], negated: Bool) {
            switch plan {
            case let .leaf(i):
                return (matches[i].docs, false)
            case let .not(child):
                let (docs, negated) = evaluate(child)
                return (docs, !negated)
            case let .and(children):
                var positive: [Int]?
                var negative: [Int] = []
                for child in children {
                    let (docs, negated) = evaluate(child)
                    if negated { negative = SortedSet.union(negative, docs) } else { positive = positive.map { SortedSet.intersection($0, docs) } ?? docs }
                }
                guard let positive else { return (negative, true) }
                return (SortedSet.difference(positive, negative), false)
            case let .or(children):
                var docs: [Int] = []
                for child in children {
                    let (d, negated) = evaluate(child)
                    docs = SortedSet.union(docs, negated ? SortedSet.difference(all(), d) : d)
                }
                return (docs, false)
            }
        }
        let (docs, negated) = evaluate(plan)
        return negated ? SortedSet.difference(all(), docs) : docs
    }
}

/// Set operations on ascending arrays of document ids.
enum SortedSet {
    static func intersection(_ a: [Int], _ b: [Int]) -> [Int] {
        var out: [Int] = []
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] < b[j] { i += 1 } else if a[i] > b[j] { j += 1 } else { out.append(a[i]); i += 1; j += 1 }
        }
        return out
    }

    static func union(_ a: [Int], _ b: [Int]) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i] < b[j]) { out.append(a[i]); i += 1 } else if i == a.count || b[j] < a[i] { out.append(b[j]); j += 1 } else { out.append(a[i]); i += 1; j += 1 }
        }
        return out
    }

    static func difference(_ a: [Int], _ b: [Int]) -> [Int] {
        var out: [Int] = []
        var j = 0
        for x in a {
            while j < b.count && b[j] < x { j += 1 }
            if j < b.count && b[j] == x { continue }
            out.append(x)
        }
        return out
    }
}
