/// Options of a duplicate-boilerplate run.
public struct DupesOptions: Sendable {
    /// Shortest repeated passage, in normalized characters.
    public var minCharacters = 20
    /// Fewest documents a passage must be in (2 also admits a passage repeated inside one document).
    public var minDocuments = 2
    /// Fuzzy mode: copies may differ by small edits (similarity ≥ 0.85); exact mode requires 1.0.
    public var fuzzy = true

    public init(minCharacters: Int = 20, minDocuments: Int = 2, fuzzy: Bool = true) {
        self.minCharacters = minCharacters
        self.minDocuments = minDocuments
        self.fuzzy = fuzzy
    }

    /// The options of the saved report and state (no --min-chars, --min-docs or --exact).
    public var isDefault: Bool { minCharacters == 20 && minDocuments == 2 && fuzzy }
}
