import Foundation
@testable import TongwenIndex
import TongwenAnalysis
import TongwenTestSupport

/// A fresh temporary folder, removed when the test ends.
final class TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "tongwen-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// What the index should hold for a set of documents, computed the obvious way: analyze each
/// text and collect every term's positions in dictionaries.
enum BruteForce {
    struct Posting: Equatable, CustomStringConvertible {
        var tf: Int
        var positions: [Int32]
        var description: String { "tf \(tf) \(positions)" }
    }

    typealias Postings = [String: [String: Posting]]  // term key (kind letter + text) → id → posting

    static func postings(_ documents: [String: String]) throws -> Postings {
        let analyzer = try Analyzer()
        var result: Postings = [:]
        for (id, text) in documents {
            let analysis = try analyzer.analyze(text)
            for segment in analysis.segments {
                let word = String(decoding: analysis.normalized[Int(segment.start)..<Int(segment.end)], as: UTF16.self)
                let key = (segment.kind == .ideographic ? "W" : "L") + word
                result[key, default: [:]][id, default: Posting(tf: 0, positions: [])].tf += 1
                if segment.kind != .ideographic { result[key]![id]!.positions.append(segment.start) }
            }
            // Han characters, and each pair of adjacent ones (B) at the first one's position.
            var offset: Int32 = 0
            var before: (scalar: Unicode.Scalar, at: Int32)?
            var adjacent: [(Int32, Unicode.Scalar, Int32, Unicode.Scalar)] = []  // for the C pairs
            var beforeSymbol: [(Int32, Unicode.Scalar, Unicode.Scalar)] = []  // for the R pairs
            for scalar in String(decoding: analysis.normalized, as: UTF16.self).unicodeScalars {
                if analyzer.table.isHan(scalar.value) {
                    let key = "H" + String(scalar)
                    result[key, default: [:]][id, default: Posting(tf: 0, positions: [])].tf += 1
                    result[key]![id]!.positions.append(offset)
                    if let before, analyzer.table.isHan(before.scalar.value) {
                        let pair = "B" + String(before.scalar) + String(scalar)
                        result[pair, default: [:]][id, default: Posting(tf: 0, positions: [])].tf += 1
                        result[pair]![id]!.positions.append(before.at)
                        adjacent.append((before.at, before.scalar, offset, scalar))
                    }
                }
                before = (scalar, offset)
                offset += Int32(scalar.utf16.count)
            }
            // Punctuation and symbols: every character that is not Han, not in a Latin/digit/kana
            // word, and not a space or control.
            // A symbol right after a Han character is also a pair (Q) at the character's position.
            var at: Int32 = 0
            var previous: (scalar: Unicode.Scalar, at: Int32)?
            for scalar in String(decoding: analysis.normalized, as: UTF16.self).unicodeScalars {
                let inWord = analysis.segments.contains { $0.kind != .ideographic && $0.start <= at && at < $0.end }
                let c = scalar.value
                let space = c <= 0x20 || (0x7F...0xA0).contains(c) || c == 0x2028 || c == 0x2029 || c == 0xFEFF || c == 0x3000
                if !inWord && !space && !analyzer.table.isHan(c) {
                    let key = "P" + String(scalar)
                    result[key, default: [:]][id, default: Posting(tf: 0, positions: [])].tf += 1
                    result[key]![id]!.positions.append(at)
                    if let previous, analyzer.table.isHan(previous.scalar.value) {
                        let pair = "Q" + String(previous.scalar) + String(scalar)
                        result[pair, default: [:]][id, default: Posting(tf: 0, positions: [])].tf += 1
                        result[pair]![id]!.positions.append(previous.at)
                        beforeSymbol.append((previous.at, previous.scalar, scalar))
                    }
                }
                previous = (scalar, at)
                at += Int32(scalar.utf16.count)
            }
            // Cross-strait alternates: what OpenCC's whole-text conversion (each document config)
            // has where the per-character normalization differs, at that position.
            var alternates: [Int32: [Unicode.Scalar]] = [:]
            for config in Variants.documentConfigs {
                let converted = analyzer.clean(normalizing: try analyzer.variants().convert(text, config: config)).0
                guard converted.count == analysis.normalized.count else { continue }
                var at = 0
                for scalar in String(decoding: converted, as: UTF16.self).unicodeScalars {
                    let width = scalar.utf16.count
                    if analyzer.table.isHan(scalar.value), Array(scalar.utf16) != Array(analysis.normalized[at..<(at + width)]) {
                        let key = "V" + String(scalar)
                        if !(alternates[Int32(at)]?.contains(scalar) ?? false) { alternates[Int32(at), default: []].append(scalar) }
                        if result[key]?[id]?.positions.contains(Int32(at)) != true {
                            result[key, default: [:]][id, default: Posting(tf: 0, positions: [])].tf += 1
                            result[key]![id]!.positions.append(Int32(at))
                        }
                    }
                    at += width
                }
            }
            // Pairs read from alternates (C, R): each character or its alternates (as wide as it),
            // but not both characters themselves.
            func readings(_ c: Unicode.Scalar, at: Int32) -> [Unicode.Scalar] {
                [c] + (alternates[at] ?? []).filter { $0.utf16.count == c.utf16.count }
            }
            func add(_ key: String, _ at: Int32) {
                result[key, default: [:]][id, default: Posting(tf: 0, positions: [])].tf += 1
                result[key]![id]!.positions.append(at)
            }
            for (p, a, q, b) in adjacent {
                for x in readings(a, at: p) { for y in readings(b, at: q) where x != a || y != b { add("C" + String(x) + String(y), p) } }
            }
            for (p, a, symbol) in beforeSymbol {
                for x in readings(a, at: p).dropFirst() { add("R" + String(x) + String(symbol), p) }
            }
        }
        for (key, docs) in result where key.hasPrefix("V") || key.hasPrefix("C") || key.hasPrefix("R") {
            for (id, posting) in docs { result[key]![id]!.positions = posting.positions.sorted() }
        }
        return result
    }

    /// The same shape read back from a committed index.
    static func postings(in snapshot: IndexSnapshot) throws -> Postings {
        var result: Postings = [:]
        var scratch: [Int32] = []
        for segment in snapshot.segments {
            let reader = segment.reader
            var cursor = try reader.terms()
            while let (key, info) = try cursor.next() {
                let kind = TermKind(rawValue: key[0])!
                let name = String(UnicodeScalar(key[0])) + String(decoding: key.dropFirst(), as: UTF8.self)
                var iterator = try reader.postings(info, positional: kind.hasPositions)
                while let (doc, tf, range) = try iterator.next() {
                    guard !segment.isDeleted(doc) else { continue }
                    let id = try reader.document(doc).id
                    var positions: [Int32] = []
                    if kind.hasPositions {
                        try reader.decodePositions(info, range, count: tf, into: &scratch)
                        positions = scratch
                    }
                    // A live (term, document) pair twice: the index lies, and the test using it fails.
                    guard result[name]?[id] == nil else { throw DuplicatePosting(term: name, document: id) }
                    result[name, default: [:]][id] = Posting(tf: tf, positions: positions)
                }
            }
        }
        return result
    }
}

/// A term listing one live document twice (across or within segments).
struct DuplicatePosting: Error, CustomStringConvertible {
    var term: String
    var document: String
    var description: String { "\(term) lists \(document) twice" }
}
