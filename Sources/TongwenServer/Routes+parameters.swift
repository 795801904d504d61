import Foundation
import Hummingbird
import ServiceLifecycle
import TongwenAnalysis
import TongwenDupes
import TongwenIndex
import TongwenSearch

extension Routes {
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
            options.explain = try boolean(parameters, "explain", default: false).get()
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
}
