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

    @Option(name: .customLong("files-from"), help: "Index the files listed in FILE (one path per line, relative to --root), ids relative to --root: one shard of a corpus.")
    var filesFrom: String?

    @Option(help: "The folder the paths of --files-from are relative to.")
    var root: String?

    @Flag(help: "Remove documents whose source files no longer exist.")
    var prune = false

    @Option(help: "Force the encoding of text files (utf-8, gb18030, big5, …); default: detect.")
    var encoding: String?

    @Option(name: .customLong("ram-budget"), parsing: .unconditional, help: "Flush a segment when the in-memory one reaches this many MB.")
    var ramBudget: Double = 256

    @Flag(help: "No progress output.")
    var quiet = false

    @Flag(help: "Merge all segments into one after committing.")
    var merge = false

    @Flag(name: .customLong("without-alternates"), help: .hidden)  // scripts/bench: what variants cost
    var withoutAlternates = false

    func validate() throws {
        if !(ramBudget > 0) { throw ValidationError("--ram-budget must be a positive number of MB") }
        if (filesFrom == nil) != (root == nil) { throw ValidationError("--files-from and --root go together") }
        if filesFrom != nil && !paths.isEmpty { throw ValidationError("give PATHs or --files-from, not both") }
    }

    /// The files of `--files-from`, or nil without it.
    func listedFiles() throws -> [SourceFile]? {
        guard let filesFrom, let root else { return nil }
        guard let data = FileManager.default.contents(atPath: filesFrom) else { throw ValidationError("\(filesFrom): cannot read the file list") }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map { String($0) }.filter { !$0.isEmpty }
        return try Ingest.scan(relativePaths: lines, root: root)
    }

    func run() throws {
        let summary = try reportingErrors { () throws -> Indexer.Summary in
            let writer = try IndexWriter(directory: location.index, ramBudget: Int(ramBudget * 1_048_576))
            writer.storesAlternates = !withoutAlternates
            var indexer = Indexer(writer: writer, encoding: encoding)
            indexer.onFailure = { printError("\($0)" + hint(for: $0)) }
            let bar = ProgressBar(style: quiet ? .none : (standardErrorIsTerminal ? .bar : .lines))
            indexer.onProgress = bar.draw
            defer { bar.finish() }
            if let files = try listedFiles() { return try indexer.index(files: files, prune: prune, mergeAll: merge) }
            return try indexer.index(paths.isEmpty ? ["index-data/speeches"] : paths, prune: prune, mergeAll: merge)
        }
        print(summary.text)
        if summary.failed > 0 { throw ExitCode(1) }
    }
}

extension Indexer.Summary {
    /// The one-line summary `tongwen index` prints.
    var text: String {
        let rate = seconds > 0 ? Double(bytes) / 1e6 / seconds : 0
        return "added \(added), updated \(updated), unchanged \(unchanged), removed \(removed), failed \(failed) — "
            + "\(counted(files, "file")), \(String(format: "%.1f", Double(bytes) / 1e6)) MB in \(String(format: "%.2f", seconds)) s "
            + "(\(String(format: "%.1f", rate)) MB/s); \(counted(documents, "document")) in the index"
    }
}

/// `index`'s progress on standard error: a redrawn bar on a terminal (5 times a second), a line
/// every 5 s otherwise, and always the last file's.
final class ProgressBar {
    enum Style { case none, lines, bar }

    let style: Style
    private var lastDrawn = Date.distantPast
    private var drawn = false

    init(style: Style) { self.style = style }

    func draw(_ progress: Indexer.Progress) {
        guard style != .none else { return }
        let last = progress.filesDone == progress.files
        guard last || Date().timeIntervalSince(lastDrawn) >= (style == .bar ? 0.2 : 5) else { return }
        lastDrawn = Date()
        drawn = true
        let rate = Double(progress.bytesDone) / 1e6 / max(progress.seconds, 0.001)
        let fraction = progress.bytes > 0 ? Double(progress.bytesDone) / Double(progress.bytes) : Double(progress.filesDone) / Double(max(progress.files, 1))
        let figures = "\(progress.filesDone)/\(progress.files) files · "
            + "\(String(format: "%.1f/%.1f", Double(progress.bytesDone) / 1e6, Double(progress.bytes) / 1e6)) MB · \(String(format: "%.1f", rate)) MB/s"
        if style == .bar {
            let width = 30
            let filled = min(width, Int(fraction * Double(width)))
            let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(figures)   ".utf8))
        } else {
            FileHandle.standardError.write(Data("indexing: \(figures)\n".utf8))
        }
    }

    /// Ends the bar's line.
    func finish() {
        if style == .bar && drawn { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
