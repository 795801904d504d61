import Foundation
import TongwenAnalysis
import TongwenSearch

/// Issue "cross-strait variants": what they cost, in this one run: the same corpus indexed without
/// alternates (wall time, search-index size), the queries with variants on and off on the same
/// index (interleaved), the single-core cost of computing alternates, and how many the corpus has.
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
        interleaved(index: index, corpus: corpus)
    }

    /// Query latency with variants on and off, taken query by query in turn (which goes first
    /// alternates), so that the machine's drift falls on both alike; the sampled classes plus
    /// phrases as the documents write them (Traditional ones included).
    static func interleaved(index: String, corpus: Corpus) {
        guard let searcher = try? Searcher.open(index) else { return }
        var classes = QueryBench.sample(corpus, perClass: 1_000)
        classes.append(QueryBench.QueryClass(name: "phrase as written", queries: writtenPhrases(corpus, count: 1_000), targetP50: 5, targetP99: nil))
        let on = SearchOptions(limit: 10, snippets: false)
        var off = on
        off.variants = false
        for c in classes { for q in c.queries { _ = try? searcher.search(q, options: on); _ = try? searcher.search(q, options: off) } }
        print("queries with variants on / off, interleaved query by query, fastest of 3 each (same index and process, no snippets):")
        var allOn: [Double] = [], allOff: [Double] = []
        func time(_ q: String, _ options: SearchOptions) -> Double {
            let start = Clock.now
            _ = try? searcher.search(q, options: options)
            return Clock.since(start) * 1000
        }
        func line(_ name: String, _ a: [Double], _ b: [Double]) {
            func p(_ v: [Double], _ q: Double) -> Double { v.sorted()[min(v.count - 1, Int(Double(v.count) * q))] }
            print("  \(name.padding(toLength: 22, withPad: " ", startingAt: 0)) p50 \(String(format: "%.3f / %.3f", p(a, 0.5), p(b, 0.5))) ms = \(Figures.ratio(p(a, 0.5) / p(b, 0.5))) ×;"
                + "  p99 \(String(format: "%.3f / %.3f", p(a, 0.99), p(b, 0.99))) ms = \(Figures.ratio(p(a, 0.99) / p(b, 0.99))) ×")
        }
        // Each query runs three times per mode, in the order on-off-off-on-on-off (or its mirror
        // for every other query), and keeps its fastest time per mode: a shared machine's stalls
        // then fall on neither side instead of on whichever query they hit.
        for c in classes {
            var a: [Double] = [], b: [Double] = []
            for (i, q) in c.queries.enumerated() {
                var bestOn = Double.infinity, bestOff = Double.infinity
                for round in 0..<3 {
                    if (i + round) % 2 == 0 {
                        bestOn = min(bestOn, time(q, on)); bestOff = min(bestOff, time(q, off))
                    } else {
                        bestOff = min(bestOff, time(q, off)); bestOn = min(bestOn, time(q, on))
                    }
                }
                a.append(bestOn)
                b.append(bestOff)
            }
            line(c.name, a, b)
            allOn += a
            allOff += b
        }
        line("all", allOn, allOff)
        print("  (target: within 1.05 ×)")
    }

    /// Quoted runs of 4–10 Han characters from the original text of the corpus files (either
    /// script, as written), with a fixed seed.
    static func writtenPhrases(_ corpus: Corpus, count: Int) -> [String] {
        var rng = BenchRandom(seed: 11)
        guard let table = try? NormalizationTable.shared() else { return [] }
        var phrases: [String] = []
        var attempts = 0
        while phrases.count < count && attempts < count * 50 {
            attempts += 1
            let file = corpus.files[Int(rng.next() % UInt64(corpus.files.count))]
            guard let text = String(validating: file.bytes, as: UTF8.self) else { continue }
            let scalars = Array(text.unicodeScalars)
            guard scalars.count > 20 else { continue }
            let length = 4 + Int(rng.next() % 7)
            let at = Int(rng.next() % UInt64(scalars.count - length))
            let window = scalars[at..<(at + length)]
            if window.allSatisfy({ table.isHan($0.value) }) {
                phrases.append("\"" + String(String.UnicodeScalarView(window)) + "\"")
            }
        }
        return phrases
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
        var formed: [[String]] = [], total = 0
        let queryStart = Clock.now
        for c in queries {
            for q in c.queries {
                total += 1
                if let forms = try? variants.queryForms(q), !forms.isEmpty { formed.append([q] + forms) }
            }
        }
        let querySeconds = Clock.since(queryStart)
        let normal = { (text: String) -> String in analyzer.table.normalize(text) }
        let other = formed.count { forms in forms.dropFirst().contains { normal($0) != normal(forms[0]) } }
        print("  query forms          \(formed.count) of \(total) sampled queries have another form, \(other) another normal form; "
            + "\(String(format: "%.1f", querySeconds * 1e6 / Double(max(1, total)))) µs per query on average (warm)")
    }
}
