import Foundation
import Testing
@testable import TongwenIndex
import TongwenTestSupport

/// Acceptance: a child writer (`tongwen-crash-writer`: the Indexer `tongwen index` runs) killed with SIGKILL at named steps of commit and merge,
/// and at seeded points (the N-th document added, the N-th flush …), leaves an index that passes
/// `check` and holds exactly the last committed set of documents. Every kill point is a counted
/// event, never a moment in time, so a loaded machine runs the same rounds.
@Suite(.serialized) struct CrashTests {
    let corpus = NSTemporaryDirectory() + "tongwen-crash-" + UUID().uuidString
    var index: String { corpus + "-index" }

    /// Writes the documents as files; removes files of documents not in the set.
    func write(_ docs: [String: String]) throws {
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: corpus) where docs[name] == nil {
            try FileManager.default.removeItem(atPath: corpus + "/" + name)
        }
        for (name, text) in docs { try Data(text.utf8).write(to: URL(fileURLWithPath: corpus + "/" + name)) }
    }

    /// The committed documents, id → text (and `check` must pass).
    func committed() throws -> [String: String] {
        guard FileManager.default.fileExists(atPath: index + "/manifest") else { return [:] }
        _ = try IndexChecker.check(index)
        let snapshot = try IndexSnapshot.open(index)
        var result: [String: String] = [:]
        for global in snapshot.liveDocuments { result[try snapshot.document(global).id] = try snapshot.text(global) }
        return result
    }

    func runIndex(killAt step: String? = nil) throws -> Int32 {
        let process = Process()
        process.executableURL = CLI.binary.deletingLastPathComponent().appendingPathComponent("tongwen-crash-writer")
        process.arguments = [corpus, index, "0.03"] + (step.map { [$0] } ?? [])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus
    }

    @Test func killedWritersNeverLoseOrCorruptACommit() throws {
        defer {
            try? FileManager.default.removeItem(atPath: corpus)
            try? FileManager.default.removeItem(atPath: index)
        }
        var rng = SeededGenerator(seed: 99)
        var docs: [String: String] = [:]
        for i in 0..<80 { docs["s\(i).txt"] = RandomText.make(&rng, length: 700) }
        try write(docs)
        #expect(try runIndex() == 0)
        #expect(try committed() == docs)

        let steps = ["flush:1", "flush:3", "flush:6", "deletes:1", "manifest:1", "collect:1", "merge:1", "manifest:2", "collect:2"]
        var killPoints = 0
        var sawOld = 0, sawNew = 0
        for round in 0..<26 {
            // The next batch: new, changed and removed speeches.
            let before = try committed()
            var next = docs
            for _ in 0..<12 { next["s\(Int.random(in: 0..<140, using: &rng)).txt"] = RandomText.make(&rng, length: 700) }
            for _ in 0..<6 { next["s\(Int.random(in: 0..<140, using: &rng)).txt"] = nil }
            try write(next)

            // The named steps first, then seeded ones: the N-th document added or the N-th step.
            let seeded = ["add:\(Int.random(in: 1...12, using: &rng))", "flush:\(Int.random(in: 1...8, using: &rng))",
                          "merge:\(Int.random(in: 1...2, using: &rng))", "manifest:\(Int.random(in: 1...2, using: &rng))"]
            let step = round < steps.count ? steps[round] : seeded[Int.random(in: 0..<seeded.count, using: &rng)]
            let status = try runIndex(killAt: step)
            let after = try committed()
            if after == before { sawOld += 1 } else if after == next { sawNew += 1 } else {
                Issue.record("round \(round) (\(step)): index holds neither the old nor the new commit")
            }
            if status == -SIGKILL { killPoints += 1 }
            if round < steps.count, ["manifest:1", "flush:1", "deletes:1"].contains(steps[round]) {
                #expect(after == before, "killed at \(steps[round]) before the manifest: the old commit must remain")
            }
            if round < steps.count, ["collect:1", "merge:1"].contains(steps[round]) {
                #expect(after == next, "killed at \(steps[round]) after the manifest: the new commit must remain")
            }
            // Finish the batch; the next writer must not be blocked by the dead one.
            #expect(try runIndex() == 0)
            #expect(try committed() == next)
            docs = next
        }
        #expect(killPoints >= 20)
        #expect(sawOld > 0 && sawNew > 0)
    }
}
