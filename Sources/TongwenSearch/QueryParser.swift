import Foundation
import TongwenAnalysis

/// A parsed query. Leaves carry the column (1-based, in characters) where they start.
public indirect enum QueryNode: Sendable, Equatable {
    /// An unquoted word. Han text in it matches as an exact substring of the normalized text;
    /// Latin words match whole words, or as a prefix with a trailing `*`.
    case term(String, prefix: Bool, column: Int)
    /// A quoted phrase: the exact normalized substring, or with `~N` its space-separated parts
    /// in order with at most N extra characters between them.
    case phrase(String, slop: Int?, column: Int)
    /// `title:`, `speaker:`, `venue:`, `source:`, `path:` — a substring of that field.
    case field(String, value: String, column: Int)
    /// `date:2019`, `date:2019..2021`, `date:2019-03..`, `date:..2020-06-30` (inclusive bounds).
    case date(from: String?, to: String?, column: Int)
    case and([QueryNode])
    case or([QueryNode])
    case not(QueryNode)
    /// `=term` / `="phrase"`: the plain per-character meaning (no cross-strait variants);
    /// `~term`: cross-strait variants plus OpenCC's vocabulary mapping (网络 also finds 網路).
    case variants(VariantMode, QueryNode)
}

/// A query the parser rejects: what is wrong and the column (1-based, in characters) where.
public struct QueryError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var column: Int

    public init(_ message: String, column: Int) {
        self.message = message
        self.column = column
    }

    public var description: String { "query error at column \(column): \(message)" }
}

/// Parses the query language:
///
/// ```
/// query   := or
/// or      := and ("OR" and)*
/// and     := unary (["AND"] unary)*          juxtaposition means AND
/// unary   := ("NOT" | "-") unary | primary
/// primary := "(" or ")" | phrase ["~" N] | FIELD ":" (word | phrase) | "date:" RANGE | word ["*"]
/// ```
/// Quotes may be `"…"`, `“…”`, `「…」` or `『…』`; parentheses `(…)` or `（…）`.
public enum QueryParser {
    /// Limits that keep any query cheap to parse and run.
    public static let maxLength = 1_000
    public static let maxLeaves = 32
    public static let maxDepth = 16
    public static let maxSlop = 1_000
    public static let fields: Set<String> = ["title", "speaker", "venue", "source", "path"]

    enum Token: Equatable {
        case word(String, column: Int)
        case phrase(String, slop: Int?, column: Int)
        case field(String, value: String, quoted: Bool, column: Int)
        case open(column: Int)
        case close(column: Int)
        case and(column: Int), or(column: Int), not(column: Int)
        case mode(VariantMode, column: Int)

        var column: Int {
            switch self {
            case let .word(_, c), let .phrase(_, _, c), let .field(_, _, _, c): return c
            case let .open(c), let .close(c), let .and(c), let .or(c), let .not(c), let .mode(_, c): return c
            }
        }
    }

    public static func parse(_ query: String) throws(QueryError) -> QueryNode {
        let scalars = Array(query.unicodeScalars)
        if scalars.count > maxLength {
            throw QueryError("query too long: \(scalars.count) characters, the limit is \(maxLength)", column: maxLength + 1)
        }
        let tokens = try lex(scalars)
        guard !tokens.isEmpty else { throw QueryError("empty query", column: 1) }
        var parser = Parser(tokens: tokens, end: scalars.count + 1)
        let node = try parser.parseOr(depth: 0)
        if parser.index < tokens.count {
            let token = tokens[parser.index]
            if case .close = token { throw QueryError("unbalanced parenthesis: ')' has no matching '('", column: token.column) }
            throw QueryError("unexpected input", column: token.column)
        }
        if parser.leaves > maxLeaves {
            throw QueryError("too many terms: \(parser.leaves), the limit is \(maxLeaves)", column: 1)
        }
        return node
    }

    static let quotePairs: [Unicode.Scalar: Set<Unicode.Scalar>] = [
        "\"": ["\""], "“": ["”", "\""], "「": ["」"], "『": ["』"], "”": ["”", "\""],
    ]

