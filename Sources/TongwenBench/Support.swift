import Foundation

/// Command-line arguments of the bench program.
struct BenchArguments {
    var corpusRoot = "../shared/corpus"
    /// Sub-folders of the root that make up the set (the benchmark corpus by default).
    var parts = ["seeds", "gov-work-reports", "ly-interpellations", "xinwenlianbo"]
    var rounds = 3
    /// Also index the scale corpus (ly-gazette-plenary, 284 MB once decompressed).
    var scale = false
    /// Only the variants stage's in-process figures (`--variants`), for a quick look.
    var variantsOnly = false
    /// Only the dupes stage and its chrome cost (`--dupes`).
    var dupesOnly = false

    static func parse(_ args: ArraySlice<String>) -> BenchArguments {
        var result = BenchArguments()
        var args = args
        while let arg = args.popFirst() {
            switch arg {
            case "--rounds": result.rounds = Int(args.popFirst() ?? "") ?? result.rounds
            case "--scale": result.scale = true
            case "--variants": result.variantsOnly = true
            case "--dupes": result.dupesOnly = true
            case "--help", "-h":
                print("usage: scripts/bench [CORPUS_DIR] [--rounds N] [--scale] [--variants] [--dupes]\n  default corpus: the benchmark corpus under ../shared/corpus\n  --scale: also index the scale corpus (ly-gazette-plenary)\n  --variants: only the cost of computing alternates and query forms\n  --dupes: only the dupes runs and the cost of chrome detection")
                exit(0)
            default:
                result.corpusRoot = arg
                result.parts = []
            }
        }
        return result
    }
}

/// The files of a corpus directory, read into memory once.
struct Corpus {
    var root: String
    var roots: [String] = []
    var files: [(path: String, bytes: [UInt8])]
    var totalBytes: Int { files.reduce(0) { $0 + $1.bytes.count } }

    static func load(_ arguments: BenchArguments) throws -> Corpus {
        let roots = arguments.parts.isEmpty ? [arguments.corpusRoot] : arguments.parts.map { arguments.corpusRoot + "/" + $0 }
        var files: [(String, [UInt8])] = []
        for root in roots {
            guard let walker = FileManager.default.enumerator(atPath: root) else {
                FileHandle.standardError.write(Data("bench: cannot read \(root) (the corpus lives in ../shared/corpus beside the repo)\n".utf8))
                exit(1)
            }
            for case let relative as String in walker where relative.hasSuffix(".txt") || relative.hasSuffix(".md") {
                let path = root + "/" + relative
                if let data = FileManager.default.contents(atPath: path) { files.append((path, [UInt8](data))) }
            }
        }
        files.sort { $0.0 < $1.0 }
        return Corpus(root: arguments.corpusRoot + (arguments.parts.isEmpty ? "" : " {" + arguments.parts.joined(separator: ",") + "}"),
                      roots: roots, files: files)
    }

    /// Total decompressed size of the .xz files under `root` (from xz's own index, no decoding).
    static func decompressedBytes(_ root: String) -> Int {
        let files = (FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []).filter { $0.hasSuffix(".xz") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/xz")
        process.arguments = ["--robot", "--list"] + files.map { root + "/" + $0 }
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return 0 }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let totals = output.split(separator: "\n").first { $0.hasPrefix("totals") }?.split(separator: "\t") ?? []
        return totals.count > 4 ? Int(totals[4]) ?? 0 : 0
    }
}

enum Clock {
    static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }
    static func since(_ start: UInt64) -> Double { Double(now - start) / 1e9 }
}

enum Figures {
    static func mb(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1e6) }
    static func ms(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1000) }
    static func s(_ seconds: Double) -> String { String(format: "%.2f", seconds) }
    static func rate(_ bytes: Int, _ seconds: Double) -> String { String(format: "%.1f", Double(bytes) / 1e6 / seconds) }
    static func ratio(_ value: Double) -> String { String(format: "%.2f", value) }
    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    /// Peak resident set size of this process so far, in MB (VmHWM).
    static func peakRSSMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        let kb = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        return kb / 1024
    }
}
