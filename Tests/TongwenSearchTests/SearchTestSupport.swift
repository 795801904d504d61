import Foundation
import TongwenAnalysis
@testable import TongwenIndex
@testable import TongwenSearch
import TongwenTestSupport

/// Indexes `documents` (id → text) into a fresh temporary folder and opens a searcher on it.
final class TestIndex: Sendable {
    let directory = NSTemporaryDirectory() + "tongwen-search-" + UUID().uuidString
    let searcher: Searcher

    init(_ documents: [(id: String, text: String, metadata: [String: String])]) throws {
        let writer = try IndexWriter(directory: directory)
        for d in documents {
            let title = String(d.text.split(separator: "\n").first ?? "")
            try writer.add(IndexDocument(id: d.id, title: title, text: d.text, source: d.id, metadata: d.metadata,
                                         contentHash: contentHash(Array(d.text.utf8))))
        }
        try writer.commit()
        searcher = try Searcher.open(directory)
    }

    /// Indexes files on disk the way `tongwen index` does (ids relative to `root`).
    init(files: [URL], root: URL) throws {
        try IndexBuilding.index(files, root: root, into: directory)
        searcher = try Searcher.open(directory)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func ids(_ query: String, limit: Int = 1_000_000, variants: Bool = true) throws -> [String] {
        var options = SearchOptions(limit: limit, snippets: false)
        options.variants = variants
        return try searcher.search(query, options: options).hits.map(\.id)
    }
}

/// Brute force: which documents' normalized text contains each pattern. Scans every position of
/// every document once, comparing against the patterns that start with the same two units.
enum SubstringOracle {
    static func documents(containing patterns: [[UInt16]], in texts: [(id: String, normalized: [UInt16])]) -> [Set<String>] {
        var byPrefix: [UInt32: [Int]] = [:]
        for (i, p) in patterns.enumerated() { byPrefix[UInt32(p[0]) << 16 | UInt32(p[1]), default: []].append(i) }
        var found = [Set<String>](repeating: [], count: patterns.count)
        for (id, text) in texts where text.count >= 2 {
            text.withUnsafeBufferPointer { t in
                for i in 0..<(t.count - 1) {
                    guard let candidates = byPrefix[UInt32(t[i]) << 16 | UInt32(t[i + 1])] else { continue }
                    for c in candidates where !found[c].contains(id) {
                        let p = patterns[c]
                        if i + p.count <= t.count {
                            var k = 2
                            while k < p.count && t[i + k] == p[k] { k += 1 }
                            if k == p.count { found[c].insert(id) }
                        }
                    }
                }
            }
        }
        return found
    }
}
