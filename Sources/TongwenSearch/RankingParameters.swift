import Foundation

/// The constants of the ranking function (``Searcher``'s doc comment gives the function). The
/// defaults were chosen by `scripts/tune-ranking` on one half of the evidence and checked on the
/// other (README, "Ranking"); `tongwen search --ranking k1=…,b=…` overrides them, for tuning and
/// for users who want to see what a constant does.
public struct RankingParameters: Sendable, Equatable {
    /// BM25's term-frequency saturation.
    public var k1 = 0.6
    /// BM25's length normalization (0: none, 1: full).
    public var b = 0.3
    /// A quoted phrase's exact occurrences score this × BM25 (the exact-phrase boost over
    /// unquoted terms).
    public var phrase = 1.5
    /// A title containing the term adds this × the term's IDF (0 by default: a title that is
    /// the first line is already counted in the text, and it did not help on the evidence).
    public var title = 0.0
    /// The ICU words of a term score this × their BM25 (0 by default: the exact occurrences
    /// ranked better alone, under every definition of relevance we measure).
    public var word = 0.0
    /// The proximity part's weight (``Searcher``'s proximity bonus; 0 turns it off).
    public var proximity = 8.0
    /// The gap, in characters, at which the proximity bonus is half its most.
    public var span = 50.0
    /// How many of the best-scored documents the proximity part rescores.
    public var window = 30.0

    public init() {}

    /// The names `--ranking` accepts.
    public static let names = ["k1", "b", "phrase", "title", "word", "proximity", "span", "window"]

    /// Sets the constant called `name` (one of ``names``).
    mutating func set(_ name: String, _ value: Double) {
        switch name {
        case "k1": k1 = value
        case "b": b = value
        case "phrase": phrase = value
        case "title": title = value
        case "word": word = value
        case "proximity": proximity = value
        case "span": span = value
        default: window = value.rounded()
        }
    }

    /// Parses `name=value,name=value` (names from ``names``, values non-negative numbers) over
    /// the defaults; the error message names the offending entry.
    public static func parse(_ text: String) -> Result<RankingParameters, RankingParameterError> {
        var parameters = RankingParameters()
        for entry in text.split(separator: ",", omittingEmptySubsequences: true) {
            let pair = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, names.contains(pair[0]) else {
                return .failure(RankingParameterError(message: "'\(entry)': expected NAME=VALUE with NAME one of \(names.joined(separator: ", "))"))
            }
            guard let value = Double(pair[1]), value.isFinite, value >= 0 else {
                return .failure(RankingParameterError(message: "'\(entry)': the value must be a number ≥ 0"))
            }
            parameters.set(pair[0], value)
        }
        return .success(parameters)
    }
}

/// A malformed `--ranking` value.
public struct RankingParameterError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
