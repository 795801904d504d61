import Foundation
import Testing
import TongwenAnalysis
@testable import TongwenSearch
import TongwenTestSupport

/// Acceptance: for 2,000+ phrases of 2–12 Han characters sampled from the benchmark corpus (a third
/// turned into the other script), the documents a quoted search returns are exactly those whose
/// normalized text contains the phrase — and so are those an unquoted Han run returns.
@Suite(.serialized) struct OracleTests {
    static let benchmarkParts = ["seeds", "gov-work-reports", "ly-interpellations", "xinwenlianbo"]

    typealias Texts = [(id: String, original: String, normalized: [UInt16], sourceByte: [Int32])]

    /// The benchmark corpus indexed once for the tests that need it, with its texts.
    static let benchmark = Result { () throws -> (TestIndex, Texts) in
        var files: [URL] = []
        for part in benchmarkParts { files += TestData.files(in: TestData.sharedCorpus.appendingPathComponent(part)) }
        let index = try TestIndex(files: files, root: TestData.sharedCorpus)
        let analyzer = try Analyzer()
        var texts: Texts = []
        for url in files {
            let text = try TextDecoder.decode(TestData.bytes(url), source: url.path).text
            let (normalized, sourceByte, _) = analyzer.clean(normalizing: text)
            texts.append((String(url.path.dropFirst(TestData.sharedCorpus.path.count + 1)), text, normalized, sourceByte))
        }
        return (index, texts)
    }

    @Test(.enabled(if: TestData.hasSharedCorpus, "needs ../shared/corpus (the benchmark corpus)"), .timeLimit(.minutes(20)))
    func phrasesFromTheBenchmarkCorpusMatchABruteForceScan() throws {
        let (index, texts) = try Self.benchmark.get()
        #expect(texts.count > 3_000)
        try checkPhrases(count: 2_100, texts: texts, index: index, analyzer: try Analyzer(), seed: 2024)
    }

    /// Acceptance (variants): words of the Taiwan legislature records whose per-character
    /// normalization differs from that of their `tw2s` conversion (計畫 → 计划), typed the other
    /// side's way (the conversion) and the Taiwan way: every document whose text or conversion
    /// holds either form (normalized) is found, and every document found holds one. The words are
    /// the ICU words of the original text around each alternate, and, to reach 1,000 distinct
    /// ones, the 2–4-character Han windows that cover an alternate (jieba is not at hand in Swift).
    @Test(.enabled(if: TestData.hasSharedCorpus, "needs ../shared/corpus (the benchmark corpus)"), .timeLimit(.minutes(20)))
    func divergentWordsFindEveryDocumentWithEitherForm() throws {
        let (index, texts) = try Self.benchmark.get()
        let analyzer = try Analyzer()
        let variants = try analyzer.variants()
        var rng = SeededGenerator(seed: 7)
        var words: [(taiwan: String, mainland: String)] = []
        var seen = Set<String>()
        let taiwan = texts.filter { $0.id.hasPrefix("ly-interpellations/") }
        for text in taiwan.shuffled(using: &rng) where words.count < 1_000 {
            let analysis = try analyzer.analyze(text.original)
            let utf8 = Array(text.original.utf8)
            for alternate in variants.alternates(of: analysis).shuffled(using: &rng).prefix(3) {
                let at = Int(alternate.position)
                let length = Int.random(in: 2...4, using: &rng), start = at - Int.random(in: 0..<length, using: &rng)
                guard start >= 0, start + length <= analysis.normalized.count,
                      analysis.normalized[start..<(start + length)].allSatisfy({ analyzer.table.isHan(UInt32($0)) }) else { continue }
                let bytes = analysis.byteRange(normalized: start..<(start + length))
                let word = String(decoding: utf8[bytes], as: UTF8.self)
                guard word.unicodeScalars.count == length, !seen.contains(word) else { continue }
                let converted = try variants.convert(word, config: "tw2s")
                guard analyzer.table.normalize(converted) != analyzer.table.normalize(word) else { continue }
                seen.insert(word)
                words.append((word, converted))
            }
        }
        #expect(words.count >= 1_000)
        words = Array(words.prefix(1_000))
        var streams: [(id: String, normalized: [UInt16])] = texts.map { ($0.id, $0.normalized) }
        for config in Variants.documentConfigs {
            for t in texts { streams.append((t.id, analyzer.clean(normalizing: try variants.convert(t.original, config: config)).0)) }
        }
        var patterns: [[UInt16]] = []
        for w in words { patterns += [analyzer.clean(normalizing: w.taiwan).0, analyzer.clean(normalizing: w.mainland).0] }
        let found = SubstringOracle.documents(containing: patterns, in: streams)
        var missing = 0, extra = 0, relevant = 0
        for (i, w) in words.enumerated() {
            let expected = found[2 * i].union(found[2 * i + 1])
            relevant += expected.count
            for query in [w.mainland, w.taiwan] {
                let got = Set(try index.ids("\"\(query)\""))
                missing += expected.subtracting(got).count
                extra += got.subtracting(expected).count
                if got != expected && missing + extra <= 10 {
                    Issue.record("\(query) (\(w.taiwan)/\(w.mainland)): missing \(expected.subtracting(got).sorted().prefix(3)), extra \(got.subtracting(expected).sorted().prefix(3))")
                }
            }
        }
        print("divergent words: \(words.count) words × 2 spellings, \(2 * relevant) expected (query, document) pairs, \(missing) missing, \(extra) extra")
        #expect(missing == 0 && extra == 0)
    }

