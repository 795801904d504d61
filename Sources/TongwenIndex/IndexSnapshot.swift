import Synchronization
import TongwenAnalysis

/// A segment as one snapshot sees it: its reader, its deleted documents, and where its
/// documents start in the snapshot's global numbering.
public struct LiveSegment: Sendable {
    public let reader: SegmentReader
    let deletions: DeletionSet?
    /// Global id of the segment's document 0.
    public let docBase: Int

    /// Whether segment-local document `doc` is deleted.
    @inline(__always)
    public func isDeleted(_ doc: Int) -> Bool { deletions?.contains(doc) ?? false }
    public var liveCount: Int { reader.documentCount - (deletions?.count ?? 0) }
}

/// A read-only view of one committed state of the index. Writers never change what a snapshot
/// sees: segment files are immutable, and files a later commit drops stay readable through the
/// mappings this snapshot holds.
///
/// A snapshot may also show several indexes (shards) as one (``open(shards:)``): their segments
/// one after another in the global numbering, so document counts, lengths and term statistics
/// are the sums over the shards, as one index over the same documents would have them.
public final class IndexSnapshot: Sendable {
    /// The index folder (the first shard's when there are several: see ``directories``).
    public let directory: String
    /// Every shard's folder, in order (one for a plain index).
    public let directories: [String]
    /// The commit this snapshot shows; over several shards the sum of theirs (it grows whenever
    /// one of them commits).
    public let generation: UInt64
    /// Each shard's commit, in the order of ``directories``.
    public let generations: [UInt64]
    public let segments: [LiveSegment]
    /// Live (not deleted) documents.
    public let documentCount: Int
    /// Sum of the live documents' word counts (BM25's average length).
    public let totalWords: Int
    public let icuVersion: String
    /// The OpenCC dictionaries (`VERSION` line) the index was built with.
    public let openccVersion: String
    public let tableChecksum: UInt64
    private let idMap = Mutex<[String: Int]?>(nil)

    /// Opens the index's current commit. Fails with ``IndexError/notFound(path:)`` when there is
    /// none, and with ``IndexError/analyzerMismatch(detail:)`` when it was built by another ICU
    /// version or normalization table than this process uses.
    public static func open(_ directory: String) throws(IndexError) -> IndexSnapshot {
        var lastError: IndexError = .notFound(path: directory)
        // A commit may replace files between reading the manifest and opening them: retry on a
        // newer manifest.
        for _ in 0..<8 {
            let manifest = try Manifest.read(directory)
            do {
                return try IndexSnapshot(directory: directory, manifest: manifest)
            } catch {
                lastError = error
                if let again = try? Manifest.read(directory), again.generation != manifest.generation { continue }
                throw error
            }
        }
        throw lastError
    }

    /// The generation of the index's current commit (reads only the manifest): a reader polls it
    /// to notice a new commit.
    public static func currentGeneration(_ directory: String) throws(IndexError) -> UInt64 {
        try Manifest.read(directory).generation
    }

    init(directory: String, manifest: Manifest) throws(IndexError) {
        try Self.checkAnalyzer(manifest)
        self.directory = directory
        directories = [directory]
        generation = manifest.generation
        generations = [manifest.generation]
        icuVersion = manifest.icuVersion
        openccVersion = manifest.openccVersion
        tableChecksum = manifest.tableChecksum
        var segments: [LiveSegment] = []
        var base = 0, live = 0, words = 0
        for entry in manifest.segments {
            let files = SegmentFiles(directory: directory, id: entry.id)
            let reader = try SegmentReader(files)
            guard reader.documentCount == entry.documentCount else {
                throw .corrupt(file: files.documents, offset: FileFrame.headerSize,
                               detail: "holds \(reader.documentCount) documents, the manifest says \(entry.documentCount)")
            }
            var deletions: DeletionSet?
            if entry.deletesGeneration != 0 {
                let set = try DeletionSet.read(files.deletes(generation: entry.deletesGeneration), documentCount: reader.documentCount)
                guard set.count == entry.deletedCount else {
                    throw .corrupt(file: files.deletes(generation: entry.deletesGeneration), offset: FileFrame.headerSize,
                                   detail: "\(set.count) deleted documents, the manifest says \(entry.deletedCount)")
                }
                deletions = set
            }
            let segment = LiveSegment(reader: reader, deletions: deletions, docBase: base)
            var segmentWords = reader.totalWords
            if let deletions {
                for doc in 0..<reader.documentCount where deletions.contains(doc) { segmentWords -= reader.wordCount(doc) }
            }
            words += segmentWords
            live += segment.liveCount
            base += reader.documentCount
            segments.append(segment)
        }
        self.segments = segments
        documentCount = live
        totalWords = words
    }

