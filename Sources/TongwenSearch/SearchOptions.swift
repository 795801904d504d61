/// Paging and presentation of a search.
public struct SearchOptions: Sendable {
    public var limit = 10
    public var offset = 0
    /// Build snippets with highlights for the returned hits.
    public var snippets = true
    public var maxSnippets = 2
    /// Give up with ``SearchError/timeout(milliseconds:)`` after this much time (none when nil).
    public var timeout: Double?
    /// Groups of near-duplicate document ids: only the best-ranked hit of a group is returned,
    /// with the others listed as its similar versions (and not counted in the total).
    public var collapse: [[String]]?
    /// Match cross-strait variants (計畫 for 计划); false gives every term its plain
    /// per-character meaning, as `=` does for one term.
    public var variants = true
    /// The ranking function's constants.
    public var ranking = RankingParameters()
    /// Give each hit a ``ScoreExplanation`` of its score.
    public var explain = false

    public init(limit: Int = 10, offset: Int = 0, snippets: Bool = true, timeoutMilliseconds: Double? = nil) {
        self.limit = limit
        self.offset = offset
        self.snippets = snippets
        self.timeout = timeoutMilliseconds
    }
}
