import Foundation

/// Where test data lives: the repo's `index-data/` and the shared corpus beside the repo.
public enum TestData {
    /// The package root (this file is Tests/TongwenTestSupport/TestSupport.swift).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let indexData = packageRoot.appendingPathComponent("index-data")
    public static let sharedCorpus = packageRoot.appendingPathComponent("../shared/corpus").standardizedFileURL
    public static let seeds = sharedCorpus.appendingPathComponent("seeds")

    /// True when `../shared/corpus/seeds` exists; tests that need it are skipped otherwise.
    public static var hasSeeds: Bool { FileManager.default.fileExists(atPath: seeds.path) }
    public static var hasSharedCorpus: Bool { FileManager.default.fileExists(atPath: sharedCorpus.path) }

    /// Every regular file below `folder` with one of `extensions`, sorted by path.
    public static func files(in folder: URL, extensions: Set<String> = ["txt", "md"]) -> [URL] {
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        let urls = (walker?.compactMap { $0 as? URL } ?? []).filter { extensions.contains($0.pathExtension) }
        return urls.sorted { $0.path < $1.path }
    }

    public static func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }
}

/// A small deterministic generator (SplitMix64) so property tests are reproducible by seed.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
