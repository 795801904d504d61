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

if arguments.variantsOnly {
    VariantBench.alternatesCost(corpus)
    let index = FileManager.default.temporaryDirectory.appendingPathComponent("tongwen-bench-variants-\(getpid())").path
    _ = IndexBench.tongwen(["index"] + corpus.roots + ["--index", index, "--quiet"])
    VariantBench.interleaved(index: index, corpus: corpus)
    try? FileManager.default.removeItem(atPath: index)
    exit(0)
}

if arguments.dupesOnly {
    let index = FileManager.default.temporaryDirectory.appendingPathComponent("tongwen-bench-dupes-\(getpid())").path
    _ = IndexBench.tongwen(["index"] + corpus.roots + ["--index", index, "--quiet"])
    if let seconds = DupesBench.run(index: index, inputs: corpus.roots, label: "benchmark corpus") {
        DupesBench.chrome(corpus: corpus, fullRunSeconds: seconds)
    }
    try? FileManager.default.removeItem(atPath: index)
    exit(0)
}

let analysisMBps = AnalysisBench.run(corpus: corpus, rounds: arguments.rounds)

let (benchmarkIndex, indexSeconds) = IndexBench.run(label: "corpus", inputs: corpus.roots, inputBytes: corpus.totalBytes, analysisMBps: analysisMBps)
QueryBench.run(index: benchmarkIndex, corpus: corpus)
VariantBench.run(index: benchmarkIndex, corpus: corpus, indexSeconds: indexSeconds)
ServerBench.run(index: benchmarkIndex, corpus: corpus, inputs: corpus.roots)
DupesBench.fingerprinting(corpus: corpus, indexSeconds: indexSeconds)
if let seconds = DupesBench.run(index: benchmarkIndex, inputs: corpus.roots, label: "benchmark corpus") {
    DupesBench.chrome(corpus: corpus, fullRunSeconds: seconds)
}
QueryBench.run(index: benchmarkIndex, corpus: corpus, label: " with the boilerplate masks dupes left")
if arguments.scale {
    let scaleRoot = arguments.corpusRoot + "/ly-gazette-plenary"
    IndexBench.run(label: "scale corpus ly-gazette-plenary (xz, 284 MB decompressed)", inputs: [scaleRoot],
                   inputBytes: Corpus.decompressedBytes(scaleRoot), analysisMBps: nil)
    // 50 M characters: the benchmark corpus and the first 100 files of the scale corpus.
    let scaleFiles = ((try? FileManager.default.contentsOfDirectory(atPath: scaleRoot)) ?? []).filter { $0.hasSuffix(".xz") }.sorted().prefix(100)
    let inputs = corpus.roots + scaleFiles.map { scaleRoot + "/" + $0 }
    let index = FileManager.default.temporaryDirectory.appendingPathComponent("tongwen-bench-dupes50-\(getpid())").path
    let indexed = IndexBench.tongwen(["index"] + inputs + ["--index", index, "--quiet"])
    print("indexing (benchmark corpus + 100 scale files, for the 50 M-character dupes run): \(Figures.s(indexed.seconds)) s, peak RSS \(String(format: "%.0f", indexed.peakRSSMB)) MB")
    DupesBench.run(index: index, inputs: inputs, label: "50 M characters")
    try? FileManager.default.removeItem(atPath: index)
}
