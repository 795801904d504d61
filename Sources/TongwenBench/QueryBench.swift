import Foundation
import TongwenAnalysis
import TongwenSearch

/// Issue "search": latency per query class over queries sampled from the corpus, in one warm
/// process: top-10 ids and scores (what the targets are about), and the same with snippets.
enum QueryBench {
    struct QueryClass {
        var name: String
        var queries: [String]
        var targetP50: Double
        var targetP99: Double?
    }

    static func run(index: String, corpus: Corpus, perClass: Int = 1_000, label: String = "", variants: Bool = true) {
        guard let searcher = try? Searcher.open(index) else {
            print("queries: cannot open \(index)")
            return
        }
        let classes = sample(corpus, perClass: perClass)
        var plainOptions = SearchOptions(limit: 10, snippets: false), snippetOptions = SearchOptions(limit: 10, snippets: true)
        plainOptions.variants = variants
        snippetOptions.variants = variants
        print("queries\(label) (\(classes.reduce(0) { $0 + $1.queries.count }) sampled from the corpus; one process, after a warm-up pass):")
        // Warm-up: every query once (document table, page cache, analyzer pool).
        for c in classes { for q in c.queries { _ = try? searcher.search(q, options: plainOptions) } }
        for c in classes {
            var plain: [Double] = [], snippets: [Double] = []
            var hits = 0
            for q in c.queries {
                var start = Clock.now
                if let r = try? searcher.search(q, options: plainOptions) { hits += r.total }
                plain.append(Clock.since(start) * 1000)
                start = Clock.now
                _ = try? searcher.search(q, options: snippetOptions)
                snippets.append(Clock.since(start) * 1000)
            }
            plain.sort()
            snippets.sort()
            func p(_ v: [Double], _ q: Double) -> String { String(format: "%.3f", v[min(v.count - 1, Int(Double(v.count) * q))]) }
            let target = "target p50 < \(c.targetP50) ms" + (c.targetP99.map { ", p99 < \($0) ms" } ?? "")
            print("  \(c.name.padding(toLength: 22, withPad: " ", startingAt: 0)) p50 \(p(plain, 0.5)) ms  p99 \(p(plain, 0.99)) ms  (\(target));"
                + " with snippets p50 \(p(snippets, 0.5)) p99 \(p(snippets, 0.99)) ms; avg total hits \(hits / max(1, c.queries.count))")
        }
    }

    /// Queries drawn from the corpus text with a fixed seed.
    static func sample(_ corpus: Corpus, perClass: Int) -> [QueryClass] {
        var rng = BenchRandom(seed: 7)
        let analyzer = try! Analyzer()
        var words: [String] = [], pairs: [String] = [], phrases: [String] = []
        var attempts = 0
        while (words.count < perClass * 3 || pairs.count < perClass || phrases.count < perClass) && attempts < perClass * 100 {
            attempts += 1
            let file = corpus.files[Int(rng.next() % UInt64(corpus.files.count))]
            guard let text = String(validating: file.bytes, as: UTF8.self), let analysis = try? analyzer.analyze(text),
                  analysis.segments.count > 20 else { continue }
            let n = analysis.normalized
            for _ in 0..<4 {
                let s = analysis.segments[Int(rng.next() % UInt64(analysis.segments.count))]
                if s.kind == .ideographic, s.end - s.start >= 2 { words.append(String(decoding: n[Int(s.start)..<Int(s.end)], as: UTF16.self)) }
            }
            let at = Int(rng.next() % UInt64(max(1, n.count - 13)))
            let length = 6 + Int(rng.next() % 7)
            if at + length <= n.count {
                let slice = Array(n[at..<(at + length)])
                if slice.allSatisfy({ analyzer.table.isHan(UInt32($0)) }) {
                    phrases.append("\"" + String(decoding: slice, as: UTF16.self) + "\"")
                    pairs.append(String(decoding: slice[0..<2], as: UTF16.self))
                }
            }
        }
        func pick(_ from: [String]) -> String { from[Int(rng.next() % UInt64(from.count))] }
        let booleans = (0..<perClass).map { i in
            switch i % 3 {
            case 0: return "\(pick(words)) \(pick(words)) \(pick(words))"
            case 1: return "(\(pick(words)) OR \(pick(words))) \(pick(words))"
            default: return "\(pick(words)) \(pick(words)) -\(pick(words))"
            }
        }
        let filters = (0..<perClass).map { i in
            i % 2 == 0 ? "\(pick(words)) date:2022..2024" : "path:gov-work-reports \(pick(words))"
        }
        return [
            QueryClass(name: "single word", queries: Array(words.prefix(perClass)), targetP50: 1, targetP99: 10),
            QueryClass(name: "2-char Han run", queries: Array(pairs.prefix(perClass)), targetP50: 1, targetP99: 10),
            QueryClass(name: "long phrase (6-12)", queries: Array(phrases.prefix(perClass)), targetP50: 5, targetP99: nil),
            QueryClass(name: "boolean, 3 terms", queries: booleans, targetP50: 5, targetP99: nil),
            QueryClass(name: "filter + word", queries: filters, targetP50: 5, targetP99: nil),
        ]
    }
}

/// SplitMix64, so the sampled queries are the same every run.
struct BenchRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
