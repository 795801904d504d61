import Foundation
import Testing
@testable import TongwenIndex
import TongwenTestSupport

/// Acceptance: a child `tongwen index` killed with SIGKILL at random moments and at named steps
/// of commit and merge leaves an index that passes `check` and holds exactly the last committed
/// set of documents.
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

    func runIndex(killAt step: String? = nil, killAfter delay: Double? = nil) throws -> Int32 {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["index", corpus, "--index", index, "--prune", "--ram-budget", "0.03", "--quiet"]
        var environment = ProcessInfo.processInfo.environment
        if let step { environment["TONGWEN_DEBUG_KILL_AT"] = step }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let delay {
            Thread.sleep(forTimeInterval: delay)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
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

        let start = Date()
        _ = try runIndex()
        let duration = max(0.2, Date().timeIntervalSince(start))

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

            let status: Int32
            if round < steps.count {
                status = try runIndex(killAt: steps[round])
            } else {
                status = try runIndex(killAfter: Double.random(in: 0...(duration * 1.3), using: &rng))
            }
            let after = try committed()
            if after == before { sawOld += 1 } else if after == next { sawNew += 1 } else {
                Issue.record("round \(round) (\(round < steps.count ? steps[round] : "timed")): index holds neither the old nor the new commit")
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
