import TongwenAnalysis
import TongwenIndex

/// What a run with default options leaves beside the index, so the next run compares only the
/// documents that are new or changed since: every document's identity (id and content hash), and what the pairwise stage found (alignments, short exact matches, near-duplicate
/// pairs) in each document's comparison units. Pairs of unchanged documents are carried over;
/// pairs with a removed or changed document are dropped. Stored as the side file `dupes-state`
/// (see OnDiskFormat.md, "Side files"); a missing, damaged or outdated state means a full run.
///
/// ```
/// Version(u32) K(u32) W(u32)
/// DocumentCount(vint)
/// Document × DocumentCount: Id(string) ContentHash(u64)
/// AlignmentCount(vint) Match × AlignmentCount
/// ShortMatchCount(vint) Match × ShortMatchCount
///   Match: A(vint) StartA(vint) EndA(vint) B(vint) StartB(vint) EndB(vint) Matched(vint)
/// NearPairCount(vint) (A(vint) B(vint) Jaccard(f64) Containment(f64)) × NearPairCount
/// ```
/// Document numbers index the state's own document list.
struct DupesState {
    struct Key: Hashable, Sendable {
        var id: String
        var contentHash: UInt64
    }

    static let fileName = "dupes-state"
    /// Bump when the pairwise stage changes what it finds. (Version 1 also held each document's
    /// chrome, which is now found again in every run: it depends on the whole archive's templates.)
    static let version: UInt32 = 2

    var documents: [Key]
    var pairs: PassageFinder.PairResults
    var nearPairs: [NearDuplicateFinder.Pair]

    var documentIndex: [Key: Int] {
        Dictionary(documents.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }

    /// Appends what this state found between documents that are still there, renumbered:
    /// `old[d]` is the state's number of current document `d` (nil for a new one), `lengths[d]`
    /// its number of comparison units (a match beyond them is dropped, never trusted).
    func carryOver(to old: [Int?], lengths: [Int], pairs: inout PassageFinder.PairResults, near: inout [NearDuplicateFinder.Pair]) {
        var current = [Int32](repeating: -1, count: documents.count)
        for (doc, previous) in old.enumerated() { if let previous { current[previous] = Int32(doc) } }
        func renumber(_ m: PassageFinder.Match) -> PassageFinder.Match? {
            let a = current[Int(m.a)], b = current[Int(m.b)]
            guard a >= 0, b >= 0, Int(m.ea) <= lengths[Int(a)], Int(m.eb) <= lengths[Int(b)] else { return nil }
            // Keep the finder's order: side a before side b.
            if (a, m.sa) <= (b, m.sb) {
                return PassageFinder.Match(a: a, sa: m.sa, ea: m.ea, b: b, sb: m.sb, eb: m.eb, matched: m.matched)
            }
            return PassageFinder.Match(a: b, sa: m.sb, ea: m.eb, b: a, sb: m.sa, eb: m.ea, matched: m.matched)
        }
        pairs.alignments += self.pairs.alignments.compactMap(renumber)
        pairs.shortMatches += self.pairs.shortMatches.compactMap(renumber)
        for p in nearPairs {
            let a = Int(current[p.a]), b = Int(current[p.b])
            guard a >= 0, b >= 0 else { continue }
            near.append(NearDuplicateFinder.Pair(a: min(a, b), b: max(a, b), jaccard: p.jaccard, containment: p.containment))
        }
    }

    // MARK: Storage

    /// The state saved beside the index in `directory`, if there is a usable one.
    static func load(_ directory: String, name: String = fileName) -> DupesState? {
        guard let bytes = SideFile.read(directory: directory, name: name) else { return nil }
        return bytes.withUnsafeBytes { raw in try? decode(raw, file: directory + "/" + name) }
    }

    func save(_ directory: String) throws {
        try SideFile.write(encoded(), directory: directory, name: Self.fileName)
    }

    func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 64 + documents.count * 64 + (pairs.alignments.count + pairs.shortMatches.count) * 16)
        w.u32(Self.version)
        w.u32(UInt32(Winnowing.k))
        w.u32(UInt32(Winnowing.w))
        w.vint(documents.count)
        for d in documents {
            w.string(d.id)
            w.u64(d.contentHash)
        }
        for list in [pairs.alignments, pairs.shortMatches] {
            w.vint(list.count)
            for m in list {
                for v in [m.a, m.sa, m.ea, m.b, m.sb, m.eb, m.matched] { w.vint(v) }
            }
        }
        w.vint(nearPairs.count)
        for p in nearPairs {
            w.vint(p.a)
            w.vint(p.b)
            w.f64(p.jaccard)
            w.f64(p.containment)
        }
        return w.bytes
    }

    static func decode(_ raw: UnsafeRawBufferPointer, file: String) throws(IndexError) -> DupesState? {
        var r = ByteReader(raw, file: file)
        guard try r.u32() == version, try r.u32() == UInt32(Winnowing.k), try r.u32() == UInt32(Winnowing.w) else { return nil }
        let documentCount = try r.count(max: r.remaining, "document count")
        var documents: [Key] = []
        for _ in 0..<documentCount { documents.append(Key(id: try r.string(), contentHash: try r.u64())) }
        func matches() throws(IndexError) -> [PassageFinder.Match] {
            let count = try r.count(max: r.remaining / 7, "match count")
            var list: [PassageFinder.Match] = []
            list.reserveCapacity(count)
            for _ in 0..<count {
                var v: [Int32] = []
                for _ in 0..<7 { v.append(Int32(try r.count(max: Int(Int32.max), "match field"))) }
                guard Int(v[0]) < documentCount, Int(v[3]) < documentCount, v[1] <= v[2], v[4] <= v[5] else {
                    throw r.corrupt("match outside the state's documents")
                }
                list.append(PassageFinder.Match(a: v[0], sa: v[1], ea: v[2], b: v[3], sb: v[4], eb: v[5], matched: v[6]))
            }
            return list
        }
        let alignments = try matches()
        let shortMatches = try matches()
        var near: [NearDuplicateFinder.Pair] = []
        for _ in 0..<(try r.count(max: r.remaining / 18, "pair count")) {
            let a = try r.count(max: documentCount - 1, "pair document")
            let b = try r.count(max: documentCount - 1, "pair document")
            near.append(NearDuplicateFinder.Pair(a: a, b: b, jaccard: try r.f64(), containment: try r.f64()))
        }
        guard r.isAtEnd else { throw r.corrupt("bytes after the state") }
        return DupesState(documents: documents, pairs: PassageFinder.PairResults(alignments: alignments, shortMatches: shortMatches), nearPairs: near)
    }
}
