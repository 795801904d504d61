/// Several indexes (shards, e.g. built by the Spark job in `scripts/spark/`) searched as one.
extension IndexSnapshot {
    /// Opens the current commit of every index in `directories` as one snapshot: shard k's
    /// documents follow shard k − 1's in the global numbering. Each shard must have been built
    /// by this process's analyzer, and no document id may be in two shards
    /// (``IndexError/invalidArgument(_:)`` names the id and both folders).
    public static func open(shards directories: [String]) throws(IndexError) -> IndexSnapshot {
        guard !directories.isEmpty else { throw .invalidArgument("no index folder given") }
        if directories.count == 1 { return try open(directories[0]) }
        var seen = Set<String>()
        var shards: [IndexSnapshot] = []
        for directory in directories {
            guard seen.insert(directory).inserted else { throw .invalidArgument("\(directory) is given twice") }
            shards.append(try open(directory))
        }
        return try IndexSnapshot(combining: shards)
    }

    /// The shards' segments in order, rebased, and the id map of all their live documents (read
    /// once here, so ``find(_:)`` never reads the records again), refusing an id in two shards.
    convenience init(combining shards: [IndexSnapshot]) throws(IndexError) {
        var segments: [LiveSegment] = []
        var ids: [String: Int] = [:]
        var bases: [Int] = []
        for (k, shard) in shards.enumerated() {
            bases.append(segments.last.map { $0.docBase + $0.reader.documentCount } ?? 0)
            for segment in shard.segments {
                let rebased = LiveSegment(reader: segment.reader, deletions: segment.deletions, docBase: bases[k] + segment.docBase)
                segments.append(rebased)
                for doc in 0..<segment.reader.documentCount where !segment.isDeleted(doc) {
                    let id = try segment.reader.document(doc).id
                    if let other = ids.updateValue(rebased.docBase + doc, forKey: id) {
                        let owner = bases.lastIndex { $0 <= other }!
                        throw .invalidArgument("document '\(id)' is in two shards, \(shards[owner].directory) and \(shard.directory): give each document to one shard")
                    }
                }
            }
        }
        self.init(shards: shards, segments: segments, ids: ids)
    }
}
