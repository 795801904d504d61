/// One search result.
public struct Hit: Sendable {
    public var id: String
    public var title: String
    public var score: Double
    public var metadata: [String: String]
    public var snippets: [Snippet]
    /// The document's number in the snapshot searched.
    public var document: Int
    /// With collapsing: the other matching versions folded into this hit.
    public var similarVersions: [String]?
    /// Every match lies in boilerplate or page chrome: ranked in the lower tier.
    public var boilerplateOnly = false
    /// With ``SearchOptions/explain``: why the hit has its score.
    public var explanation: ScoreExplanation?
}

/// What a search returns: the exact total, the requested page of hits, and the time taken.
public struct SearchResults: Sendable {
    public var query: String
    public var total: Int
    public var offset: Int
    public var limit: Int
    public var tookMs: Double
    public var hits: [Hit]
    /// Each term or phrase that has variant forms, with them (as typed → the other forms).
    public var variants: [(term: String, forms: [String])] = []
}