    static func isSpace(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace }
    static func isOpen(_ s: Unicode.Scalar) -> Bool { s == "(" || s == "（" }
    static func isClose(_ s: Unicode.Scalar) -> Bool { s == ")" || s == "）" }

    static func lex(_ s: [Unicode.Scalar]) throws(QueryError) -> [Token] {
        var lexer = Lexer(s: s)
        return try lexer.tokens()
    }

    struct Parser {
        let tokens: [Token]
        let end: Int
        var index = 0
        var leaves = 0

        var current: Token? { index < tokens.count ? tokens[index] : nil }

        mutating func parseOr(depth: Int) throws(QueryError) -> QueryNode {
            guard depth <= QueryParser.maxDepth else {
                throw QueryError("query nested too deeply (the limit is \(QueryParser.maxDepth) levels)", column: current?.column ?? end)
            }
            if case let .or(c)? = current { throw QueryError("'OR' needs a term before it", column: c) }
            var parts = [try parseAnd(depth: depth)]
            while case let .or(c)? = current {
                index += 1
                guard let next = current, next.startsOperand else {
                    throw QueryError("'OR' needs a term after it", column: c)
                }
                parts.append(try parseAnd(depth: depth))
            }
            return parts.count == 1 ? parts[0] : .or(parts)
        }

        mutating func parseAnd(depth: Int) throws(QueryError) -> QueryNode {
            var parts = [try parseUnary(depth: depth)]
            while let token = current {
                if case let .and(c) = token {
                    index += 1
                    guard let next = current, next.startsOperand else { throw QueryError("'AND' needs a term after it", column: c) }
                    parts.append(try parseUnary(depth: depth))
                } else if token.startsOperand {
                    parts.append(try parseUnary(depth: depth))
                } else {
                    break
                }
            }
            return parts.count == 1 ? parts[0] : .and(parts)
        }

        mutating func parseUnary(depth: Int) throws(QueryError) -> QueryNode {
            guard let token = current else { throw QueryError("a term is missing at the end", column: end) }
            if case let .not(c) = token {
                index += 1
                guard let next = current, next.startsOperand else { throw QueryError("'NOT' needs a term after it", column: c) }
                guard depth < QueryParser.maxDepth else { throw QueryError("query nested too deeply", column: c) }
                return .not(try parseUnary(depth: depth + 1))
            }
            if case let .mode(mode, c) = token {
                index += 1
                let symbol = mode == .exact ? "=" : "~"
                guard let next = current else { throw QueryError("'\(symbol)' needs a term or phrase right after it", column: c) }
                switch next {
                case .word, .phrase: return .variants(mode, try parsePrimary(depth: depth))
                default: throw QueryError("'\(symbol)' needs a term or phrase right after it", column: c)
                }
            }
            return try parsePrimary(depth: depth)
        }

        mutating func parsePrimary(depth: Int) throws(QueryError) -> QueryNode {
            guard let token = current else { throw QueryError("a term is missing at the end", column: end) }
            index += 1
            switch token {
            case let .open(c):
                if case .close? = current { throw QueryError("empty parentheses", column: c) }
                guard current != nil else { throw QueryError("unbalanced parenthesis: '(' is never closed", column: c) }
                let inner = try parseOr(depth: depth + 1)
                guard case .close? = current else { throw QueryError("unbalanced parenthesis: '(' is never closed", column: c) }
                index += 1
                return inner
            case let .close(c):
                throw QueryError("unbalanced parenthesis: ')' has no matching '('", column: c)
            case let .and(c), let .or(c):
                throw QueryError("'\(token.isOr ? "OR" : "AND")' needs a term before it", column: c)
            case let .not(c):
                throw QueryError("'NOT' needs a term after it", column: c)
            case let .mode(mode, c):
                throw QueryError("'\(mode == .exact ? "=" : "~")' needs a term or phrase right after it", column: c)
            case let .word(text, c):
                leaves += 1
                if text.hasSuffix("*") {
                    let stem = String(text.dropLast())
                    guard !stem.isEmpty, !stem.hasSuffix("*") else { throw QueryError("'*' needs a word before it", column: c) }
                    return .term(stem, prefix: true, column: c)
                }
                return .term(text, prefix: false, column: c)
            case let .phrase(text, slop, c):
                leaves += 1
                return .phrase(text, slop: slop, column: c)
            case let .field(name, value, quoted, c):
                leaves += 1
                if name == "date" {
                    guard !quoted else { throw QueryError("a date range is written date:2019..2021, without quotes", column: c) }
                    return try DateRange.parse(value, column: c)
                }
                return .field(name, value: value, column: c)
            }
        }
    }
}

