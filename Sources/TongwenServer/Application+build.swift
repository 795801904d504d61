import Foundation
import Hummingbird
import ServiceLifecycle
import TongwenAnalysis
import TongwenDupes
import TongwenIndex
import TongwenSearch

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

/// Builds the read-only query server (tests call it in-process; `tongwen serve` runs it):
///
/// - `GET /search?q=&limit=&offset=&snippets=&variants=&collapse=&title=&speaker=&venue=&source=&path=&date=`
/// - `GET /documents/{id}` — metadata and original text
/// - `GET /analyze?text=` — what the analysis pipeline makes of a text
/// - `GET /duplicates` — the `tongwen dupes --json` report (cached per commit)
/// - `GET /stats`, `GET /health`
/// - `GET /` — a search page (no external assets)
///
/// JSON is the CLI's `--json` schema; errors are `{"error": {"message", "column"?, "parameter"?}}`
/// with 400 (bad query or parameter), 404 (unknown document or route), 414 (too long), 503 (deadline).
public func buildApplication(_ configuration: ServerConfiguration, handle: IndexHandle,
                             onRunning: (@Sendable (String) -> Void)? = nil) -> some ApplicationProtocol {
    let router = Router()
    router.add(middleware: GuardMiddleware(maxURILength: configuration.maxURILength))
    let routes = Routes(configuration: configuration, handle: handle)
    router.get("/health") { request, _ in routes.health() }
    router.get("/stats") { request, _ in routes.stats() }
    router.get("/search") { request, _ in await routes.search(request) }
    router.get("/analyze") { request, _ in routes.analyze(request) }
    router.get("/duplicates") { request, _ in await routes.duplicates() }
    router.get("/documents/**") { request, context in routes.document(context.parameters.getCatchAll()) }
    router.get("/") { request, _ in await routes.page(request) }
    var app = Application(
        router: router,
        server: .tolerantHTTP1(idleTimeout: configuration.idleTimeout),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "tongwen"),
        onServerRunning: { channel in
            let address = channel.localAddress.map { "http://\($0.ipAddress ?? configuration.host):\($0.port ?? configuration.port)" } ?? ""
            onRunning?(address)
        }
    )
    app.addServices(ReloadService(handle: handle, interval: configuration.reloadInterval))
    return app
}

/// Polls the manifest and switches the handle to each new commit.
struct ReloadService: Service {
    let handle: IndexHandle
    let interval: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }  // cancelled: shutting down
                handle.reloadIfChanged()
            }
        }
    }
}

/// Adds `Access-Control-Allow-Origin: *` to every response (GET only: the server is read-only),
/// refuses over-long request targets with 414, and turns any error a handler lets through into
/// a JSON error instead of a bare 500.
struct GuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxURILength: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        if request.uri.string.utf8.count > maxURILength {
            response = Responses.error(.uriTooLong, "request target longer than \(maxURILength) bytes")
        } else {
            do {
                response = try await next(request, context)
            } catch let error as HTTPError {
                response = Responses.error(error.status, error.body ?? error.status.reasonPhrase)
            } catch {
                response = Responses.error(.internalServerError, "\(error)")
            }
        }
        response.headers[.accessControlAllowOrigin] = "*"
        return response
    }
}

