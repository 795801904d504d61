import ArgumentParser
import Foundation
import TongwenIndex
import TongwenIngest

/// `tongwen index`: ingest files and folders into the index, incrementally.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Add or update speeches in the index (.txt, .md, .jsonl; .gz/.xz read transparently).",
        discussion: """
            Re-running on the same inputs skips unchanged documents (content hash), replaces changed
            ones and, with --prune, removes documents whose files are gone. Nothing is visible to
            searches until the batch commits; a killed run leaves the last commit intact.
            With no PATH, indexes the sample speeches in index-data/speeches.
            """
    )

    @Argument(help: "Files or folders to index (default: index-data/speeches).")
    var paths: [String] = []

    @OptionGroup var location: IndexLocation

    @Flag(help: "Remove documents whose source files no longer exist.")
    var prune = false

    @Option(help: "Force the encoding of text files (utf-8, gb18030, big5, …); default: detect.")
    var encoding: String?

    @Option(name: .customLong("ram-budget"), help: "Flush a segment when the in-memory one reaches this many MB.")
    var ramBudget: Double = 256

    @Flag(help: "No progress output.")
    var quiet = false

    @Flag(help: "Merge all segments into one after committing.")
    var merge = false

    @Flag(name: .customLong("without-alternates"), help: .hidden)  // scripts/bench: what variants cost
    var withoutAlternates = false

    func validate() throws {
        if !(ramBudget > 0) { throw ValidationError("--ram-budget must be a positive number of MB") }
    }

    func run() throws {
        let summary = try reportingErrors { () throws -> IndexRun.Summary in
            var run = try IndexRun(
                directory: location.index, ramBudget: Int(ramBudget * 1_048_576), encoding: encoding,
                progress: quiet ? .none : (standardErrorIsTerminal ? .bar : .lines))
            run.writer.storesAlternates = !withoutAlternates
            return try run.index(paths.isEmpty ? ["index-data/speeches"] : paths, prune: prune, mergeAll: merge)
        }
        print(summary.text)
        if summary.failed > 0 { throw ExitCode(1) }
    }
}

/// One `tongwen index` run: scan, read, skip unchanged, add, prune, commit; with progress.
struct IndexRun {
    enum Progress { case none, lines, bar }

    struct Summary {
        var added = 0, updated = 0, unchanged = 0, removed = 0, failed = 0
        var files = 0
        var bytes = 0
        var seconds = 0.0
        var documents = 0

        var text: String {
            let rate = seconds > 0 ? Double(bytes) / 1e6 / seconds : 0
            return "added \(added), updated \(updated), unchanged \(unchanged), removed \(removed), failed \(failed) — "
                + "\(files) files, \(String(format: "%.1f", Double(bytes) / 1e6)) MB in \(String(format: "%.2f", seconds)) s "
                + "(\(String(format: "%.1f", rate)) MB/s); \(documents) documents in the index"
        }
    }

    let writer: IndexWriter
    let encoding: String?
    let progress: Progress

    init(directory: String, ramBudget: Int, encoding: String?, progress: Progress) throws {
        writer = try IndexWriter(directory: directory, ramBudget: ramBudget)
        self.encoding = encoding
        self.progress = progress
        installCrashHook(writer)
    }

