import Foundation
import TongwenAnalysis
import TongwenIndex

extension Searcher {
    // MARK: Plan

    indirect enum Plan {
        case leaf(Int)
        case and([Plan])
        case or([Plan])
        case not(Plan)
    }

    enum LeafKind {
        /// Exact occurrences of a term or phrase (any of its variant forms); with parts and slop,
        /// the parts in order within slop. `quoted`: a phrase (``RankingParameters/phrase`` weighs it).
        case text(TextQuery, parts: [TextQuery], slop: Int?, quoted: Bool)
        /// Latin words starting with a prefix.
        case prefix([UInt8])
        case field(String, [UInt16])
        case date(from: String?, to: String?)
    }

    struct Leaf {
        var kind: LeafKind
        var positive: Bool
        var column: Int

        /// The forms to highlight (a slop phrase's first part).
        var highlightPatterns: [Pattern]? {
            switch kind {
            case let .text(query, parts, slop, _): return slop == nil ? query.patterns : parts.first?.patterns
            default: return nil
            }
        }
    }

    func compile(_ node: QueryNode, positive: Bool, mode: VariantMode, analyzer: Analyzer, leaves: inout [Leaf]) throws(SearchError) -> Plan {
        func pattern(_ text: String, column: Int) throws(SearchError) -> Pattern {
            let p: Pattern
            do { p = try Pattern(text, analyzer: analyzer) } catch {
                throw .query(QueryError("cannot analyze '\(text)': \(error)", column: column))
            }
            guard !p.isEmpty else {
                throw .query(QueryError("'\(text)' has nothing searchable (only punctuation or spaces)", column: column))
            }
            return p
        }
        func text(_ text: String, column: Int) throws(SearchError) -> TextQuery {
            do {
                return try TextQuery(text, mode: mode, analyzer: analyzer) { (form) throws(SearchError) in try pattern(form, column: column) }
            } catch let .query(error) where error.column == 1 && column != 1 {
                throw .query(QueryError(error.message, column: column))
            }
        }
        func add(_ kind: LeafKind, _ column: Int) -> Plan {
            leaves.append(Leaf(kind: kind, positive: positive, column: column))
            return .leaf(leaves.count - 1)
        }
        switch node {
        case let .term(value, prefix, column):
            let q = try text(value, column: column)
            if prefix, q.main.units.count == 1, q.main.units[0].kind == .word {
                return add(.prefix(q.main.units[0].key), column)
            }
            return add(.text(q, parts: [q], slop: nil, quoted: false), column)
        case let .phrase(value, slop, column):
            let q = try text(value, column: column)
            guard let slop else { return add(.text(q, parts: [q], slop: nil, quoted: true), column) }
            let pieces = value.split(whereSeparator: { $0.isWhitespace }).map(String.init)
            var parts: [TextQuery] = []
            if pieces.count > 1 {
                for piece in pieces { parts.append(try text(piece, column: column)) }
            } else {
                // One piece: each unit is a part.
                for unit in q.main.units {
                    parts.append(try text(String(decoding: unit.key.dropFirst(), as: UTF8.self), column: column))
                }
            }
            return add(.text(q, parts: parts, slop: slop, quoted: true), column)
        case let .variants(childMode, child):
            return try compile(child, positive: positive, mode: mode == .exact ? .exact : childMode, analyzer: analyzer, leaves: &leaves)
        case let .field(name, value, column):
            let normalized = Array(table.normalize(value).utf16)
            return add(.field(name, normalized), column)
        case let .date(from, to, column):
            return add(.date(from: from, to: to), column)
        case let .and(children):
            var plans: [Plan] = []
            for child in children { plans.append(try compile(child, positive: positive, mode: mode, analyzer: analyzer, leaves: &leaves)) }
            return .and(plans)
        case let .or(children):
            var plans: [Plan] = []
            for child in children { plans.append(try compile(child, positive: positive, mode: mode, analyzer: analyzer, leaves: &leaves)) }
            return .or(plans)
        case let .not(child):
            return .not(try compile(child, positive: !positive, mode: mode, analyzer: analyzer, leaves: &leaves))
        }
    }
}