enum Responses {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        guard let data = try? encoder.encode(value) else { return error(.internalServerError, "cannot encode the response") }
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String, column: Int? = nil, parameter: String? = nil, query: String? = nil) -> Response {
        json(ErrorResponse(query: query, error: .init(message: message, column: column, parameter: parameter)), status: status)
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

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

    /// Reads the request's parameters, or the 400 to answer.
    func parameters(_ request: Request) -> Result<[String: String], ParameterFailure> {
        do { return .success(try QueryString.parse(request.uri.query)) } catch {
            return .failure(ParameterFailure(response: Responses.error(.badRequest, error.message, parameter: error.parameter)))
        }
    }

    struct ParameterFailure: Error { var response: Response }

    /// A non-negative integer parameter within `range`.
    func integer(_ parameters: [String: String], _ name: String, default value: Int, range: ClosedRange<Int>) -> Result<Int, ParameterFailure> {
        guard let text = parameters[name] else { return .success(value) }
        guard let n = Int(text), range.contains(n) else {
            return .failure(ParameterFailure(response: Responses.error(.badRequest, "'\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound)", parameter: name)))
        }
        return .success(n)
    }

    /// A true/false parameter (`1`/`0` too).
    func boolean(_ parameters: [String: String], _ name: String, default value: Bool) -> Result<Bool, ParameterFailure> {
        guard let text = parameters[name] else { return .success(value) }
        guard ["0", "1", "true", "false"].contains(text) else {
            return .failure(ParameterFailure(response: Responses.error(.badRequest, "'\(name)' must be true or false", parameter: name)))
        }
        return .success(text == "1" || text == "true")
    }

    /// The search options the parameters ask for (no deadline yet), and whether to collapse
    /// near-duplicates; or the 400 to answer.
    func options(_ parameters: [String: String], snippetsByDefault: Bool = true) -> Result<(options: SearchOptions, collapse: Bool), ParameterFailure> {
        Result { () throws(ParameterFailure) in
            var options = SearchOptions(limit: try integer(parameters, "limit", default: 10, range: 0...configuration.maxLimit).get(),
                                        offset: try integer(parameters, "offset", default: 0, range: 0...Int(Int32.max)).get())
            let collapse = try boolean(parameters, "collapse", default: false).get()
            options.variants = try boolean(parameters, "variants", default: true).get()
            options.snippets = try boolean(parameters, "snippets", default: snippetsByDefault).get()
            return (options, collapse)
        }
    }

    static let filterNames = ["title", "speaker", "venue", "source", "path", "date"]

    /// Runs a search from request parameters: the results, or the error response. `collapse`
    /// holds the near-duplicate groups when the request asks to collapse.
    func run(_ parameters: [String: String], snippetsByDefault: Bool = true, collapse clusters: [[String]]? = nil,
             deadline: ContinuousClock.Instant? = nil) -> Result<SearchResults, ParameterFailure> {
        let q = parameters["q"]
        let filters = Self.filterNames.compactMap { name in parameters[name].map { (name, $0) } }
        if (q ?? "").unicodeScalars.allSatisfy(\.properties.isWhitespace) && filters.isEmpty {
            return .failure(ParameterFailure(response: Responses.error(.badRequest, "missing query: give q (or a filter such as date)", column: 1, parameter: "q")))
        }
        let requested: (options: SearchOptions, collapse: Bool)
        switch options(parameters, snippetsByDefault: snippetsByDefault) {
        case let .success(o): requested = o
        case let .failure(f): return .failure(f)
        }
        var timeout = configuration.queryTimeoutMilliseconds
        if let deadline {
            let left = ContinuousClock.now.duration(to: deadline)
            timeout = Double(left.components.seconds) * 1000 + Double(left.components.attoseconds) / 1e15
            guard timeout > 0 else { return .failure(ParameterFailure(response: Self.refused(.expired, timeout: configuration.queryTimeoutMilliseconds, query: q))) }
        }
        var options = requested.options
        options.timeout = timeout
        if requested.collapse {
            if let clusters { options.collapse = clusters } else {
                do { options.collapse = try handle.dupes().nearDuplicateClusters } catch {
                    return .failure(ParameterFailure(response: Responses.error(.internalServerError, "\(error)")))
                }
            }
        }
        switch Result(catching: { () throws(SearchError) in try handle.searcher.search(q, filters: filters, options: options) }) {
        case let .success(results):
            return .success(results)
        case let .failure(.query(error)):
            let status: HTTPResponse.Status = error.message.hasPrefix("query too long") ? .uriTooLong : .badRequest
            return .failure(ParameterFailure(response: Responses.error(status, error.message, column: error.column, parameter: "q", query: q)))
        case let .failure(.filter(name, error)):
            return .failure(ParameterFailure(response: Responses.error(.badRequest, error.message, column: error.column, parameter: name, query: q)))
        case .failure(.timeout):
            return .failure(ParameterFailure(response: Responses.error(.serviceUnavailable, "the search took longer than \(Int(configuration.queryTimeoutMilliseconds)) ms and was stopped; make the query more specific", query: q)))
        case let .failure(error):
            return .failure(ParameterFailure(response: Responses.error(.internalServerError, "\(error)", query: q)))
        }
    }

    func search(_ request: Request) async -> Response {
        let arrival = ContinuousClock.now
        let result: Result<SearchResults, ParameterFailure>
        switch parameters(request) {
        case let .success(p): result = await pooledRun(p, arrival: arrival)
        case let .failure(f): result = .failure(f)
        }
        switch result {
        case let .success(results): return Responses.json(SearchResponse(results))
        case let .failure(failure): return failure.response
        }
    }

    func duplicates() async -> Response {
        switch await dupesReport() {
        case let .success(report): return Responses.json(report)
        case let .failure(failure): return failure.response
        }
    }

    func analyze(_ request: Request) -> Response {
        let parameters: [String: String]
        switch self.parameters(request) {
        case let .success(p): parameters = p
        case let .failure(f): return f.response
        }
        guard let text = parameters["text"] else { return Responses.error(.badRequest, "missing 'text'", parameter: "text") }
        guard text.unicodeScalars.count <= configuration.maxAnalyzeLength else {
            return Responses.error(.badRequest, "'text' is longer than \(configuration.maxAnalyzeLength) characters", parameter: "text")
        }
        do {
            return Responses.json(AnalysisReport(try Analyzer().analyze(text), source: nil, encoding: nil))
        } catch {
            return Responses.error(.internalServerError, "\(error)")
        }
    }

    func document(_ components: [Substring]) -> Response {
        var parts: [String] = []
        for component in components {
            do { parts.append(try QueryString.decode(component, parameter: "id")) } catch {
                return Responses.error(.badRequest, "the document id in the path is not valid percent-encoded UTF-8", parameter: "id")
            }
        }
        let id = parts.joined(separator: "/")
        let snapshot = handle.searcher.snapshot
        do {
            guard let global = try snapshot.find(id) else { return Responses.error(.notFound, "no document with id '\(id)'") }
            let record = try snapshot.document(global)
            return Responses.json(DocumentResponse(record, text: try snapshot.text(global)))
        } catch {
            return Responses.error(.internalServerError, "\(error)")
        }
    }

    func page(_ request: Request) async -> Response {
        let arrival = ContinuousClock.now
        switch parameters(request) {
        case .failure:
            return Responses.html(SearchPage.render(query: "", results: nil, error: "bad request parameters", pageSize: 10), status: .badRequest)
        case let .success(parameters):
            let query = parameters["q"] ?? ""
            if query.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
                return Responses.html(SearchPage.render(query: "", results: nil, error: nil, pageSize: 10))
            }
            var p = parameters
            p["limit"] = "10"
            switch await pooledRun(p, arrival: arrival) {
            case let .success(results):
                return Responses.html(SearchPage.render(query: query, results: results, error: nil, pageSize: 10))
            case .failure:
                let message: String
                switch Result(catching: { () throws(QueryError) in try QueryParser.parse(query) }) {
                case let .failure(error): message = "\(error.message) (column \(error.column))"
                case .success: message = "the search could not run (bad parameters or a timeout)"
                }
                return Responses.html(SearchPage.render(query: query, results: nil, error: message, pageSize: 10), status: .badRequest)
            }
        }
    }
}