    mutating func index(_ paths: [String], prune: Bool, mergeAll: Bool) throws -> Summary {
        let start = Date()
        var unreadable: [IngestFailure] = []
        let files = try Ingest.scan(paths, unreadable: &unreadable)
        let sizes = files.map { (try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int) ?? 0 }
        let totalBytes = sizes.reduce(0, +)
        var summary = Summary()
        for failure in unreadable {
            summary.failed += 1
            printError("\(failure)")
        }
        var seen: [String: String] = [:]
        var reread: Set<String> = []
        var lastReport = Date.distantPast
        var diskBytes = 0
        var batch: [IndexDocument] = []
        var batchBytes = 0
        func addBatch() throws {
            for (document, outcome) in zip(batch, try writer.add(contentsOf: batch)) {
                switch outcome {
                case .success(.added): summary.added += 1
                case .success(.updated): summary.updated += 1
                case .success(.unchanged): summary.unchanged += 1
                case let .failure(error):
                    summary.failed += 1
                    printError("\(document.source): \(error)")
                }
            }
            batch.removeAll(keepingCapacity: true)
            batchBytes = 0
        }
        for (n, file) in files.enumerated() {
            summary.files += 1
            diskBytes += sizes[n]
            do {
                let raw = try Ingest.readRaw(file)
                let fileHash = contentHash(raw)
                reread.insert(file.path)
                let unchanged = Ingest.documentId(of: file).map { id in
                    seen[id] == nil && writer.contentHash(of: id) == fileHash
                } ?? false
                if unchanged {
                    seen[Ingest.documentId(of: file)!] = file.path
                    summary.unchanged += 1
                    summary.bytes += raw.count
                }
                let bytes = unchanged ? [] : try Ingest.decompress(file, raw)
                summary.bytes += bytes.count
                for result in unchanged ? [] : Ingest.documents(in: file, bytes: bytes, fileHash: fileHash, encoding: encoding) {
                    switch result {
                    case let .failure(failure):
                        summary.failed += 1
                        printError("\(failure)")
                    case let .success(document):
                        if let other = seen[document.id] {
                            summary.failed += 1
                            printError("\(file.path): duplicate document id '\(document.id)' (also from \(other)); skipped")
                            continue
                        }
                        seen[document.id] = file.path
                        batch.append(document)
                        batchBytes += document.text.utf8.count
                        if batchBytes >= 8 << 20 || batch.count >= 256 { try addBatch() }
                    }
                }
            } catch let failure as IngestFailure {
                summary.failed += 1
                printError("\(failure)")
            }
            if progress != .none, Date().timeIntervalSince(lastReport) >= (progress == .bar ? 0.2 : 5) || n == files.count - 1 {
                lastReport = Date()
                report(done: n + 1, of: files.count, bytes: diskBytes, total: totalBytes, since: start)
            }
        }
        try addBatch()
        if progress == .bar && !files.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) }
        if prune {
            // A folder that could not be read proves nothing about its files: they are kept.
            let unknown = unreadable.map { $0.path + "/" }
            for (id, source) in writer.documents where seen[id] == nil && !unknown.contains(where: { source.hasPrefix($0) }) {
                if !FileManager.default.fileExists(atPath: source) || reread.contains(source) {
                    if writer.remove(id) { summary.removed += 1 }
                }
            }
        }
        try writer.commit()
        if mergeAll { try writer.mergeAll() }
        summary.seconds = Date().timeIntervalSince(start)
        summary.documents = writer.documentCount
        return summary
    }

    private func report(done: Int, of total: Int, bytes: Int, total totalBytes: Int, since start: Date) {
        let elapsed = max(Date().timeIntervalSince(start), 0.001)
        let rate = Double(bytes) / 1e6 / elapsed
        let fraction = totalBytes > 0 ? Double(bytes) / Double(totalBytes) : Double(done) / Double(max(total, 1))
        let figures = "\(done)/\(total) files · \(String(format: "%.1f/%.1f", Double(bytes) / 1e6, Double(totalBytes) / 1e6)) MB · \(String(format: "%.1f", rate)) MB/s"
        if progress == .bar {
            let width = 30
            let filled = min(width, Int(fraction * Double(width)))
            let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(figures)   ".utf8))
        } else {
            FileHandle.standardError.write(Data("indexing: \(figures)\n".utf8))
        }
    }
}

/// Test hook for the crash tests: `TONGWEN_DEBUG_KILL_AT=STEP:N` makes the process SIGKILL itself
/// at the N-th commit step named STEP (flush, deletes, manifest, collect, merge).
private func installCrashHook(_ writer: IndexWriter) {
    guard let spec = ProcessInfo.processInfo.environment["TONGWEN_DEBUG_KILL_AT"] else { return }
    let parts = spec.split(separator: ":")
    guard parts.count == 2, let target = Int(parts[1]) else { return }
    let step = String(parts[0])
    var seen = 0
    writer.onCommitStep = { name in
        guard name == step else { return }
        seen += 1
        if seen == target { kill(getpid(), SIGKILL) }
    }
}
