import Dispatch
import Synchronization
import TongwenAnalysis

/// The index's single writer. It holds the folder's OS lock from `init` until it is released, adds,
/// replaces and removes documents, and makes them visible only at ``commit()``: new segments are
/// written and fsynced first, then the manifest is replaced atomically. A writer that dies at any
/// moment leaves the last committed state intact; the files it left behind are swept by the next.
///
/// ```swift
/// let writer = try IndexWriter(directory: "index")
/// try writer.add(IndexDocument(id: "a.txt", title: "…", text: "…", source: "a.txt", contentHash: h))
/// try writer.commit()
/// ```
public final class IndexWriter {
    enum Location: Equatable {
        /// In a segment on disk (committed, or flushed during this batch).
        case segment(UInt64, Int)
        /// In the in-memory builder.
        case building(Int)
    }

    struct LiveDocument {
        var location: Location
        var contentHash: UInt64
        var source: String
    }

    /// What ``add(_:)`` did.
    public enum AddOutcome: Sendable { case added, updated, unchanged }

    public let directory: String
    /// Flush the in-memory segment when it holds about this many bytes.
    public var ramBudget: Int
    /// Merge when there are more segments than this.
    public var maxSegments = 8
    /// Store documents' cross-strait alternates (the default). Off only to measure what they cost
    /// (`scripts/bench`); an index built without them misses the document side of variants.
    public var storesAlternates = true

    private let lock: WriterLock
    private let analyzer: Analyzer
    /// The analyzers of the two preparing threads of ``add(contentsOf:)``.
    private let backgroundAnalyzers: [Analyzer]
    private var manifest: Manifest
    private var readers: [UInt64: SegmentReader] = [:]
    private var deletions: [UInt64: DeletionSet] = [:]
    private var changedDeletions: Set<UInt64> = []
    private var flushed: [UInt64] = []
    private var live: [String: LiveDocument] = [:]
    private var builder = SegmentBuilder()
    private var builderDeleted: [Int] = []
    /// Counts the builders: one more at each flush.
    private var builderGeneration = 0
    private var preparing = PreparingTerms(builder: -1, threads: 0)
    /// Called before each step of a commit or merge (`flush`, `deletes`, `manifest`, `collect`,
    /// `merge`) and before each document is added (`add`); the crash tests' writer dies at chosen ones.
    @_spi(Testing) public var onCommitStep: ((String) -> Void)?

    /// Opens (or creates) the index in `directory` for writing.
    /// - Throws: ``IndexError/locked(path:holder:)`` when another writer holds it,
    ///   ``IndexError/analyzerMismatch(detail:)`` when it was built with another analyzer.
    ///   ``IndexError/notAnIndex(path:entry:)`` when the folder holds anything but an index.
    public init(directory: String, ramBudget: Int = 256 << 20) throws(IndexError) {
        self.directory = directory
        self.ramBudget = ramBudget
        try FileSystem.makeDirectory(directory)
        // A folder is an index (it has a manifest) or empty: never write among a user's files.
        if !FileSystem.exists(SegmentFiles.manifest(directory)),
           let other = FileSystem.list(directory).first(where: { $0 != WriterLock.fileName }) {
            throw .notAnIndex(path: directory, entry: other)
        }
        lock = try WriterLock(directory: directory)
        do {
            analyzer = try Analyzer()
            backgroundAnalyzers = [try Analyzer(table: analyzer.table), try Analyzer(table: analyzer.table)]
        } catch {
            throw .analyzerMismatch(detail: "cannot start the analyzer: \(error)")
        }
        if FileSystem.exists(SegmentFiles.manifest(directory)) {
            manifest = try Manifest.read(directory)
            try IndexSnapshot.checkAnalyzer(manifest)
        } else {
            manifest = Manifest(icuVersion: analyzer.table.icuVersion, tableChecksum: analyzer.table.checksum)
            do {
                let dictionaries = try analyzer.variants().dictionaries
                manifest.openccVersion = dictionaries.version
                manifest.openccChecksum = dictionaries.checksum
            } catch {
                throw .analyzerMismatch(detail: "cannot start the variant converter: \(error)")
            }
            // The folder is an index from now on (generation 0, empty), so a writer that dies
            // before its first commit leaves an index, not a folder of stray files.
            try manifest.write(directory)
        }
        for entry in manifest.segments {
            let files = SegmentFiles(directory: directory, id: entry.id)
            let reader = try SegmentReader(files)
            readers[entry.id] = reader
            if entry.deletesGeneration != 0 {
                deletions[entry.id] = try DeletionSet.read(files.deletes(generation: entry.deletesGeneration), documentCount: reader.documentCount)
            }
            for doc in 0..<reader.documentCount where !(deletions[entry.id]?.contains(doc) ?? false) {
                let record = try reader.document(doc)
                live[record.id] = LiveDocument(location: .segment(entry.id, doc), contentHash: record.contentHash, source: record.source)
            }
        }
        collectGarbage()
    }

