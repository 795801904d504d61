// The benchmark program behind scripts/bench: prints figures, asserts nothing.
// Each stage adds its own section; ratios asked for by the issues are measured in this one run.
import CICUShim
import Foundation
import TongwenAnalysis

let arguments = BenchArguments.parse(CommandLine.arguments.dropFirst())
let corpus = try Corpus.load(arguments)
print("corpus: \(corpus.root) — \(corpus.files.count) files, \(Figures.mb(corpus.totalBytes)) MB UTF-8")
print("ICU \(ICU.version)")

let tableStart = Clock.now
let table = try NormalizationTable.shared()
print("normalization table: \(table.changedCount) code points mapped, built in \(Figures.ms(Clock.since(tableStart))) ms")

let analysisMBps = AnalysisBench.run(corpus: corpus, rounds: arguments.rounds)

let benchmarkIndex = IndexBench.run(label: "corpus", inputs: corpus.roots, inputBytes: corpus.totalBytes, analysisMBps: analysisMBps)
QueryBench.run(index: benchmarkIndex, corpus: corpus)
DupesBench.run(index: benchmarkIndex, characters: corpus.files.reduce(0) { $0 + (String(validating: $1.bytes, as: UTF8.self)?.unicodeScalars.count ?? 0) })
ServerBench.run(index: benchmarkIndex, corpus: corpus, inputs: corpus.roots)
if arguments.scale {
    let scaleRoot = arguments.corpusRoot + "/ly-gazette-plenary"
    IndexBench.run(label: "scale corpus ly-gazette-plenary (xz, 284 MB decompressed)", inputs: [scaleRoot],
                   inputBytes: Corpus.decompressedBytes(scaleRoot), analysisMBps: nil)
}
