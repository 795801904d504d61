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

    @OptionGroup var location: IndexLocation

    @Option(name: .customLong("min-chars"), parsing: .unconditional, help: "Shortest repeated passage, in normalized characters.")
    var minChars = 20

    @Option(name: .customLong("min-docs"), parsing: .unconditional, help: "Fewest documents a passage must be in (2 also admits repeats inside one document).")
    var minDocs = 2

    @Flag(help: "Exact mode: copies must be identical after normalization (default: fuzzy, small edits allowed).")
    var exact = false

    @Option(help: "Only this document's shared passages, near-duplicates and chrome.")
    var doc: String?

    @Option(parsing: .unconditional, help: "How many passages to print (terminal report).")
    var limit = 20

    @Flag(help: "Print JSON (schema in the README).")
    var json = false

    @Flag(help: "Compare every pair of documents again instead of only those with a document new since the last run.")
    var full = false

    @Flag(help: "Save the report beside the index for `search --collapse` and the server (until the next commit), with the state the next run starts from and the boilerplate masks ranking uses. Without it nothing is written.")
    var save = false

    func validate() throws {
        if minChars < Winnowing.w + Winnowing.k - 1 { throw ValidationError("--min-chars must be at least \(Winnowing.w + Winnowing.k - 1)") }
        if minDocs < 1 { throw ValidationError("--min-docs must be at least 1") }
    }

    func run() throws {
        var report = try reportingErrors { () throws -> DupesReport in
            let snapshot = try IndexSnapshot.open(location.index)
            if let doc, try snapshot.find(doc) == nil { throw IndexError.unknownDocument(doc) }
            let options = DupesOptions(minCharacters: minChars, minDocuments: minDocs, fuzzy: !exact)
            if options.isDefault, !full, let cached = DupesCache.load(snapshot.directory, generation: snapshot.generation) { return cached }
            if save, !options.isDefault { throw ValidationError("--save keeps the default report only (no --min-chars, --min-docs or --exact)") }
            let report = try DupesFinder.run(snapshot, options: options, incremental: !full, save: save, progress: DupesProgress.line)
            if save { try DupesCache.save(report, snapshot.directory, generation: snapshot.generation) }
            return report
        }
        DupesProgress.done()
        if let doc { report = report.only(doc) }
        if json {
            print(try JSONOutput.line(report))
            return
        }
        print(DupesDisplay.text(report, limit: limit, color: isatty(1) == 1))
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

enum DupesDisplay {
    static func text(_ report: DupesReport, limit: Int, color: Bool) -> String {
        var lines: [String] = []
        let boilerplate = report.passages.filter { $0.kind == "boilerplate" }.count
        lines.append("\(report.passages.count) repeated passages (\(boilerplate) boilerplate), \(report.nearDuplicates.count) near-duplicate pairs, "
            + "\(report.documents.reduce(0) { $0 + $1.chrome.count }) chrome segments in \(report.documents.count) documents")
        for passage in report.passages.prefix(limit) {
            lines.append("")
            lines.append("#\(passage.id) \(passage.kind): \(passage.normLength) characters, \(passage.documents) document\(passage.documents == 1 ? "" : "s"), \(passage.occurrences) copies")
            lines.append("   " + excerpt(passage.text))
            for m in passage.members.prefix(8) { lines.append("   · \(m.doc)  chars \(m.start)..<\(m.end)  \(m.script)") }
            if passage.members.count > 8 { lines.append("   · … \(passage.members.count - 8) more") }
        }
        if report.passages.count > limit { lines.append("\n… \(report.passages.count - limit) more passages (--limit, --json)") }
        if !report.stockPhrases.isEmpty {
            lines.append("\nstock phrases (short formulas in many documents):")
            for phrase in report.stockPhrases.prefix(limit) {
                lines.append("   \(String(format: "%5d", phrase.documents)) documents  " + excerpt(phrase.text, 40))
            }
            if report.stockPhrases.count > limit { lines.append("   … \(report.stockPhrases.count - limit) more (--json)") }
        }
        if !report.nearDuplicates.isEmpty {
            lines.append("\nnear-duplicate documents:")
            for pair in report.nearDuplicates.prefix(limit) {
                lines.append("   \(pair.a) ~ \(pair.b)  jaccard \(String(format: "%.2f", pair.jaccard))  containment \(String(format: "%.2f", pair.containment))")
            }
        }
        let chromeDocs = report.documents.filter { !$0.chrome.isEmpty }.sorted { $0.chromeRatio > $1.chromeRatio }
        if !chromeDocs.isEmpty {
            lines.append("\npage chrome:")
            for d in chromeDocs.prefix(limit) {
                lines.append("   \(d.doc): \(d.chrome.count) segments (\(String(format: "%.1f", 100 * d.chromeRatio)) %)")
                for s in d.chrome.prefix(4) { lines.append("      [\(s.rule)] " + excerpt(s.text, 50)) }
            }
        }
        if !report.chromeTemplates.isEmpty {
            lines.append("\npage templates learned from this archive (pages, zone, kind; digits shown as 0):")
            for t in report.chromeTemplates.prefix(min(limit, 12)) {
                lines.append("   \(String(format: "%5d", t.documents))  \(t.zone) \(t.kind)  " + excerpt(t.text, 50))
            }
            if report.chromeTemplates.count > min(limit, 12) { lines.append("   … \(report.chromeTemplates.count - min(limit, 12)) more (--json)") }
        }
        let ranked = report.documents.filter { $0.boilerplateRatio > 0 || $0.repeatRatio > 0 }.sorted { $0.boilerplateRatio > $1.boilerplateRatio }
        if !ranked.isEmpty {
            lines.append("\ndocuments by boilerplate ratio (boilerplate / repeated / chrome):")
            for d in ranked.prefix(limit) {
                lines.append("   \(d.doc)  \(percent(d.boilerplateRatio)) / \(percent(d.repeatRatio)) / \(percent(d.chromeRatio))")
            }
        }
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
