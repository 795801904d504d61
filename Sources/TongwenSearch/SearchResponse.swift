import TongwenIndex

/// The JSON shape of a search (the CLI's `--json`, `--batch` and the server's `/search`).
public struct SearchResponse: Encodable, Sendable {
    public struct HitJSON: Encodable, Sendable {
        var id: String
        var title: String
        var score: Double
        var metadata: [String: String]
        var snippets: [Snippet]
        /// With collapsing: ids of the near-duplicate versions folded into this hit.
        var similarVersions: [String]?
        /// Present (true) when every match lies in boilerplate or page chrome (the lower tier).
        var boilerplateOnly: Bool?
        /// With `--explain` / `explain=true`: why the hit has its score.
        var explanation: ScoreExplanation?
    }

    var query: String
    var total: Int
    var offset: Int
    var limit: Int
    var tookMs: Double
    /// Terms and phrases with cross-strait variant forms: `{"计划": ["計畫"]}` (absent when none).
    var variants: [String: [String]]?
    var hits: [HitJSON]

    public init(_ results: SearchResults) {
        query = results.query
        total = results.total
        offset = results.offset
        limit = results.limit
        tookMs = (results.tookMs * 1000).rounded() / 1000
        variants = results.variants.isEmpty ? nil : Dictionary(results.variants.map { ($0.term, $0.forms) }, uniquingKeysWith: { a, _ in a })
        hits = results.hits.map { HitJSON(id: $0.id, title: $0.title, score: ($0.score * 10_000).rounded() / 10_000, metadata: $0.metadata, snippets: $0.snippets, similarVersions: $0.similarVersions,
                                      boilerplateOnly: $0.boilerplateOnly ? true : nil, explanation: $0.explanation) }
    }
}

/// The JSON shape of an error: `{"query": …, "error": {"message": …, "column": …}}`.
public struct ErrorResponse: Encodable, Sendable {
    public struct Detail: Encodable, Sendable {
        public var message: String
        public var column: Int?
        /// The request parameter at fault, for the server's parameter errors.
        public var parameter: String?

        public init(message: String, column: Int? = nil, parameter: String? = nil) {
            self.message = message
            self.column = column
            self.parameter = parameter
        }
    }

    public var query: String?
    public var error: Detail

    public init(query: String?, error: Detail) {
        self.query = query
        self.error = error
    }
}

