import Foundation
import TongwenAnalysis
import TongwenDupes

/// Issue "duplicate boilerplate": the fingerprinting the indexer does, a full `tongwen dupes` run
/// over an index (time, peak RSS, characters per second), then the incremental runs after 100
/// documents are removed and after they are added back, and a `--full` run to compare with.
enum DupesBench {
    /// Single-core cost of the fingerprints the indexer stores (comparison text + winnowing).
    static func fingerprinting(corpus: Corpus, indexSeconds: Double) {
        guard let analyzer = try? Analyzer() else { return }
        let texts = corpus.files.compactMap { String(validating: $0.bytes, as: UTF8.self) }
        let start = Clock.now
        var count = 0
        for text in texts { count += Winnowing.fingerprints((try? DedupText(text, analyzer: analyzer))?.units ?? []).count }
        let seconds = Clock.since(start)
        print("dupes:")
        print("  fingerprinting       \(Figures.s(seconds)) s on one core (\(Figures.rate(corpus.totalBytes, seconds)) MB/s, \(count) fingerprints) "
            + "= \(String(format: "%.0f", 100 * seconds / indexSeconds)) % of the indexing run's wall time, done on its analysis thread")
    }

    /// Runs the dupes stage over `index`, built from `inputs` (which re-adds removed documents);
    /// returns the faster of its two full runs' seconds.
    @discardableResult
    static func run(index: String, inputs: [String], label: String) -> Double? {
        print("dupes (\(label)):")
        let full = IndexBench.tongwen(["dupes", "--index", index, "--json", "--save"])
        guard full.status == 0, let report = Report(full.output) else {
            print("  FAILED (status \(full.status)): \(full.output.suffix(300))")
            return nil
        }
        print("  full run             \(Figures.s(full.seconds)) s, peak RSS \(String(format: "%.0f", full.peakRSSMB)) MB, "
            + "\(String(format: "%.2f", Double(report.characters) / 1e6 / full.seconds)) M characters/s "
            + "(\(String(format: "%.1f", Double(report.characters) / 1e6)) M comparison characters in \(report.documents.count) documents); "
            + "\(report.boilerplate) boilerplate passages of \(report.passages.count), \(report.nearPairs) near-duplicate pairs"
            + " (target for 50 M: ≤ 600 s, ≤ 4096 MB)")

        var fullSeconds = full.seconds
        // 100 documents spread over the corpus: removed, then indexed again.
        let step = max(1, report.documents.count / 100)
        let chosen = stride(from: 0, to: report.documents.count, by: step).prefix(100).map { report.documents[$0] }
        _ = IndexBench.tongwen(["remove", "--index", index] + chosen)
        let removed = IndexBench.tongwen(["dupes", "--index", index, "--json", "--save"])
        print("  after removing \(chosen.count)   \(Figures.s(removed.seconds)) s, peak RSS \(String(format: "%.0f", removed.peakRSSMB)) MB (incremental)")
        let added = IndexBench.tongwen(["index"] + inputs + ["--index", index, "--quiet"])
        let incremental = IndexBench.tongwen(["dupes", "--index", index, "--json", "--save"])
        print("  index +\(chosen.count) documents  \(Figures.s(added.seconds)) s (fingerprints included)")
        print("  dupes +\(chosen.count) documents  \(Figures.s(incremental.seconds)) s, peak RSS \(String(format: "%.0f", incremental.peakRSSMB)) MB (incremental; target ≤ 10 s)")
        let again = IndexBench.tongwen(["dupes", "--index", index, "--json", "--full"])
        if again.status == 0 { fullSeconds = min(full.seconds, again.seconds) }
        if let a = Report(incremental.output), let b = Report(again.output) {
            let differing = a.passageKeys.symmetricDifference(b.passageKeys).count
            print("  --full run           \(Figures.s(again.seconds)) s; incremental vs full: \(a.passages.count) / \(b.passages.count) passages, "
                + "\(differing) differ (chain-seeded groups of > 32 documents), near-duplicate pairs \(a.nearPairs == b.nearPairs ? "equal" : "DIFFER")")
        }
        return fullSeconds
    }

    /// The chrome stages alone (zones, learned templates, rules; both cores) over the corpus,
    /// fastest of three, against the faster full `dupes` run, which includes them.
    static func chrome(corpus: Corpus, fullRunSeconds: Double) {
        let texts = corpus.files.compactMap { String(validating: $0.bytes, as: UTF8.self) }
        var seconds = Double.infinity
        var result: (chrome: [[ChromeRules.Segment]], templates: [DupesReport.ChromeTemplate])?
        for _ in 0..<3 {
            let start = Clock.now
            result = try? DupesFinder.chrome(texts)
            seconds = min(seconds, Clock.since(start))
        }
        guard let (found, templates) = result else { return }
        print("  chrome detection     \(Figures.s(seconds)) s (fastest of 3) = \(String(format: "%.1f", 100 * seconds / fullRunSeconds)) % of the faster full run "
            + "(\(found.reduce(0) { $0 + $1.count }) spans in \(found.filter { !$0.isEmpty }.count) documents, \(templates.count) templates learned; target < 15 %)")
    }

    /// The parts of a `tongwen dupes --json` report the bench prints.
    struct Report {
        var documents: [String]
        var characters: Int
        var passages: [[String: Any]]
        var boilerplate: Int
        var nearPairs: Int

        init?(_ output: String) {
            guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
                  let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let documents = object["documents"] as? [[String: Any]], let passages = object["passages"] as? [[String: Any]] else { return nil }
            self.documents = documents.compactMap { $0["doc"] as? String }
            characters = documents.reduce(0) { $0 + (($1["characters"] as? Int) ?? 0) }
            self.passages = passages
            boilerplate = passages.filter { $0["kind"] as? String == "boilerplate" }.count
            nearPairs = (object["nearDuplicates"] as? [Any])?.count ?? 0
        }

        /// Each passage as its copies (document and offsets).
        var passageKeys: Set<String> {
            Set(passages.map { p in
                ((p["members"] as? [[String: Any]]) ?? []).map { "\($0["doc"] ?? "")@\($0["start"] ?? "")-\($0["end"] ?? "")" }.joined(separator: ",")
            })
        }
    }
}
