import ArgumentParser
import Foundation
import TongwenAnalysis
import TongwenDupes
import TongwenIndex

/// `tongwen dupes`: duplicate boilerplate over the whole index.
struct DupesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dupes",
        abstract: "Find repeated passages, near-duplicate speeches and page chrome.",
        discussion: """
            Works on normalized text, so Traditional and Simplified (and pinyin-annotated) copies
            are one passage. Passages in ≥ 3 documents are boilerplate; a passage repeated inside
            one document counts too. Offsets point into the original texts.

            The fingerprints come from the index (`tongwen index` stores them). A report writes
            nothing into the index folder. With --save (default options only) it keeps the
            report for `search --collapse` and the server, the boilerplate masks ranking uses,
            and its pairwise results (dupes-state), so the next run compares only documents
            added or changed since; --full compares all again.
            """
    )

    @OptionGroup var location: ShardLocations

    @Option(name: .customLong("min-chars"), parsing: .unconditional, help: "Shortest repeated passage, in normalized characters.")
    var minChars = 20

    @Option(name: .customLong("min-docs"), parsing: .unconditional, help: "Fewest documents a passage must be in (2 also admits repeats inside one document).")
    var minDocs = 2

    @Flag(help: "Exact mode: copies must be identical after normalization (default: fuzzy, small edits allowed).")
    var exact = false

    @Option(help: "Only this document's shared passages, near-duplicates and chrome.")
    var doc: String?

    @Option(parsing: .unconditional, help: "How many passages to print: 10 on the terminal, 1000 as JSON; 0 prints all.")
    var limit: Int?

    @Option(parsing: .unconditional, help: "Skip this many passages (paging).")
    var offset = 0

    @Option(parsing: .unconditional, help: "Print this passage in full: its whole text and every copy.")
    var passage: Int?

    @Flag(help: "Print JSON Lines: a summary, then one passage, pair, template or document per line (schema in the README).")
    var json = false

    @Flag(name: .customLong("full-text"), help: "With --json, give each passage in full: its whole text and every copy (a list shows a preview and the first 20 copies).")
    var fullText = false

    @Flag(help: "Compare every pair of documents again instead of only those with a document new since the last run.")
    var full = false

    @Option(help: "Report from the pairwise results of `tongwen dupes-stage pairs` in this folder (a Spark job's) instead of comparing here.")
    var pairs: String?

    @Flag(help: "Save the report beside the index for `search --collapse` and the server (until the next commit), with the state the next run starts from and the boilerplate masks ranking uses. Without it nothing is written.")
    var save = false

    func validate() throws {
        if minChars < Winnowing.w + Winnowing.k - 1 { throw ValidationError("--min-chars must be at least \(Winnowing.w + Winnowing.k - 1)") }
        if minDocs < 1 { throw ValidationError("--min-docs must be at least 1") }
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 (all) or more") }
        if offset < 0 { throw ValidationError("--offset must be 0 or more") }
    }

    func run() throws {
        var report = try reportingErrors { () throws -> DupesReport in
            let directories = try location.directories()
            let snapshot = try IndexSnapshot.open(shards: directories)
            if let doc, try snapshot.find(doc) == nil { throw IndexError.unknownDocument(doc) }
            let options = DupesOptions(minCharacters: minChars, minDocuments: minDocs, fuzzy: !exact)
            if let pairs {
                guard options.isDefault, !save, !full else { throw ValidationError("--pairs makes the default report only (no --min-chars, --min-docs, --exact, --save or --full)") }
                return try DupesStages.report(snapshot, pairs: pairs, progress: DupesProgress.line)
            }
            if save, directories.count > 1 { throw ValidationError("--save works on one index (the report of several shards is not kept)") }
            if directories.count == 1, options.isDefault, !full, let cached = DupesCache.load(snapshot.directory, generation: snapshot.generation) { return cached }
            if save, !options.isDefault { throw ValidationError("--save keeps the default report only (no --min-chars, --min-docs or --exact)") }
            let report = try DupesFinder.run(snapshot, options: options, incremental: !full && directories.count == 1, save: save, progress: DupesProgress.line)
            if save {
                DupesProgress.line("saving the report beside the index")
                try DupesCache.save(report, snapshot.directory, generation: snapshot.generation)
            }
            return report
        }
        DupesProgress.done()
        if let passage {
            guard let found = report.passage(passage) else {
                printError("no passage \(passage): the report has \(report.passages.count)" + (report.passages.isEmpty ? "" : " (ids 1…\(report.passages.count))"))
                throw ExitCode(1)
            }
            print(json ? try JSONOutput.line(DupesReport.preview(found, fullText: true)) : DupesDisplay.passage(found))
            return
        }
        if let doc { report = report.only(doc) }
        let shown = limit.map { $0 == 0 ? nil : $0 } ?? (json ? 1000 : 10)
        if json {
            for line in try report.jsonLines(offset: offset, limit: shown, fullText: fullText) { print(line) }
            return
        }
        print(DupesDisplay.text(report, offset: offset, limit: shown, color: isatty(1) == 1))
    }
}

/// On a terminal, the stage a run is in, on one line of standard error with its elapsed time.
enum DupesProgress {
    nonisolated(unsafe) static var started: Date?