    /// Live documents, committed or not.
    public var documentCount: Int { live.count }

    /// The content hash of the live document `id`, if any (to skip unchanged inputs cheaply).
    public func contentHash(of id: String) -> UInt64? { live[id]?.contentHash }

    /// Ids and sources of all live documents (to prune those whose files are gone).
    public var documents: [(id: String, source: String)] { live.map { ($0.key, $0.value.source) } }

    /// Adds `document`, replacing a live document with the same id unless its hash is unchanged.
    @discardableResult
    public func add(_ document: IndexDocument) throws(IndexError) -> AddOutcome {
        if let outcome = try precheck(document) { return outcome }
        let analyzed: AnalyzedDocument
        do { analyzed = try AnalyzedDocument(document.text, analyzer, alternates: storesAlternates) } catch {
            throw .invalidArgument("\(document.id): analysis failed: \(error)")
        }
        return try insert(document, analyzed)
    }

    /// Adds many documents. Two threads prepare them (tokens, alternates, fingerprints, term
    /// ids, compressed text: ``PreparedDocument``), each taking the next document not yet taken,
    /// so one large document never holds up the other thread; this one adds them to the segment
    /// in order as they become ready (renumbering terms, appending postings).
    public func add(contentsOf documents: [IndexDocument]) throws(IndexError) -> [Result<AddOutcome, IndexError>] {
        var outcomes: [Result<AddOutcome, IndexError>?] = Array(repeating: nil, count: documents.count)
        var work: [Int] = []
        for (i, document) in documents.enumerated() {
            do {
                if let outcome = try precheck(document) { outcomes[i] = .success(outcome) } else { work.append(i) }
            } catch {
                outcomes[i] = .failure(error)
            }
        }
        // The threads' term ids start over once the builder they were made for is flushed.
        if preparing.startedFor != builderGeneration { preparing = PreparingTerms(builder: builderGeneration, threads: backgroundAnalyzers.count) }
        let preparation = Preparation(documents: documents, work: work, analyzers: backgroundAnalyzers, terms: preparing.terms,
                                      alternates: storesAlternates)
        preparation.start()
        for (k, i) in work.enumerated() {
            let (worker, result) = preparation.take(k)
            guard case let .success(prepared) = result else {
                if case let .failure(error) = result { outcomes[i] = .failure(.invalidArgument("\(documents[i].id): analysis failed: \(error)")) }
                continue
            }
            if preparing.mappedFor != builderGeneration {  // flushed during this batch: map terms again as needed
                preparing.mappedFor = builderGeneration
                preparing.mappings = preparing.mappings.map { _ in [] }
            }
            preparing.handed[worker].append(prepared.newTerms)
            do {
                outcomes[i] = .success(try insert(documents[i], prepared, terms: preparing.handed[worker], mapping: &preparing.mappings[worker]))
            } catch {
                outcomes[i] = .failure(error)
            }
        }
        preparation.wait()
        return outcomes.map { $0! }
    }

