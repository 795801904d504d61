import Foundation
import TongwenAnalysis
import TongwenIndex

/// One indexing run over files and folders: scan, read, skip what is unchanged (the file's content
/// hash), add in batches, prune documents whose files are gone, commit. Nothing is visible to
/// searches until the commit; a run killed before it leaves the last commit intact. The CLI's
/// `index`, the tests and the Spark job all index through it.
public struct Indexer {
    /// What a run did.
    public struct Summary: Sendable, Equatable {
        public var added = 0, updated = 0, unchanged = 0, removed = 0, failed = 0
        /// Files read, their bytes (decompressed), and the run's wall time.
        public var files = 0, bytes = 0
        public var seconds = 0.0
        /// Live documents in the index after the commit.
        public var documents = 0
    }

    /// Where a run is, after each file.
    public struct Progress: Sendable {
        public var filesDone: Int, files: Int
        /// Bytes on disk of the files done, and of all files (compressed where they are).
        public var bytesDone: Int, bytes: Int
        public var seconds: Double
    }

    public let writer: IndexWriter
    /// The encoding of every text file (`utf-8`, `gb18030`, `big5` …); nil detects it per file.
    public var encoding: String?
    /// Called after each file (and so at least once at the end of a non-empty run).
    public var onProgress: ((Progress) -> Void)?
    /// Called for each folder, file, line or document that could not be ingested; the run goes on.
    public var onFailure: ((IngestFailure) -> Void)?

    /// A batch is added when it holds this many bytes of text or documents.
    static let batchBytes = 32 << 20, batchDocuments = 1024

    public init(writer: IndexWriter, encoding: String? = nil) {
        self.writer = writer
        self.encoding = encoding
    }

    /// Indexes `paths` (files or folders, recursively), then commits; with `prune`, documents whose
    /// source files are gone (or no longer yield them) are removed; with `mergeAll`, the segments
    /// are merged into one after the commit.
    /// - Throws: ``IngestFailure`` for a path that does not exist; `IndexError` when the index
    ///   cannot be written. A file that cannot be read only counts as failed.
    public func index(_ paths: [String], prune: Bool = false, mergeAll: Bool = false) throws -> Summary {
        var unreadable: [IngestFailure] = []
        let files = try Ingest.scan(paths, unreadable: &unreadable)
        return try index(files: files, unreadable: unreadable, prune: prune, mergeAll: mergeAll)
    }

    /// The same over files already scanned; `unreadable` are the folders the scan could not read
    /// (each a failure, and pruning keeps what they held).
    public func index(files: [SourceFile], unreadable: [IngestFailure] = [], prune: Bool = false, mergeAll: Bool = false) throws -> Summary {
        let start = Date()
        var run = Run(indexer: self)
        for failure in unreadable { run.fail(failure) }
        let sizes = files.map { (try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int) ?? 0 }
        let totalBytes = sizes.reduce(0, +)
        var diskBytes = 0
        for (n, file) in files.enumerated() {
            try run.read(file)
            diskBytes += sizes[n]
            onProgress?(Progress(filesDone: n + 1, files: files.count, bytesDone: diskBytes, bytes: totalBytes,
                                 seconds: Date().timeIntervalSince(start)))
        }
        try run.addBatch()
        if prune { run.prune(keeping: unreadable.map { $0.path + "/" }) }
        try writer.commit()
        if mergeAll { try writer.mergeAll() }
        run.summary.seconds = Date().timeIntervalSince(start)
        run.summary.documents = writer.documentCount
        return run.summary
    }

    /// The state of one run: the summary so far, the ids seen (with their file), the batch.
    struct Run {
        let indexer: Indexer
        var summary = Summary()
        var seen: [String: String] = [:]
        var reread: Set<String> = []
        var batch: [IndexDocument] = []
        var batchBytes = 0

        var writer: IndexWriter { indexer.writer }

        mutating func fail(_ failure: IngestFailure) {
            summary.failed += 1
            indexer.onFailure?(failure)
        }

        /// Reads one file: skipped when its content hash is the indexed one, else its documents
        /// join the batch (a duplicate id is a failure).
        mutating func read(_ file: SourceFile) throws {
            summary.files += 1
            do {
                let raw = try Ingest.readRaw(file)
                let fileHash = contentHash(raw)
                reread.insert(file.path)
                if let id = Ingest.documentId(of: file), seen[id] == nil, writer.contentHash(of: id) == fileHash {
                    seen[id] = file.path
                    summary.unchanged += 1
                    summary.bytes += raw.count
                    return
                }
                let bytes = try Ingest.decompress(file, raw)
                summary.bytes += bytes.count
                for result in Ingest.documents(in: file, bytes: bytes, fileHash: fileHash, encoding: indexer.encoding) {
                    switch result {
                    case let .failure(failure): fail(failure)
                    case let .success(document): try take(document, from: file)
                    }
                }
            } catch let failure as IngestFailure {
                fail(failure)
            }
        }

        mutating func take(_ document: IndexDocument, from file: SourceFile) throws {
            if let other = seen[document.id] {
                fail(IngestFailure(path: file.path, message: "duplicate document id '\(document.id)' (also from \(other)); skipped"))
                return
            }
            seen[document.id] = file.path
            batch.append(document)
            batchBytes += document.text.utf8.count
            if batchBytes >= Indexer.batchBytes || batch.count >= Indexer.batchDocuments { try addBatch() }
        }

        mutating func addBatch() throws {
            for (document, outcome) in zip(batch, try writer.add(contentsOf: batch)) {
                switch outcome {
                case .success(.added): summary.added += 1
                case .success(.updated): summary.updated += 1
                case .success(.unchanged): summary.unchanged += 1
                case let .failure(error): fail(IngestFailure(path: document.source, message: "\(error)"))
                }
            }
            batch.removeAll(keepingCapacity: true)
            batchBytes = 0
        }

        /// Removes documents not seen whose file is gone or was read again without yielding them.
        /// A folder that could not be read (`unknown`, with a trailing `/`) proves nothing about
        /// its files: they are kept.
        mutating func prune(keeping unknown: [String]) {
            for (id, source) in writer.documents where seen[id] == nil && !unknown.contains(where: { source.hasPrefix($0) }) {
                if !FileManager.default.fileExists(atPath: source) || reread.contains(source) {
                    if writer.remove(id) { summary.removed += 1 }
                }
            }
        }
    }
}