extension QueryParser.Token {
    var startsOperand: Bool {
        switch self {
        case .word, .phrase, .field, .open, .not, .mode: return true
        case .close, .and, .or: return false
        }
    }

    var isOr: Bool { if case .or = self { return true } else { return false } }
}

/// `date:` values: `2019`, `2019-03`, `2019-03-08`, and ranges `A..B`, `A..`, `..B` of those.
/// Bounds are inclusive and normalized to `YYYY-MM-DD`.
enum DateRange {
    /// Parses a `date:` value; `column` is where `date:` starts (errors point into the value).
    static func parse(_ value: String, column: Int) throws(QueryError) -> QueryNode {
        let valueColumn = column + 5
        if let range = value.range(of: "..") {
            let lower = String(value[..<range.lowerBound]), upper = String(value[range.upperBound...])
            guard !(lower.isEmpty && upper.isEmpty) else { throw QueryError("a date range needs at least one bound", column: valueColumn) }
            let from = lower.isEmpty ? nil : try bound(lower, upper: false, column: valueColumn)
            let to = upper.isEmpty ? nil : try bound(upper, upper: true, column: valueColumn + lower.unicodeScalars.count + 2)
            if let from, let to, from > to { throw QueryError("the date range ends before it starts", column: valueColumn) }
            return .date(from: from, to: to, column: column)
        }
        return .date(from: try bound(value, upper: false, column: valueColumn), to: try bound(value, upper: true, column: valueColumn), column: column)
    }

    /// `2019` → `2019-01-01` (lower) or `2019-12-31` (upper); `2019-03` likewise per month.
    static func bound(_ text: String, upper: Bool, column: Int) throws(QueryError) -> String {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        let usage = "expected a date like 2019, 2019-03 or 2019-03-08 (ranges: 2019..2021)"
        guard (1...3).contains(parts.count), parts[0].count == 4, let year = Int(parts[0]), parts[0].allSatisfy(\.isASCII) else {
            throw QueryError("bad date '\(text)': \(usage)", column: column)
        }
        var month = upper ? 12 : 1
        var day = upper ? 31 : 1
        if parts.count >= 2 {
            guard parts[1].count == 2, let m = Int(parts[1]), (1...12).contains(m) else { throw QueryError("bad month in '\(text)': \(usage)", column: column) }
            month = m
            if upper { day = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] }
        }
        if parts.count == 3 {
            guard parts[2].count == 2, let d = Int(parts[2]), (1...31).contains(d) else { throw QueryError("bad day in '\(text)': \(usage)", column: column) }
            day = d
        }
        return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
    }

    /// A stored date value's range: `2019` covers the year, `2019-03` the month, a longer value
    /// its first ten characters. Nil when it does not start with a year.
    static func span(of value: String) -> (String, String)? {
        let head = String(value.prefix(10))
        let parts = head.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts[0].count == 4, Int(parts[0]) != nil else { return nil }
        guard let lower = try? bound(parts.prefix(3).joined(separator: "-"), upper: false, column: 0),
              let upper = try? bound(parts.prefix(3).joined(separator: "-"), upper: true, column: 0) else {
            // "2019年…" and the like: the year alone.
            return ((try? bound(parts[0], upper: false, column: 0)) ?? "", (try? bound(parts[0], upper: true, column: 0)) ?? "")
        }
        return (lower, upper)
    }
}

/// `value` in decimal, left-padded with zeros to `width` digits.
func padded(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
