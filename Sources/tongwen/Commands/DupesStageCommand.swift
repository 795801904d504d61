import ArgumentParser
import Foundation
import TongwenDupes
import TongwenIndex

/// `tongwen dupes-stage`: the duplicate finder's pairwise stages run one part at a time, for a
/// cluster job (`scripts/spark/dupes_shards.py`) whose shuffle groups the fingerprints by hash.
/// `tongwen dupes --pairs DIR` then makes the report from the parts' results.
struct DupesStageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dupes-stage",
        abstract: "Run one part of the duplicate finder's pairwise stages (for a Spark job).",
        discussion: """
            A part is a contiguous range of the live documents of the index (or shard set).
            prepare writes the part's comparison units and prints its fingerprints, as lines
            hash<TAB>doc<TAB>position<TAB>part. The job groups them by hash and gives each part
            every occurrence (hash<TAB>doc<TAB>position) of the hashes seen twice or more that
            occur in it; pairs reads those from standard input and writes the part's pairwise
            results. `tongwen dupes --pairs DIR` then reports, as one `tongwen dupes` would.
            """,
        subcommands: [Prepare.self, Pairs.self]
    )

    /// What both stages are told: the documents, the part, and the units folder.
    struct PartOptions: ParsableArguments {
        @OptionGroup var location: ShardLocations

        @Option(parsing: .unconditional, help: "This part's number, 0…parts − 1.")
        var part: Int

        @Option(parsing: .unconditional, help: "How many parts the documents are split into.")
        var parts: Int

        @Option(help: "The folder of every part's units file.")
        var units: String

        func validate() throws {
            guard parts >= 1, (0..<parts).contains(part) else { throw ValidationError("--part must be 0…\(max(parts, 1) - 1) and --parts at least 1") }
        }

        func snapshot() throws -> IndexSnapshot { try IndexSnapshot.open(shards: location.directories()) }
    }

    struct Prepare: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Comparison units of one part (into --units) and its fingerprints (printed).")

        @OptionGroup var options: PartOptions

        func run() throws {
            try reportingErrors {
                try FileManager.default.createDirectory(atPath: options.units, withIntermediateDirectories: true)
                let out = FileHandle.standardOutput
                try DupesStages.prepare(options.snapshot(), part: options.part, of: options.parts, units: options.units) { out.write(Data($0)) }
            }
        }
    }

    struct Pairs: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pairwise results of one part, from its seeds on standard input.")

        @OptionGroup var options: PartOptions

        @Option(help: "The folder the part's results are written into.")
        var out: String

        func run() throws {
            try reportingErrors {
                let snapshot = try options.snapshot()
                var seeds = SeedLines()
                var buffer = [UInt8](repeating: 0, count: 1 << 20)
                while true {
                    let n = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                    if n < 0 && errno == EINTR { continue }
                    guard n >= 0 else { throw DupesError.stage("standard input: read failed (errno \(errno))") }
                    if n == 0 { break }
                    try buffer.withUnsafeBytes { try seeds.feed(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
                }
                try seeds.finish()
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                try DupesStages.pairs(snapshot, part: options.part, of: options.parts, units: options.units, seeds: seeds, output: out)
            }
        }
    }
}
