import Synchronization
import TongwenDupes
import TongwenIndex
import TongwenSearch

/// The searcher the server answers with, swapped atomically when `tongwen index` commits: new
/// requests take the new snapshot, requests in flight finish on the one they took (its files stay
/// mapped even after the writer sweeps them).
public final class IndexHandle: Sendable {
    public let directory: String
    private let current: Mutex<Searcher>
    private let statistics = Mutex<(UInt64, IndexStatistics)?>(nil)
    private let duplicates = Mutex<(UInt64, DupesReport)?>(nil)

    /// Analyzers each new searcher readies before it answers (``Searcher/warmUp(analyzers:)``).
    public let warmAnalyzers: Int

    /// Opens the index in `directory`; with `warmAnalyzers` > 0 its searchers are readied first
    /// (a server passes its number of search workers).
    public init(directory: String, warmAnalyzers: Int = 0) throws(SearchError) {
        self.directory = directory
        self.warmAnalyzers = warmAnalyzers
        let searcher = try Searcher.open(directory)
        if warmAnalyzers > 0 { try searcher.warmUp(analyzers: warmAnalyzers) }
        current = Mutex(searcher)
    }

    /// The searcher for one request.
    public var searcher: Searcher { current.withLock { $0 } }

    /// Opens the newest commit if the manifest moved on; returns whether it switched. A failed
    /// open (a commit in progress, a fault) keeps the current snapshot.
    @discardableResult
    public func reloadIfChanged() -> Bool {
        guard let generation = try? IndexSnapshot.currentGeneration(directory),
              generation != searcher.snapshot.generation,
              let fresh = try? Searcher.open(directory) else { return false }
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