    /// Several shards as one (see ``open(shards:)``): `segments` are theirs, rebased; `ids` maps
    /// every live document's id to its global number.
    init(shards: [IndexSnapshot], segments: [LiveSegment], ids: [String: Int]) {
        directory = shards[0].directory
        directories = shards.flatMap(\.directories)
        generations = shards.flatMap(\.generations)
        generation = generations.reduce(0, +)
        (icuVersion, openccVersion, tableChecksum) = (shards[0].icuVersion, shards[0].openccVersion, shards[0].tableChecksum)
        self.segments = segments
        documentCount = shards.map(\.documentCount).reduce(0, +)
        totalWords = shards.map(\.totalWords).reduce(0, +)
        idMap.withLock { $0 = ids }
    }

    static func checkAnalyzer(_ manifest: Manifest) throws(IndexError) {
        let table: NormalizationTable
        do { table = try NormalizationTable.shared() } catch {
            throw .analyzerMismatch(detail: "this process cannot build its normalization table: \(error)")
        }
        if manifest.icuVersion != table.icuVersion {
            throw .analyzerMismatch(detail: "ICU \(manifest.icuVersion) built it, this process uses ICU \(table.icuVersion)")
        }
        if manifest.tableChecksum != table.checksum {
            throw .analyzerMismatch(detail: "normalization table \(String(manifest.tableChecksum, radix: 16)) built it, this process has \(String(table.checksum, radix: 16))")
        }
        if manifest.analyzerVersion != Manifest.analyzerVersion {
            throw .analyzerMismatch(detail: "analyzer rules version \(manifest.analyzerVersion) built it, this build has \(Manifest.analyzerVersion)")
        }
        let dictionaries: VariantDictionaries
        do { dictionaries = try VariantDictionaries.shared() } catch {
            throw .analyzerMismatch(detail: "\(error)")
        }
        if manifest.openccVersion != dictionaries.version || manifest.openccChecksum != dictionaries.checksum {
            throw .analyzerMismatch(detail: "OpenCC dictionaries \(manifest.openccVersion) (\(String(manifest.openccChecksum, radix: 16))) built it, this process has \(dictionaries.version) (\(String(dictionaries.checksum, radix: 16))) in \(dictionaries.directory)")
        }
    }

    /// Total documents including deleted ones: global ids run 0..<documentSlots.
    public var documentSlots: Int { segments.last.map { $0.docBase + $0.reader.documentCount } ?? 0 }

    /// The segment holding global document `global`, and the local id in it.
    public func locate(_ global: Int) -> (LiveSegment, Int) {
        var lo = 0, hi = segments.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if segments[mid].docBase <= global { lo = mid } else { hi = mid - 1 }
        }
        return (segments[lo], global - segments[lo].docBase)
    }

    /// The global id of the live document with external id `id`, if any.
    public func find(_ id: String) throws(IndexError) -> Int? {
        if let map = idMap.withLock({ $0 }) { return map[id] }
        var map: [String: Int] = [:]
        for segment in segments {
            for doc in 0..<segment.reader.documentCount where !segment.isDeleted(doc) {
                map[try segment.reader.document(doc).id] = segment.docBase + doc
            }
        }
        idMap.withLock { $0 = map }
        return map[id]
    }

    /// The stored record of global document `global`.
    public func document(_ global: Int) throws(IndexError) -> StoredDocument {
        let (segment, doc) = locate(global)
        return try segment.reader.document(doc)
    }

    /// The original text of global document `global`.
    public func text(_ global: Int) throws(IndexError) -> String {
        let (segment, doc) = locate(global)
        return try segment.reader.text(doc)
    }

    /// The winnowing fingerprints of global document `global`, as stored by the writer.
    public func fingerprints(_ global: Int) throws(IndexError) -> [Winnowing.Fingerprint] {
        let (segment, doc) = locate(global)
        return try segment.reader.fingerprints(doc)
    }

    /// Drops the pages read so far of every segment's files from the resident set (they stay
    /// in the page cache): for passes over the whole archive.
    public func releaseResidentPages() {
        for segment in segments { segment.reader.releaseResidentPages() }
    }

    /// Every live document's global id, in order.
    public var liveDocuments: [Int] {
        segments.flatMap { s in (0..<s.reader.documentCount).lazy.filter { !s.isDeleted($0) }.map { s.docBase + $0 } }
    }
}
