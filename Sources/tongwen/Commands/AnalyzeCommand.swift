import ArgumentParser
import Foundation
import TongwenAnalysis

/// `tongwen analyze`: shows what the pipeline makes of a text (cleaning, normalization, tokens
/// with offsets) — the way to debug why a query did or did not match.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Show the cleaned and normalized text and the tokens of a text or files.",
        discussion: """
            Examples:
              tongwen analyze "在創(chuàng)建全國文明城市動員大會上的講話"
              tongwen analyze --file speech.txt --json
              tongwen analyze --summary --file index-data/speeches
            Offsets: "chars" count Unicode scalars and "bytes" UTF-8 bytes of the ORIGINAL text.
            """
    )

    @Argument(help: "Text to analyze (omit when using --file).")
    var text: String?

    @Option(name: .long, help: "Analyze a file (repeatable); a folder means every .txt/.md file in it.")
    var file: [String] = []

    @Option(name: .long, help: "Force the input encoding (utf-8, utf-16le, utf-16be, gb18030, big5); default: detect.")
    var encoding: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @Flag(name: .long, help: "One line per file (encoding, size, tokens, annotations removed) instead of the tokens.")
    var summary = false

    func validate() throws {
        if text == nil && file.isEmpty { throw ValidationError("give a text or --file PATH") }
        if text != nil && !file.isEmpty { throw ValidationError("give either a text or --file, not both") }
    }

    func run() throws {
        let analyzer = try Analyzer()
        if let text {
            try emit(analyzer.analyze(text), source: nil, encoding: nil, analyzer)
            return
        }
        var failures = 0
        for path in try InputFiles.expand(file) {
            do {
                let bytes = try InputFiles.read(path)
                let decoded = try TextDecoder.decode(bytes, encoding: encoding, source: path)
                try emit(analyzer.analyze(decoded.text), source: path, encoding: decoded.encoding, analyzer)
            } catch {
                failures += 1
                printError("\(error)")
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    private func emit(_ analysis: Analysis, source: String?, encoding: String?, _ analyzer: Analyzer) throws {
        if summary {
            let line = AnalysisSummary(analysis, source: source, encoding: encoding)
            print(json ? try JSONOutput.line(line) : line.text)
        } else if json {
            print(try JSONOutput.line(AnalysisReport(analysis, source: source, encoding: encoding, variants: analyzer.variants())))
        } else {
            print(try AnalysisReport(analysis, source: source, encoding: encoding, variants: analyzer.variants()).text)
        }
    }
}

/// One line per file for `analyze --summary`.
struct AnalysisSummary: Encodable {
    var source: String?
    var encoding: String?
    var bytes: Int
    var characters: Int
    var tokens: Int
    var annotationsRemoved: Int
    var head: String

    init(_ analysis: Analysis, source: String?, encoding: String?) {
        self.source = source
        self.encoding = encoding
        bytes = analysis.original.utf8.count
        characters = analysis.original.unicodeScalars.count
        tokens = analysis.segments.count
        annotationsRemoved = analysis.removed.count
        head = String(String(decoding: analysis.normalized.prefix(24), as: UTF16.self).prefix { $0 != "\n" })
    }

    var text: String {
        "\(source ?? "<text>")\t\(encoding ?? "-")\t\(bytes) bytes\t\(characters) chars\t\(tokens) tokens\t"
            + "\(annotationsRemoved) annotations removed\t\(head)"
    }
}
