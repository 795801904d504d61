import Foundation

/// Issue "duplicate boilerplate": a full `tongwen dupes` run over the benchmark-corpus index as a
/// child process (time, peak RSS, characters per second).
enum DupesBench {
    static func run(index: String, characters: Int) {
        print("dupes:")
        let run = IndexBench.tongwen(["dupes", "--index", index, "--json"])
        guard run.status == 0 else {
            print("  FAILED (status \(run.status)): \(run.output.suffix(300))")
            return
        }
        let passages = run.output.components(separatedBy: "\"kind\":\"boilerplate\"").count - 1
        let near = run.output.components(separatedBy: "\"jaccard\":").count - 1
        print("  full run             \(Figures.s(run.seconds)) s, peak RSS \(String(format: "%.0f", run.peakRSSMB)) MB, "
            + "\(String(format: "%.2f", Double(characters) / 1e6 / run.seconds)) M characters/s (\(characters / 1_000_000) M characters); "
            + "\(passages) boilerplate passages, \(near) near-duplicate pairs")
    }
}
