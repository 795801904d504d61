import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TongwenIndex

/// The report of one commit, saved beside the index by `tongwen dupes --save` so that search
/// (`--collapse`) and the server need not recompute it. Keyed by the commit generation: a newer
/// commit makes it stale.
public enum DupesCache {
    struct Saved: Codable {
        var generation: UInt64
        var report: DupesReport
    }

    static func path(_ directory: String) -> String { directory + "/dupes-cache.json" }

    /// The report saved for commit `generation`, if any (a stale or unreadable cache is none).
    public static func load(_ directory: String, generation: UInt64) -> DupesReport? {
        guard let data = FileManager.default.contents(atPath: path(directory)),
              let saved = try? JSONDecoder().decode(Saved.self, from: data), saved.generation == generation else { return nil }
        return saved.report
    }

    /// Saves `report` as the cache of commit `generation`, atomically: readers see the old or the new one.
    public static func save(_ report: DupesReport, _ directory: String, generation: UInt64) throws(DupesError) {
        let temp = path(directory) + ".tmp"
        do {
            let data = try JSONEncoder().encode(Saved(generation: generation, report: report))
            try data.write(to: URL(fileURLWithPath: temp))
        } catch {
            throw .cacheNotWritten(path: temp, reason: "\(error.localizedDescription)")
        }
        guard rename(temp, path(directory)) == 0 else {
            throw .cacheNotWritten(path: path(directory), reason: String(cString: strerror(errno)))
        }
    }

    /// The cached report of the snapshot's commit, or a fresh one (not saved).
    public static func report(for snapshot: IndexSnapshot) throws(DupesError) -> DupesReport {
        // Several shards have no cache of their own together: computed, never saved.
        if snapshot.directories.count == 1, let cached = load(snapshot.directory, generation: snapshot.generation) { return cached }
        return try DupesFinder.run(snapshot)
    }
}
