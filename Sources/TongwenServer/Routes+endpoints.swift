import Foundation
import Hummingbird
import ServiceLifecycle
import TongwenAnalysis
import TongwenDupes
import TongwenIndex
import TongwenSearch

extension Routes {

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

    /// The duplicate report's summary and one page of passages as previews (`offset`, `limit`).
    func duplicates(_ request: Request) async -> Response {
        let page: (offset: Int, limit: Int)
        do throws(ParameterFailure) {
            let p = try parameters(request).get()
            page = (try integer(p, "offset", default: 0, range: 0...Int(Int32.max)).get(),
                    try integer(p, "limit", default: 20, range: 1...configuration.maxLimit).get())
        } catch { return error.response }
        switch await dupesReport() {
        case let .success(report): return Responses.json(DupesOverview(report, offset: page.offset, limit: page.limit))
        case let .failure(failure): return failure.response
        }
    }

    /// One passage in full: its whole text (the first copy) and every copy; 404 for an unknown id.
    func duplicate(_ id: String) async -> Response {
        guard let number = Int(id), number > 0 else {
            return Responses.error(.badRequest, "a passage id is a whole number from 1", parameter: "id")
        }
        switch await dupesReport() {
        case let .success(report):
            guard let passage = report.passage(number) else {
                return Responses.error(.notFound, "no passage \(number): the report has \(report.passages.count)", parameter: "id")
            }
            return Responses.json(DupesReport.preview(passage, fullText: true))
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

    /// A stored document: JSON, or the reader page (with `q`'s matches marked) when the client
    /// asks for HTML (a browser following a result's title). The marking runs on a search worker.
    func document(_ components: [Substring], _ request: Request) async -> Response {
        var parts: [String] = []
        for component in components {
            do { parts.append(try QueryString.decode(component, parameter: "id")) } catch {
                return Responses.error(.badRequest, "the document id in the path is not valid percent-encoded UTF-8", parameter: "id")
            }
        }
        let id = parts.joined(separator: "/")
        let searcher = handle.searcher
        let record: StoredDocument, text: String
        do {
            guard let global = try searcher.snapshot.find(id) else { return Responses.error(.notFound, "no document with id '\(id)'") }
            record = try searcher.snapshot.document(global)
            text = try searcher.snapshot.text(global)
        } catch {
            return Responses.error(.internalServerError, "\(error)")
        }
        guard request.headers[.accept]?.contains("text/html") == true else { return Responses.json(DocumentResponse(record, text: text)) }
        let query: String
        switch parameters(request) {
        case let .success(p): query = p["q"] ?? ""
        case let .failure(f): return f.response
        }
        let highlights: [Range<Int>]
        do {
            highlights = try await searches.run(deadline: deadline(from: .now)) {
                query.unicodeScalars.allSatisfy(\.properties.isWhitespace) ? [] : ((try? searcher.highlights(of: query, in: text)) ?? [])
            }
        } catch {
            return Self.refused(error, timeout: configuration.queryTimeoutMilliseconds, query: query)
        }
        return Responses.html(DocumentPage.render(record, text: text, query: query, highlights: highlights))
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
