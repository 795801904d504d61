/// Why a hit has its score, as Elasticsearch's `explain` gives it: a value, what it is, and the
/// parts it is made of (a sum's terms, a product's factors). The root's value is the hit's score.
public struct ScoreExplanation: Sendable, Encodable, Equatable {
    public var value: Double
    public var description: String
    public var details: [ScoreExplanation]

    public init(_ value: Double, _ description: String, _ details: [ScoreExplanation] = []) {
        self.value = value
        self.description = description
        self.details = details
    }

    /// Indented lines, one per node, for a terminal.
    public func lines(indent: String = "") -> [String] {
        [indent + "\(Self.format(value))  \(description)"] + details.flatMap { $0.lines(indent: indent + "  ") }
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 10_000).rounded() / 10_000
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

extension ScoreExplanation {
    /// This sum with a proximity bonus added (itself when there is none).
    func adding(_ bonus: Searcher.ProximityBonus?, _ parameters: RankingParameters) -> ScoreExplanation {
        guard let bonus else { return self }
        let part = ScoreExplanation(bonus.value, "proximity: all \(bonus.terms) terms within \(bonus.gap) characters of one another: "
            + "\(parameters.proximity) × Σ idf \(Self.format(bonus.idfSum)) × \(Self.format(parameters.span)) / (\(Self.format(parameters.span)) + \(bonus.gap))")
        return ScoreExplanation(value + bonus.value, description, details + [part])
    }
}