    static func line(_ stage: String) {
        guard standardErrorIsTerminal else { return }
        let start = started ?? Date()
        started = start
        let text = "\r\u{1B}[2Kdupes " + String(format: "%5.1f", Date().timeIntervalSince(start)) + " s  " + stage
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Clears the line once the report is ready.
    static func done() {
        guard standardErrorIsTerminal, started != nil else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}

/// The terminal report: a summary, then the top of each ranked list, a few screens at any size.
enum DupesDisplay {
    static func text(_ report: DupesReport, offset: Int, limit: Int?, color: Bool) -> String {
        let summary = report.summary
        var lines = ["\(summary.passages) repeated passages (\(summary.boilerplatePassages) boilerplate, \(summary.copies) copies), "
            + "\(summary.nearDuplicates) near-duplicate pairs, \(summary.chromeSegments) chrome segments in \(summary.documents) documents"]
        let start = min(offset, report.passages.count)
        let end = limit.map { min(report.passages.count, start + $0) } ?? report.passages.count
        for passage in report.passages[start..<end] {
            lines.append("")
            lines.append("#\(passage.id) \(passage.kind): \(passage.normLength) characters, \(passage.documents) document\(passage.documents == 1 ? "" : "s"), \(passage.occurrences) copies")
            lines.append("   " + DupesReport.preview(passage).preview)
            for m in passage.members.prefix(3) { lines.append("   · \(m.doc)  chars \(m.start)..<\(m.end)  \(m.script)") }
            if passage.members.count > 3 { lines.append("   · … \(passage.members.count - 3) more (--passage \(passage.id))") }
        }
        if end < report.passages.count { lines.append("\n… \(report.passages.count - end) more passages (--offset \(end), --limit, --json)") }
        let top = min(limit ?? 10, 10)
        section(&lines, "stock phrases (short formulas in many documents):", report.stockPhrases, top) {
            "\(String(format: "%5d", $0.documents)) documents  " + excerpt($0.text, 40)
        }
        section(&lines, "near-duplicate documents:", report.nearDuplicates, top) {
            "\($0.a) ~ \($0.b)  jaccard \(String(format: "%.2f", $0.jaccard))  containment \(String(format: "%.2f", $0.containment))"
        }
        let chromeDocs = report.documents.filter { !$0.chrome.isEmpty }.sorted { ($0.chromeRatio, $1.doc) > ($1.chromeRatio, $0.doc) }
        section(&lines, "page chrome:", chromeDocs, min(top, 5)) { d in
            "\(d.doc): \(d.chrome.count) segments (\(percent(d.chromeRatio)))"
                + d.chrome.prefix(2).map { "\n      [\($0.rule)] " + excerpt($0.text, 50) }.joined()
        }
        section(&lines, "page templates learned from this archive (pages, zone, kind; digits shown as 0):", report.chromeTemplates, min(top, 8)) {
            "\(String(format: "%5d", $0.documents))  \($0.zone) \($0.kind)  " + excerpt($0.text, 50)
        }
        section(&lines, "documents by boilerplate ratio (boilerplate / repeated / chrome):", report.documentsByBoilerplate, top) {
            "\($0.doc)  \(percent($0.boilerplateRatio)) / \(percent($0.repeatRatio)) / \(percent($0.chromeRatio))"
        }
        return lines.joined(separator: "\n")
    }

    /// A titled list of the first `count` items, and how many more there are.
    private static func section<T>(_ lines: inout [String], _ title: String, _ items: [T], _ count: Int, _ row: (T) -> String) {
        guard !items.isEmpty else { return }
        lines.append("\n" + title)
        for item in items.prefix(count) { lines.append("   " + row(item)) }
        if items.count > count { lines.append("   … \(items.count - count) more (--json)") }
    }

    /// One passage in full: its whole text (the first copy) and every copy.
    static func passage(_ passage: DupesReport.Passage) -> String {
        var lines = ["#\(passage.id) \(passage.kind): \(passage.normLength) characters, \(passage.documents) document\(passage.documents == 1 ? "" : "s"), \(passage.occurrences) copies", ""]
        lines.append(passage.text)
        lines.append("")
        for m in passage.members { lines.append("· \(m.doc)  chars \(m.start)..<\(m.end)  bytes \(m.startByte)..<\(m.endByte)  \(m.script)") }
        return lines.joined(separator: "\n")
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f %%", 100 * x) }

    static func excerpt(_ text: String, _ length: Int = 70) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= length ? flat : String(flat.prefix(length)) + "…"
    }
}

extension DupesReport {
    /// The part of the report about one document.
    func only(_ id: String) -> DupesReport {
        var copy = self
        // The document's own copies first: where each passage sits in it, then where else.
        copy.passages = passages.filter { $0.members.contains { $0.doc == id } }.map { passage in
            var p = passage
            p.members = passage.members.filter { $0.doc == id } + passage.members.filter { $0.doc != id }
            return p
        }
        copy.nearDuplicates = nearDuplicates.filter { $0.a == id || $0.b == id }
        copy.nearDuplicateClusters = nearDuplicateClusters.filter { $0.contains(id) }
        copy.documents = documents.filter { $0.doc == id }
        copy.stockPhrases = []
        return copy
    }
}
