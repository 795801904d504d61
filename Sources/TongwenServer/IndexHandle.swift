import Synchronization
import TongwenDupes
import TongwenIndex
import TongwenSearch

/// The searcher the server answers with, swapped atomically when `tongwen index` commits: new
/// requests take the new snapshot, requests in flight finish on the one they took (its files stay
/// mapped even after the writer sweeps them).
public final class IndexHandle: Sendable {
    /// The index folder, or the shards' folders searched as one.
    public let directories: [String]
    private let current: Mutex<Searcher>
    private let statistics = Mutex<(UInt64, IndexStatistics)?>(nil)
    private let duplicates = Mutex<(UInt64, DupesReport)?>(nil)

    /// Analyzers each new searcher readies before it answers (``Searcher/warmUp(analyzers:)``).
    public let warmAnalyzers: Int

    /// Opens the index in `directory`; with `warmAnalyzers` > 0 its searchers are readied first
    /// (a server passes its number of search workers).
    public convenience init(directory: String, warmAnalyzers: Int = 0) throws(SearchError) {
        try self.init(shards: [directory], warmAnalyzers: warmAnalyzers)
    }

    /// Opens several indexes as one (``Searcher/open(shards:)``); a commit to any of them is
    /// picked up as to one index.
    public init(shards directories: [String], warmAnalyzers: Int = 0) throws(SearchError) {
        self.directories = directories
        self.warmAnalyzers = warmAnalyzers
        let searcher = try Searcher.open(shards: directories)
        if warmAnalyzers > 0 { try searcher.warmUp(analyzers: warmAnalyzers) }
        current = Mutex(searcher)
    }

    /// The searcher for one request.
    public var searcher: Searcher { current.withLock { $0 } }

    /// Opens the newest commits if a manifest moved on; returns whether it switched. A failed
    /// open (a commit in progress, a fault) keeps the current snapshot.
    @discardableResult
    public func reloadIfChanged() -> Bool {
        guard let generations = try? directories.map({ (d) throws(IndexError) in try IndexSnapshot.currentGeneration(d) }),
              generations != searcher.snapshot.generations,
              let fresh = try? Searcher.open(shards: directories) else { return false }
        if warmAnalyzers > 0 { try? fresh.warmUp(analyzers: warmAnalyzers) }
        current.withLock { $0 = fresh }
        return true
    }

    /// The duplicate-boilerplate report of the current commit: `tongwen dupes --save`'s cache when
    /// it matches, else computed on first use; kept for the commit.
    public func dupes() throws -> DupesReport {
        let snapshot = searcher.snapshot
        if let (generation, cached) = duplicates.withLock({ $0 }), generation == snapshot.generation { return cached }
        let fresh = try DupesCache.report(for: snapshot)
        duplicates.withLock { $0 = (snapshot.generation, fresh) }
        return fresh
    }

    /// `tongwen stats` figures for the current snapshot, computed once per commit.
    public func stats() throws(IndexError) -> IndexStatistics {
        let snapshot = searcher.snapshot
        if let (generation, cached) = statistics.withLock({ $0 }), generation == snapshot.generation { return cached }
        let fresh = try IndexStatistics(snapshot)
        statistics.withLock { $0 = (snapshot.generation, fresh) }
        return fresh
    }
}