    /// What the preparing threads of ``add(contentsOf:)`` keep between batches: per thread, its
    /// term ids (made since builder `startedFor`), the terms it has handed over, and their ids in
    /// builder `mappedFor` (builders by ``builderGeneration``).
    struct PreparingTerms {
        let startedFor: Int
        var mappedFor: Int
        let terms: [ThreadTerms]
        var handed: [PreparedDocument.NewTerms]
        var mappings: [[Int32]]

        init(builder: Int, threads: Int) {
            (startedFor, mappedFor) = (builder, builder)
            terms = (0..<threads).map { _ in ThreadTerms() }
            handed = Array(repeating: .init(), count: threads)
            mappings = Array(repeating: [], count: threads)
        }
    }

    /// Validates `document`; returns `.unchanged` when its hash matches the live one.
    private func precheck(_ document: IndexDocument) throws(IndexError) -> AddOutcome? {
        guard !document.id.isEmpty else { throw .invalidArgument("a document needs a non-empty id") }
        if let existing = live[document.id], existing.contentHash == document.contentHash { return .unchanged }
        return nil
    }

    private func insert(_ document: IndexDocument, _ analyzed: AnalyzedDocument) throws(IndexError) -> AddOutcome {
        try insert(document) { builder in
            builder.add(document, analyzed.analysis, alternates: analyzed.alternates, fingerprints: analyzed.fingerprints, analyzer: analyzer)
        }
    }

    /// Inserts a document a preparing thread made; `terms` are all the terms that thread handed
    /// over, `mapping` their ids in the builder so far.
    private func insert(_ document: IndexDocument, _ prepared: PreparedDocument, terms: PreparedDocument.NewTerms,
                        mapping: inout [Int32]) throws(IndexError) -> AddOutcome {
        try insert(document) { builder in builder.add(document, prepared, terms: terms, mapping: &mapping) }
    }

    private func insert(_ document: IndexDocument, _ add: (SegmentBuilder) -> Int) throws(IndexError) -> AddOutcome {
        onCommitStep?("add")
        let existed = live[document.id] != nil
        if existed { delete(document.id) }
        let doc = add(builder)
        live[document.id] = LiveDocument(location: .building(doc), contentHash: document.contentHash, source: document.source)
        if builder.estimatedBytes >= ramBudget { try flush() }
        return existed ? .updated : .added
    }

    /// Removes the live document `id`; returns whether there was one.
    @discardableResult
    public func remove(_ id: String) -> Bool {
        guard live[id] != nil else { return false }
        delete(id)
        return true
    }

    private func delete(_ id: String) {
        guard let doc = live.removeValue(forKey: id) else { return }
        switch doc.location {
        case let .building(local):
            builderDeleted.append(local)
        case let .segment(segment, local):
            let count = readers[segment]!.documentCount
            deletions[segment, default: DeletionSet(documentCount: count)].insert(local)
            changedDeletions.insert(segment)
        }
    }

    /// Writes the in-memory documents as a new segment (not yet committed).
    private func flush() throws(IndexError) {
        guard builder.documentCount > 0 else { return }
        let id = manifest.nextSegmentId
        manifest.nextSegmentId += 1
        let files = SegmentFiles(directory: directory, id: id)
        onCommitStep?("flush")
        _ = try builder.write(to: files)
        let reader = try SegmentReader(files)
        readers[id] = reader
        flushed.append(id)
        if !builderDeleted.isEmpty {
            var set = DeletionSet(documentCount: reader.documentCount)
            builderDeleted.forEach { set.insert($0) }
            deletions[id] = set
            changedDeletions.insert(id)
        }
        for (key, value) in live {
            if case let .building(local) = value.location { live[key]!.location = .segment(id, local) }
        }
        builder = SegmentBuilder()
        builderGeneration += 1
        builderDeleted = []
    }

    /// Makes every change so far durable and visible, then merges if there are too many segments.
    /// Nothing added, updated or removed since the last commit: a commit would change nothing.
    public var hasChanges: Bool { builder.documentCount > 0 || !flushed.isEmpty || !changedDeletions.isEmpty || !builderDeleted.isEmpty }

