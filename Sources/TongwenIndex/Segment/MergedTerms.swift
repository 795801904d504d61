/// The terms of several segments in key order, each distinct key once with the segments holding
/// it: a k-way walk over their sorted dictionaries (merging and `stats` use it).
struct MergedTerms {
    private var cursors: [SegmentReader.TermCursor] = []
    private var heads: [([UInt8], TermInfo)?] = []

    init(_ readers: [SegmentReader]) throws(IndexError) {
        for reader in readers {
            var cursor = try reader.terms()
            heads.append(try cursor.next())
            cursors.append(cursor)
        }
    }

    /// The next key, with (index of the reader, the term there) for each reader holding it.
    mutating func next() throws(IndexError) -> (key: [UInt8], entries: [(reader: Int, info: TermInfo)])? {
        var smallest: [UInt8]?
        for case let (key, _)? in heads where smallest == nil || key.lexicographicallyPrecedes(smallest!) { smallest = key }
        guard let key = smallest else { return nil }
        var entries: [(reader: Int, info: TermInfo)] = []
        for i in heads.indices {
            guard let (k, info) = heads[i], k == key else { continue }
            entries.append((i, info))
            heads[i] = try cursors[i].next()
        }
        return (key, entries)
    }
}
