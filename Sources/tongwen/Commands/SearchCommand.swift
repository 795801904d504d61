import ArgumentParser
import Foundation
import TongwenDupes
import TongwenSearch

/// `tongwen search`: the query language over the index, ranked, with snippets.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the index. Either script finds both; a quoted phrase matches exactly.",
        discussion: """
            Query language:
              处理 文明              both (AND); an unquoted Han run matches as an exact substring
              处理 OR 办理           either;  -广告 or NOT 广告 excludes;  ( … ) groups
              "全国文明城市"         exact phrase (normalized substring)
              "文明 城市"~5          the parts in order, at most 5 extra characters between them
              covid*                 Latin words starting with covid
              title:讲话 speaker:张三 venue:北京 source:新华社 path:2019/
              date:2019  date:2019..2021  date:2019-03..  date:..2020-06-30
            Exit status 2 for a malformed query (the message gives the column), 1 for index errors.
            """
    )

    @Argument(help: "The query (omit with --batch).")
    var query: String?

    @OptionGroup var location: ShardLocations

    @Option(parsing: .unconditional, help: "How many hits to show.")
    var limit = 10

    @Option(parsing: .unconditional, help: "How many hits to skip (paging).")
    var offset = 0

    @Flag(help: "Print JSON (schema in the README).")
    var json = false

    @Flag(name: .customLong("no-snippets"), help: "Leave snippets out (faster).")
    var noSnippets = false

    @Option(help: "Answer one query per line of FILE (- for standard input), one JSON line each.")
    var batch: String?

    @Option(name: .customLong("timeout"), parsing: .unconditional, help: "Stop a search after this many milliseconds, as the server does (none by default).")
    var timeout: Double?

    @Flag(name: .customLong("no-variants"), help: "Plain per-character matching: no cross-strait variants (計畫 for 计划); `=term` does it for one term.")
    var noVariants = false

    @Flag(help: "Fold near-duplicate versions into one hit (uses `tongwen dupes --save`'s cache, else computes it).")
    var collapse = false

    @Flag(help: "Break each hit's score into its parts (BM25 of each term, its ICU words, the title).")
    var explain = false

    @Option(help: ArgumentHelp("Override ranking constants, e.g. k1=1.2,b=0.75 (names: k1, b, phrase, title, word, proximity, span, window).", valueName: "NAME=VALUE,…"))
    var ranking: String?

    func validate() throws {
        if let ranking, case let .failure(error) = RankingParameters.parse(ranking) { throw ValidationError("--ranking \(error.message)") }
        if limit < 0 { throw ValidationError("--limit must be 0 or more") }
        if offset < 0 { throw ValidationError("--offset must be 0 or more") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of milliseconds") }
        if (query == nil) == (batch == nil) { throw ValidationError("give a query or --batch FILE (a query that starts with '-' goes after '--': tongwen search -- -经济)") }
    }

    func run() throws {
        let directories = try location.directories()
        let searcher = try reportingErrors { try Searcher.open(shards: directories) }
        var options = SearchOptions(limit: limit, offset: offset, snippets: !noSnippets, timeoutMilliseconds: timeout)
        options.variants = !noVariants
        options.explain = explain
        if let ranking, case let .success(parameters) = RankingParameters.parse(ranking) { options.ranking = parameters }
        if collapse {
            options.collapse = try reportingErrors { try DupesCache.report(for: searcher.snapshot).nearDuplicateClusters }
        }
        if let batch {
            try reportingErrors { try searcher.warmUp() }
            try runBatch(batch, searcher, options)
            return
        }
        let results: SearchResults
        do {
            results = try searcher.search(query!, options: options)
        } catch let .query(error) {
            printError(error.description)
            FileHandle.standardError.write(Data(QueryErrorDisplay.caret(query!, column: error.column).utf8))
            throw ExitCode(2)
        } catch {
            printError("\(error)" + hint(for: error))
            throw ExitCode(1)
        }
        if json {
            print(try JSONOutput.line(SearchResponse(results)))
        } else {
            print(ResultsDisplay.text(results, color: isatty(1) == 1))
        }
    }

    private func runBatch(_ path: String, _ searcher: Searcher, _ options: SearchOptions) throws {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                printError("\(path): cannot read the batch file")
                throw ExitCode(1)
            }
            data = contents
        }
        // One JSON line per input line, blank ones included (an error line), so output lines up with input.
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for line in lines {
            let query = String(line).trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            switch Result(catching: { () throws(SearchError) in try searcher.search(query, options: options) }) {
            case let .success(results):
                print(try JSONOutput.line(SearchResponse(results)))
            case let .failure(.query(error)):
                print(try JSONOutput.line(ErrorResponse(query: query, error: .init(message: error.message, column: error.column))))
            case let .failure(error):
                print(try JSONOutput.line(ErrorResponse(query: query, error: .init(message: "\(error)", column: nil))))
            }
        }
    }
}

enum QueryErrorDisplay {
    /// The query and a caret under `column` (wide characters count two cells).
    static func caret(_ query: String, column: Int) -> String {
        var cells = 0
        for (i, scalar) in query.unicodeScalars.enumerated() where i < column - 1 {
            cells += scalar.value >= 0x1100 && scalar.properties.isIdeographic || (0xFF00...0xFF60).contains(scalar.value)
                || (0x3000...0x303F).contains(scalar.value) ? 2 : 1
        }
        return "  \(query)\n  \(String(repeating: " ", count: cells))^\n"
    }
}

enum ResultsDisplay {
    static func text(_ results: SearchResults, color: Bool) -> String {
        var lines: [String] = []
        let shown = results.hits.isEmpty ? "" : " (showing \(results.offset + 1)–\(results.offset + results.hits.count))"
        lines.append("\(results.total) result\(results.total == 1 ? "" : "s") for \(results.query)\(shown), \(String(format: "%.2f", results.tookMs)) ms")
        for (term, forms) in results.variants {
            lines.append("   also matching \(term) as \(forms.joined(separator: ", ")) (cross-strait variants; =\(term) or --no-variants for the plain form)")
        }
        for (i, hit) in results.hits.enumerated() {
            lines.append("")
            let date = hit.metadata["date"].map { "  \($0)" } ?? ""
            let tier = hit.boilerplateOnly ? "  [boilerplate only]" : ""
            lines.append("\(results.offset + i + 1). \(hit.id)\(date)  score \(String(format: "%.2f", hit.score))\(tier)")
            lines.append("   \(hit.title)")
            if let similar = hit.similarVersions, !similar.isEmpty {
                lines.append("   (+\(similar.count) similar version\(similar.count == 1 ? "" : "s"): \(similar.joined(separator: ", ")))")
            }
            for snippet in hit.snippets { lines.append("   " + mark(snippet, color: color)) }
            if let explanation = hit.explanation { lines += explanation.lines(indent: "   ") }
        }
        return lines.joined(separator: "\n")
    }

    /// The snippet with its highlights in reverse video on a terminal, `[…]` otherwise.
    static func mark(_ snippet: Snippet, color: Bool) -> String {
        let utf8 = Array(snippet.text.utf8)
        var out: [UInt8] = []
        var cursor = 0
        let open = Array((color ? "\u{1B}[1;31m" : "[").utf8), close = Array((color ? "\u{1B}[0m" : "]").utf8)
        for h in snippet.highlights where h.startByte >= cursor {
            out += utf8[cursor..<h.startByte] + open + utf8[h.startByte..<h.endByte] + close
            cursor = h.endByte
        }
        out += utf8[cursor...]
        return String(decoding: out, as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
    }
}