    public func commit() throws(IndexError) {
        // No change, no commit (readers would reload for nothing).
        guard hasChanges else { return }
        try flush()
        var next = manifest
        next.generation += 1
        let existing = Set(manifest.segments.map(\.id))
        next.segments = manifest.segments + flushed.filter { !existing.contains($0) }.map {
            Manifest.Segment(id: $0, documentCount: readers[$0]!.documentCount, deletedCount: 0, deletesGeneration: 0)
        }
        for i in next.segments.indices {
            let id = next.segments[i].id
            guard changedDeletions.contains(id), let set = deletions[id] else { continue }
            onCommitStep?("deletes")
            try FileSystem.writeDurably(SegmentFiles(directory: directory, id: id).deletes(generation: next.generation), [set.encoded()])
            next.segments[i].deletedCount = set.count
            next.segments[i].deletesGeneration = next.generation
        }
        // Segments whose every document is deleted are dropped.
        next.segments.removeAll { $0.deletedCount == $0.documentCount }
        try publish(next)
        flushed = []
        changedDeletions = []
        try mergeIfNeeded()
    }

    private func publish(_ next: Manifest) throws(IndexError) {
        onCommitStep?("manifest")
        try next.write(directory)
        manifest = next
        let keep = Set(next.segments.map(\.id))
        for id in readers.keys where !keep.contains(id) {
            readers[id] = nil
            deletions[id] = nil
        }
        onCommitStep?("collect")
        collectGarbage()
    }

    /// Merges the smallest segments when there are more than ``maxSegments``, and rewrites
    /// segments that are mostly deleted; each merge is its own commit.
    public func mergeIfNeeded() throws(IndexError) {
        var candidates: [Manifest.Segment] = []
        if manifest.segments.count > maxSegments {
            let bySize = manifest.segments.sorted { ($0.documentCount - $0.deletedCount, $0.id) < ($1.documentCount - $1.deletedCount, $1.id) }
            candidates = Array(bySize.prefix(manifest.segments.count - maxSegments / 2 + 1))
        }
        for s in manifest.segments where s.deletedCount * 2 > s.documentCount && !candidates.contains(s) {
            candidates.append(s)
        }
        guard !candidates.isEmpty, !(candidates.count == 1 && candidates[0].deletedCount == 0) else { return }
        try merge(candidates.map(\.id))
    }

    /// Merges all segments into one.
    public func mergeAll() throws(IndexError) {
        guard manifest.segments.count > 1 || manifest.segments.contains(where: { $0.deletedCount > 0 }) else { return }
        try merge(manifest.segments.map(\.id))
    }

    private func merge(_ ids: [UInt64]) throws(IndexError) {
        let ordered = manifest.segments.filter { ids.contains($0.id) }
        let newId = manifest.nextSegmentId
        var next = manifest
        next.nextSegmentId += 1
        next.generation += 1
        let files = SegmentFiles(directory: directory, id: newId)
        onCommitStep?("merge")
        try SegmentMerger.merge(ordered.map { (readers[$0.id]!, deletions[$0.id]) }, into: files)
        let reader = try SegmentReader(files)
        let position = next.segments.firstIndex { ids.contains($0.id) }!
        next.segments.removeAll { ids.contains($0.id) }
        if reader.documentCount > 0 {
            next.segments.insert(Manifest.Segment(id: newId, documentCount: reader.documentCount, deletedCount: 0, deletesGeneration: 0),
                                 at: min(position, next.segments.count))
        }
        readers[newId] = reader
        try publish(next)
        for doc in 0..<reader.documentCount {
            live[try reader.document(doc).id]?.location = .segment(newId, doc)
        }
    }

