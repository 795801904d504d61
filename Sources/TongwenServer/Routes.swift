import Foundation
import Hummingbird
import ServiceLifecycle
import TongwenAnalysis
import TongwenDupes
import TongwenIndex
import TongwenSearch

/// The handlers. Every failure a client can cause is answered here with a 4xx. Searches run on
/// `searches` and the duplicate report on `reports`, with the deadline counted from arrival.
struct Routes: Sendable {
    let configuration: ServerConfiguration
    let handle: IndexHandle
    let searches: WorkPool
    /// The cheap lane: one worker for searches that read little.
    let cheapSearches: WorkPool
    let reports: WorkPool

    init(configuration: ServerConfiguration, handle: IndexHandle) {
        self.configuration = configuration
        self.handle = handle
        searches = WorkPool(name: "tongwen-search", workers: configuration.searchWorkers, queueLimit: configuration.maxQueuedSearches)
        cheapSearches = WorkPool(name: "tongwen-search-cheap", workers: 1, queueLimit: configuration.maxQueuedSearches)
        reports = WorkPool(name: "tongwen-report", workers: 1, queueLimit: 8)
    }

    /// The request's deadline: the query timeout after it arrived.
    func deadline(from arrival: ContinuousClock.Instant) -> ContinuousClock.Instant {
        arrival + .milliseconds(Int64(configuration.queryTimeoutMilliseconds))
    }

    static func refused(_ refusal: WorkPool.Refusal, timeout: Double, query: String?) -> Response {
        switch refusal {
        case .full: return Responses.error(.serviceUnavailable, "the server is busy (every search worker taken and the queue full); try again shortly", query: query)
        case .expired: return Responses.error(.serviceUnavailable, "the search waited longer than \(Int(timeout)) ms and was not run; try again shortly", query: query)
        }
    }

    /// The duplicate report, computed on the report worker (once per commit; later calls hit the cache).
    func dupesReport() async -> Result<DupesReport, ParameterFailure> {
        do {
            return try await reports.run { () -> Result<DupesReport, ParameterFailure> in
                do { return .success(try handle.dupes()) } catch {
                    return .failure(ParameterFailure(response: Responses.error(.internalServerError, "\(error)")))
                }
            }
        } catch {
            return .failure(ParameterFailure(response: Responses.error(.serviceUnavailable, "the duplicate report is being computed for other requests; try again shortly")))
        }
    }

    /// The pool for a search: the cheap lane when its estimated cost is small. A request whose
    /// parameters are malformed fails at once, so it is cheap.
    func pool(for parameters: [String: String]) -> WorkPool {
        guard case let .success(requested) = options(parameters) else { return cheapSearches }
        let filters = Self.filterNames.compactMap { name in parameters[name].map { (name, $0) } }
        let cost = handle.searcher.estimatedCost(parameters["q"], filters: filters, options: requested.options)
        return cost <= configuration.cheapSearchBytes ? cheapSearches : searches
    }

    /// Runs a search on a search worker, deadline counted from `arrival`.
    func pooledRun(_ parameters: [String: String], arrival: ContinuousClock.Instant) async -> Result<SearchResults, ParameterFailure> {
        var clusters: [[String]]?
        if ["1", "true"].contains(parameters["collapse"] ?? "") {
            switch await dupesReport() {
            case let .success(report): clusters = report.nearDuplicateClusters
            case let .failure(f): return .failure(f)
            }
        }
        // Computing the report (once per commit) does not count against the search's deadline.
        let deadline = deadline(from: clusters == nil ? arrival : ContinuousClock.now)
        do {
            return try await pool(for: parameters).run(deadline: deadline) { [clusters] in run(parameters, collapse: clusters, deadline: deadline) }
        } catch {
            return .failure(ParameterFailure(response: Self.refused(error, timeout: configuration.queryTimeoutMilliseconds, query: parameters["q"])))
        }
    }

    struct Health: Encodable {
        var status = "ok"
        var generation: UInt64
        var documents: Int
    }

    func health() -> Response {
        let snapshot = handle.searcher.snapshot
        return Responses.json(Health(generation: snapshot.generation, documents: snapshot.documentCount))
    }

    func stats() -> Response {
        do { return Responses.json(try handle.stats()) } catch { return Responses.error(.internalServerError, "\(error)") }
    }

}
