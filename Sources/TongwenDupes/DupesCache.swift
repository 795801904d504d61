#if canImport(Glibc)
import Glibc
#endif
import TongwenIndex

/// The report of one commit, saved beside the index by `tongwen dupes --save` so that search
/// (`--collapse`), the server and later `tongwen dupes` calls need not recompute it. Keyed by the
/// commit generation: a newer commit makes it stale. Stored as the side file `dupes-report`
/// (``DupesReportCoding``).
public enum DupesCache {
    static let fileName = "dupes-report"
    /// Where builds before the binary cache kept the report as JSON; removed when a new one is saved.
    static let legacyFileName = "dupes-cache.json"

    /// The report saved for commit `generation`, if any (a stale, damaged or outdated cache is none).
    public static func load(_ directory: String, generation: UInt64) -> DupesReport? {
        guard let bytes = SideFile.read(directory: directory, name: fileName),
              let saved = bytes.withUnsafeBytes({ raw in try? DupesReportCoding.decode(raw, file: directory + "/" + fileName) }),
              saved.generation == generation else { return nil }
        return saved.report
    }

    /// Saves `report` as the cache of commit `generation`, atomically: readers see the old or the new one.
    public static func save(_ report: DupesReport, _ directory: String, generation: UInt64) throws(DupesError) {
        do {
            try SideFile.write(DupesReportCoding.encode(report, generation: generation), directory: directory, name: fileName)
        } catch {
            throw .cacheNotWritten(path: directory + "/" + fileName, reason: error.description)
        }
        unlink(directory + "/" + legacyFileName)
    }

    /// The cached report of the snapshot's commit, or a fresh one (not saved).
    public static func report(for snapshot: IndexSnapshot) throws(DupesError) -> DupesReport {
        // Several shards have no cache of their own together: computed, never saved.
        if snapshot.directories.count == 1, let cached = load(snapshot.directory, generation: snapshot.generation) { return cached }
        return try DupesFinder.run(snapshot)
    }
}