    /// Removes files of ours that no commit references (left by a writer that died, or dropped by
    /// a merge): only segment files whose id this index has handed out (below the manifest's next
    /// id) and the manifest's temporary file. Nothing else is ever touched.
    private func collectGarbage() {
        let keepSegments = Set(manifest.segments.map { SegmentFiles(directory: directory, id: $0.id).name })
            .union(flushed.map { SegmentFiles(directory: directory, id: $0).name })
        let keepDeletes = Set(manifest.segments.filter { $0.deletesGeneration != 0 }.map {
            SegmentFiles(directory: directory, id: $0.id).deletesName(generation: $0.deletesGeneration)
        })
        for name in FileSystem.list(directory) {
            if name == "manifest.tmp" { FileSystem.remove(directory + "/" + name); continue }
            guard name.hasPrefix("seg-"), let id = SegmentFiles.id(ofFile: name), id < manifest.nextSegmentId else { continue }
            let segment = String(name.prefix(12))
            if name.hasSuffix(".dels") {
                if !keepDeletes.contains(name) { FileSystem.remove(directory + "/" + name) }
            } else if !keepSegments.contains(segment) {
                FileSystem.remove(directory + "/" + name)
            }
        }
    }
}

/// The preparing threads of one ``IndexWriter/add(contentsOf:)``: each takes the next document
/// of `work` not yet taken and prepares it with its own analyzer and term ids; the writer's thread
/// takes the results in order, waiting for each.
private final class Preparation: @unchecked Sendable {
    typealias Prepared = Result<PreparedDocument, AnalysisError>
    let documents: [IndexDocument]
    let work: [Int]
    let analyzers: [Analyzer]
    let alternates: Bool
    private let next = Atomic<Int>(0)
    /// Slot k: the thread that prepared work[k] and its result; written once, before `ready[k]`
    /// signals. (Raw memory: the threads write different slots at once.)
    private let results: UnsafeMutableBufferPointer<(Int, Prepared)?>
    private let ready: [DispatchSemaphore]
    private let group = DispatchGroup()

    /// Each thread's term ids (each thread uses only its own).
    private let terms: [ThreadTerms]

    init(documents: [IndexDocument], work: [Int], analyzers: [Analyzer], terms: [ThreadTerms], alternates: Bool) {
        self.documents = documents
        self.work = work
        self.analyzers = analyzers
        self.terms = terms
        self.alternates = alternates
        results = .allocate(capacity: work.count)
        results.initialize(repeating: nil)
        ready = work.map { _ in DispatchSemaphore(value: 0) }
    }

    deinit {
        results.deinitialize()
        results.deallocate()
    }

    func start() {
        for worker in analyzers.indices where worker < work.count {
            DispatchQueue.global().async(group: group) { self.run(worker) }
        }
    }

    private func run(_ worker: Int) {
        let (terms, analyzer) = (self.terms[worker], analyzers[worker])
        while true {
            let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard k < work.count else { return }
            let document = documents[work[k]]
            let prepared = Prepared { () throws(AnalysisError) in
                let analyzed = try AnalyzedDocument(document.text, analyzer, alternates: alternates)
                return PreparedDocument(document, analyzed.analysis, alternates: analyzed.alternates, fingerprints: analyzed.fingerprints,
                                        analyzer: analyzer, terms: terms)
            }
            results[k] = (worker, prepared)
            ready[k].signal()
        }
    }

    /// The k-th document's preparing thread and result, once ready (each slot is taken once).
    func take(_ k: Int) -> (Int, Prepared) {
        ready[k].wait()
        defer { results[k] = nil }
        return results[k]!
    }

    /// Waits for the threads to finish.
    func wait() { group.wait() }
}

/// What the writer stores of a document's analysis: its tokens, its cross-strait alternates
/// (``Variants/alternates(of:)``), and its winnowing fingerprints over the duplicate finder's
/// comparison text (``DedupText``), made from the same normalization.
struct AnalyzedDocument: Sendable {
    let analysis: Analysis
    let alternates: [Variants.Alternate]
    let fingerprints: [Winnowing.Fingerprint]

    init(_ text: String, _ analyzer: Analyzer, alternates wanted: Bool = true) throws(AnalysisError) {
        try self.init(try analyzer.analyze(text), analyzer, alternates: wanted)
    }

    init(_ analysis: Analysis, _ analyzer: Analyzer, alternates wanted: Bool = true) throws(AnalysisError) {
        self.analysis = analysis
        alternates = wanted ? try analyzer.variants().alternates(of: analysis) : []
        fingerprints = Winnowing.fingerprints(DedupText(analysis, alternates: alternates).units)
    }
}
