import Foundation

/// How `tongwen serve` runs.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// How often the manifest is checked for a new commit.
    public var reloadInterval: Duration = .milliseconds(500)
    /// A search still running after this long is stopped with a 503.
    public var queryTimeoutMilliseconds: Double = 2_000
    /// The largest `limit` a request may ask for.
    public var maxLimit = 100
    /// Longest request target (path and query) accepted; longer gets 414.
    public var maxURILength = 8_192
    /// Longest `text` for /analyze, in characters.
    public var maxAnalyzeLength = 20_000
    /// Threads that run searches (the cooperative threads stay free for cheap requests).
    public var searchWorkers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Searches that may wait for a worker, in each lane; one more is answered 503 at once.
    public var maxQueuedSearches = 256
    /// A search estimated to read at most this many bytes (its terms' postings, and its snippets'
    /// documents: ``Searcher/estimatedCost(_:filters:options:)``) runs in the cheap lane, a
    /// worker of its own, so it never waits behind expensive ones.
    public var cheapSearchBytes = 1 << 20
    /// A connection with nothing to read or write for this long is closed (slow or idle clients).
    public var idleTimeout: Duration = .seconds(30)

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}
