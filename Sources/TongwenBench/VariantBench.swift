import Foundation
import TongwenAnalysis

/// Issue "cross-strait variants": what they cost, in this one run: the same corpus indexed without
/// alternates (wall time, search-index size), the queries with variants off on the same index,
/// the single-core cost of computing alternates, and how many the corpus has.
enum VariantBench {
    static func run(index: String, corpus: Corpus, indexSeconds: Double) {
        print("variants (cross-strait, OpenCC \(((try? VariantDictionaries.shared())?.version) ?? "?")):")
        let plain = FileManager.default.temporaryDirectory.appendingPathComponent("tongwen-bench-plain-\(getpid())").path
        let again = FileManager.default.temporaryDirectory.appendingPathComponent("tongwen-bench-again-\(getpid())").path
        defer { for folder in [plain, again] { try? FileManager.default.removeItem(atPath: folder) } }
        // Rounds taken in turn, medians compared: one pair of runs on a shared machine is noise.
        var with: [Double] = [indexSeconds], without: [Double] = []
        for round in 0..<3 {
            for folder in [plain, again] { try? FileManager.default.removeItem(atPath: folder) }
            without.append(IndexBench.tongwen(["index"] + corpus.roots + ["--index", plain, "--quiet", "--without-alternates"]).seconds)
            if round < 2 { with.append(IndexBench.tongwen(["index"] + corpus.roots + ["--index", again, "--quiet"]).seconds) }
        }
        let ratio = Figures.median(with) / Figures.median(without)
        print("  indexing without alternates \(without.map(Figures.s).joined(separator: ", ")) s; with them \(with.map(Figures.s).joined(separator: ", ")) s; "
            + "medians \(Figures.ratio(ratio)) × (target ≤ 1.10)")
        let withSize = IndexBench.folderBytes(index, excluding: ".text") - fingerprintBytes(index)
        let plainSize = IndexBench.folderBytes(plain, excluding: ".text") - fingerprintBytes(plain)
        print("  search index without alternates \(Figures.mb(plainSize)) MB; with them \(Figures.mb(withSize)) MB = \(Figures.ratio(Double(withSize) / Double(plainSize))) × (target ≤ 1.05)")
        alternatesCost(corpus)
        QueryBench.run(index: index, corpus: corpus, label: " with variants off (=, --no-variants), same index", variants: false)
    }

    static func fingerprintBytes(_ index: String) -> Int {
        IndexBench.folderBytes(index) - IndexBench.folderBytes(index, excluding: ".fing")
    }

    static func alternatesCost(_ corpus: Corpus) {
        guard let analyzer = try? Analyzer(), let variants = try? analyzer.variants() else { return }
        let analyses = corpus.files.compactMap { String(validating: $0.bytes, as: UTF8.self) }.compactMap { try? analyzer.analyze($0) }
        let loading = Clock.now
        if let warm = try? analyzer.analyze("計畫，答覆") { _ = variants.alternates(of: warm) }  // dictionaries loaded, converters opened
        print("  dictionaries         loaded in \(Figures.s(Clock.since(loading))) s (once per process)")
        let start = Clock.now
        var count = 0, documents = 0
        for analysis in analyses {
            let n = variants.alternates(of: analysis).count
            count += n
            if n > 0 { documents += 1 }
        }
        let seconds = Clock.since(start)
        print("  alternates           \(count) in \(documents) of \(analyses.count) documents, computed in \(Figures.s(seconds)) s on one core (\(Figures.rate(corpus.totalBytes, seconds)) MB/s); "
            + "\(variants.convertedCharacters) of \(variants.scannedCharacters) Han characters (\(String(format: "%.1f", 100 * Double(variants.convertedCharacters) / Double(max(1, variants.scannedCharacters)))) %) went to OpenCC")
        let queries = QueryBench.sample(corpus, perClass: 1_000)
        for c in queries { for q in c.queries { _ = try? variants.queryForms(q) } }  // warm: dictionaries loaded
        var triggered = 0, total = 0
        let queryStart = Clock.now
        for c in queries {
            for q in c.queries {
                total += 1
                if let forms = try? variants.queryForms(q), !forms.isEmpty { triggered += 1 }
            }
        }
        let querySeconds = Clock.since(queryStart)
        print("  query forms          \(triggered) of \(total) sampled queries have another form; \(String(format: "%.1f", querySeconds * 1e6 / Double(max(1, total)))) µs per query on average (warm)")
    }
}
