import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Issue "on-disk inverted index": runs the release `tongwen index` as a child process on the
/// corpus (wall time, peak RSS from wait4), then a no-change re-run and `tongwen check`.
enum IndexBench {
    struct ChildRun {
        var seconds: Double
        var peakRSSMB: Double
        var status: Int32
        var output: String
    }

    /// Runs the `tongwen` binary that sits beside this one.
    static func tongwen(_ arguments: [String]) -> ChildRun {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tongwen").path
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("tongwen-bench-\(getpid()).out").path
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: out) }
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        var pid: pid_t = 0
        let start = Clock.now
        let rc = posix_spawn(&pid, binary, &actions, nil, argv, environ)
        argv.forEach { free($0) }
        guard rc == 0 else { return ChildRun(seconds: 0, peakRSSMB: 0, status: -1, output: "cannot start \(binary)") }
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        let seconds = Clock.since(start)
        let output = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        return ChildRun(seconds: seconds, peakRSSMB: Double(usage.ru_maxrss) / 1024, status: status, output: output)
    }

    static func folderBytes(_ path: String, excluding suffix: String? = nil) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { suffix == nil || !$0.hasSuffix(suffix!) }.reduce(0) {
            $0 + ((try? FileManager.default.attributesOfItem(atPath: path + "/" + $1)[.size] as? Int) ?? 0)
        }
    }

    /// Indexes `inputs` into a fresh folder; prints figures. `analysisMBps` is the analysis stage's
    /// single-core throughput from the same run, for the ratio the issue asks for.
    @discardableResult
    static func run(label: String, inputs: [String], inputBytes: Int, analysisMBps: Double?) -> (index: String, seconds: Double) {
        let index = FileManager.default.temporaryDirectory.appendingPathComponent("tongwen-bench-index-\(label)-\(getpid())").path
        try? FileManager.default.removeItem(atPath: index)
        print("indexing (\(label)):")
        let first = tongwen(["index"] + inputs + ["--index", index, "--quiet"])
        guard first.status == 0 else {
            print("  FAILED (status \(first.status)): \(first.output.suffix(500))")
            return (index, 0)
        }
        let mbps = Double(inputBytes) / 1e6 / first.seconds
        let withoutText = folderBytes(index, excluding: ".text")
        let fingerprints = folderBytes(index) - folderBytes(index, excluding: ".fing")
        let search = withoutText - fingerprints
        let all = folderBytes(index)
        print("  first run            \(Figures.s(first.seconds)) s, \(String(format: "%.1f", mbps)) MB/s of input, peak RSS \(String(format: "%.0f", first.peakRSSMB)) MB (target < 1500)")
        if let analysisMBps {
            print("  ratio indexing / analysis-only: \(Figures.ratio(mbps / analysisMBps))  (target ≥ 0.50)")
        }
        print("  index size           \(Figures.mb(search)) MB for search (no stored text, no fingerprints) = \(Figures.ratio(Double(search) / Double(inputBytes))) × input (target ≤ 0.80)")
        print("                       + fingerprints \(Figures.mb(fingerprints)) MB = \(Figures.ratio(Double(fingerprints) / Double(inputBytes))) × input; \(Figures.mb(all)) MB with stored text")
        let again = tongwen(["index"] + inputs + ["--index", index, "--quiet"])
        print("  no-change re-run     \(Figures.s(again.seconds)) s = \(String(format: "%.1f", 100 * again.seconds / first.seconds)) % of the first run (target < 10 %)")
        let check = tongwen(["check", "--index", index])
        print("  check                \(check.status == 0 ? "passes" : "FAILS") in \(Figures.s(check.seconds)) s: \(check.output.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))")
        return (index, first.seconds)
    }
}