    /// 80 generated documents (both scripts, annotations, Latin, punctuation) indexed, with their texts.
    func generated(seed: UInt64) throws -> (TestIndex, Analyzer, Texts) {
        var rng = SeededGenerator(seed: seed)
        let documents = (0..<80).map { i in (id: "g\(i)", text: RandomText.make(&rng, length: Int.random(in: 5...400, using: &rng)), metadata: [String: String]()) }
        let analyzer = try Analyzer()
        let texts = documents.map { d in
            let (normalized, sourceByte, _) = analyzer.clean(normalizing: d.text)
            return (id: d.id, original: d.text, normalized: normalized, sourceByte: sourceByte)
        }
        return (try TestIndex(documents), analyzer, texts)
    }

    /// The same property on generated documents (both scripts, annotations, Latin, punctuation).
    @Test(arguments: 0..<6)
    func phrasesFromGeneratedDocumentsMatchABruteForceScan(seed: Int) throws {
        let (index, analyzer, texts) = try generated(seed: UInt64(seed) + 100)
        try checkPhrases(count: 300, texts: texts, index: index, analyzer: analyzer, seed: UInt64(seed))
    }

    /// Phrases holding punctuation (a Han character, then Han characters and symbols: what the
    /// `Q` pair terms answer) on generated documents: exactly the documents whose normalized
    /// text contains them, with variants off, and the union oracle's with variants on.
    @Test(arguments: 0..<3)
    func phrasesWithPunctuationMatchABruteForceScan(seed: Int) throws {
        let (index, analyzer, texts) = try generated(seed: UInt64(seed) + 500)
        var rng = SeededGenerator(seed: UInt64(seed))
        func isSymbol(_ u: UInt16) -> Bool {
            guard let scalar = Unicode.Scalar(u), !analyzer.table.isHan(UInt32(u)) else { return false }
            return !scalar.properties.isAlphabetic && scalar.properties.numericType == nil && !scalar.properties.isWhitespace
                && !"\"“”「」『』()（）-－~～=＝*".unicodeScalars.contains(scalar)
        }
        var phrases: [String] = [], patterns: [[UInt16]] = []
        var attempts = 0
        while phrases.count < 200 && attempts < 50_000 {
            attempts += 1
            let text = texts.randomElement(using: &rng)!
            guard text.normalized.count > 6 else { continue }
            let length = Int.random(in: 2...6, using: &rng)
            let start = Int.random(in: 0..<(text.normalized.count - length), using: &rng)
            let units = Array(text.normalized[start..<(start + length)])
            guard analyzer.table.isHan(UInt32(units[0])), units.contains(where: isSymbol),
                  units.allSatisfy({ analyzer.table.isHan(UInt32($0)) || isSymbol($0) }) else { continue }
            phrases.append(String(decoding: units, as: UTF16.self))
            patterns.append(units)
        }
        #expect(phrases.count == 200)
        let expected = SubstringOracle.documents(containing: patterns, in: texts.map { ($0.id, $0.normalized) })
        for (i, phrase) in phrases.enumerated() {
            #expect(Set(try index.ids("\"\(phrase)\"", variants: false)) == expected[i], "\"\(phrase)\"")
        }
        try checkVariantUnion(phrases, texts: texts, index: index, analyzer: analyzer)
    }

    func checkPhrases(count: Int, texts: [(id: String, original: String, normalized: [UInt16], sourceByte: [Int32])],
                      index: TestIndex, analyzer: Analyzer, seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let toTraditional = Transliterator("Simplified-Traditional")
        var phrases: [String] = []
        var patterns: [[UInt16]] = []
        var attempts = 0
        while phrases.count < count && attempts < count * 50 {
            attempts += 1
            let text = texts.randomElement(using: &rng)!
            guard text.normalized.count > 12 else { continue }
            let length = Int.random(in: 2...12, using: &rng)
            let start = Int.random(in: 0..<(text.normalized.count - length), using: &rng)
            let units = text.normalized[start..<(start + length)]
            guard units.allSatisfy({ analyzer.table.isHan(UInt32($0)) }) else { continue }
            // The phrase as the original text has it (its own script, annotations included).
            let utf8 = Array(text.original.utf8)
            let from = Int(text.sourceByte[start]), last = Int(text.sourceByte[start + length - 1])
            var phrase = String(decoding: utf8[from..<(last + 3)], as: UTF8.self)
            switch phrases.count % 3 {
            case 0: phrase = toTraditional(phrase)  // the other script (from a Simplified or Traditional source)
            case 1: phrase = analyzer.table.normalize(phrase)  // Simplified
            default: break
            }
            let normalized = analyzer.clean(normalizing: phrase).0
            guard normalized.count >= 2, !phrase.contains("\"") else { continue }
            phrases.append(phrase)
            patterns.append(normalized)
        }
        #expect(phrases.count == count)
        let expected = SubstringOracle.documents(containing: patterns, in: texts.map { ($0.id, $0.normalized) })
        var mismatches = 0
        for (i, phrase) in phrases.enumerated() {
            let quoted = Set(try index.ids("\"\(phrase)\"", variants: false))
            if quoted != expected[i] {
                mismatches += 1
                if mismatches <= 5 {
                    Issue.record("\"\(phrase)\": missing \(expected[i].subtracting(quoted).sorted().prefix(5)), extra \(quoted.subtracting(expected[i]).sorted().prefix(5))")
                }
            }
            if i % 4 == 0, !phrase.unicodeScalars.contains(where: { "()（）\"“”「」『』-－:：".unicodeScalars.contains($0) }) {
                // An unquoted run of Han characters (no query syntax in it) means the same.
                let unquoted = Set(try index.ids(phrase.filter { !$0.isWhitespace }, variants: false))
                #expect(unquoted == expected[i], "unquoted \(phrase)")
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(phrases.count) phrases disagree with the brute-force scan")
        try checkHighlights(Array(phrases.prefix(200)), index: index, analyzer: analyzer)
        try checkVariantUnion(phrases, texts: texts, index: index, analyzer: analyzer)
    }

    /// With variants (the default), the same phrases return exactly the union oracle's documents:
    /// those where the phrase or one of its OpenCC conversions (normalized) occurs in the
    /// document's normalized text or in the normalized text of its whole-text conversion.
    func checkVariantUnion(_ phrases: [String], texts: [(id: String, original: String, normalized: [UInt16], sourceByte: [Int32])],
                           index: TestIndex, analyzer: Analyzer) throws {
        let variants = try analyzer.variants()
        var streams: [(id: String, normalized: [UInt16])] = texts.map { ($0.id, $0.normalized) }
        for config in Variants.documentConfigs {
            for t in texts { streams.append((t.id, analyzer.clean(normalizing: try variants.convert(t.original, config: config)).0)) }
        }
        var patterns: [[UInt16]] = [], owner: [Int] = []
        for (i, phrase) in phrases.enumerated() {
            for form in [phrase] + (try variants.queryForms(phrase)) {
                let p = analyzer.clean(normalizing: form).0
                if p.count >= 2 { patterns.append(p); owner.append(i) }
            }
        }
        var expected = [Set<String>](repeating: [], count: phrases.count)
        for (k, found) in SubstringOracle.documents(containing: patterns, in: streams).enumerated() { expected[owner[k]].formUnion(found) }
        var missing = 0, extra = 0, differing = 0
        for (i, phrase) in phrases.enumerated() {
            let quoted = Set(try index.ids("\"\(phrase)\""))
            if quoted != expected[i] { differing += 1 }
            missing += expected[i].subtracting(quoted).count
            extra += quoted.subtracting(expected[i]).count
            if quoted != expected[i] && differing <= 5 {
                Issue.record("variants \"\(phrase)\": missing \(expected[i].subtracting(quoted).sorted().prefix(5)), extra \(quoted.subtracting(expected[i]).sorted().prefix(5))")
            }
        }
        let relevant = expected.reduce(0) { $0 + $1.count }
        print("variant union oracle: \(phrases.count) phrases, \(relevant) expected (phrase, document) pairs, \(missing) missing, \(extra) extra, \(differing) phrases differ")
        #expect(missing == 0 && extra == 0)
    }

    /// Acceptance: every highlight, applied to the original text, covers text that normalizes to
    /// the query phrase.
    func checkHighlights(_ phrases: [String], index: TestIndex, analyzer: Analyzer) throws {
        var checked = 0
        for phrase in phrases {
            let want = analyzer.clean(normalizing: phrase).0
            let results = try index.searcher.search("\"\(phrase)\"", options: SearchOptions(limit: 5))
            for hit in results.hits {
                let original = Array(try index.searcher.snapshot.text(hit.document).utf8)
                #expect(!hit.snippets.isEmpty)
                for snippet in hit.snippets {
                    #expect(Array(snippet.text.utf8) == Array(original[snippet.startByte..<snippet.endByte]))
                    for h in snippet.highlights {
                        let slice = String(decoding: original[(snippet.startByte + h.startByte)..<(snippet.startByte + h.endByte)], as: UTF8.self)
                        #expect(analyzer.clean(normalizing: slice).0 == want, "highlight \(slice) for \(phrase)")
                        let chars = Array(snippet.text.unicodeScalars)
                        #expect(String(String.UnicodeScalarView(chars[h.start..<h.end])) == slice)
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 0)
    }
}
