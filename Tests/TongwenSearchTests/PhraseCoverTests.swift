import Testing
import TongwenAnalysis
import TongwenIndex
@testable import TongwenSearch
import TongwenTestSupport

/// How a phrase is looked up: runs of adjacent Han characters as pairs (`B`), a character and
/// the symbol after it as `Q`, lone characters and words as themselves. Each cover must stand
/// for exactly the phrase, so every unit of the pattern is covered once or by an overlap.
@Suite struct PhraseCoverTests {
    /// The looked-up keys as text, each with its offset: `B经济@0`.
    static func cover(_ text: String) throws -> [String] {
        let pattern = try Pattern(text, analyzer: try Analyzer())
        return PhraseMatcher.lookupUnits(pattern).map { unit in
            String(UnicodeScalar(unit.key[0])) + String(decoding: unit.key.dropFirst(), as: UTF8.self) + "@\(unit.offset)"
        }
    }

    @Test func evenRunsArePairedAndOddRunsOverlapAtTheEnd() throws {
        #expect(try Self.cover("经济发展") == ["B经济@0", "B发展@2"])
        #expect(try Self.cover("经济发") == ["B经济@0", "B济发@1"])
        #expect(try Self.cover("高质量发展") == ["B高质@0", "B量发@2", "B发展@3"])
    }

    @Test func aLeftoverCharacterPairsWithTheSymbolAfterIt() throws {
        // The full-width comma normalizes to ASCII.
        #expect(try Self.cover("经济发，") == ["B经济@0", "Q发,@2"])
        #expect(try Self.cover("经济，") == ["B经济@0", "P,@2"])
        #expect(try Self.cover("的，") == ["Q的,@0"])
    }

    @Test func loneCharactersAndWordsStayThemselves() throws {
        #expect(try Self.cover("3月") == ["L3@0", "H月@1"])
        #expect(try Self.cover("的") == ["H的@0"])
        #expect(try Self.cover("2024年经济") == ["L2024@0", "B年经@4", "B经济@5"])
    }

    /// A unit that may match alternates stays in its pairs, each of which may then also match
    /// the pair read from alternates (`C` for two characters, `R` for a character and a symbol).
    @Test func eitherUnitsArePairedWithTheirAlternatePairs() throws {
        var pattern = try Pattern("计划书，", analyzer: try Analyzer())
        pattern = pattern.matchingEither(1)
        let keys = PhraseMatcher.lookupUnits(pattern).map { unit in
            String(decoding: unit.key, as: UTF8.self) + "|" + (unit.either.map { String(decoding: $0, as: UTF8.self) } ?? "")
        }
        #expect(keys == ["B计划|C计划", "Q书,|"])
        pattern = pattern.matchingEither(2)
        #expect(PhraseMatcher.lookupUnits(pattern).map { $0.either.map { String(decoding: $0, as: UTF8.self) } } == ["C计划", "R书,"])
    }

    /// Where a document's alternates stand, the index holds the pairs they make with their
    /// neighbours, and only those (`計畫，` reads `计画,`; its conversion `计划,`).
    @Test func theIndexHoldsThePairsAlternatesMake() throws {
        let index = try TestIndex([(id: "tw", text: "年度計畫，執行", metadata: [:]), (id: "cn", text: "年度计划，执行", metadata: [:])])
        let reader = try #require(index.searcher.snapshot.segments.first).reader
        #expect(try reader.lookup(termKey(.hanVariantBigram, "计划"))?.docFreq == 1)
        #expect(try reader.lookup(termKey(.hanVariantSymbol, "划,"))?.docFreq == 1)
        #expect(try reader.lookup(termKey(.hanVariantBigram, "度计")) == nil)  // no alternate in it
        #expect(Set(try index.ids("\"计划，\"")) == ["cn", "tw"])
        #expect(Set(try index.ids("\"度计划\"")) == ["cn", "tw"])
        #expect(try index.ids("=\"度计划\"") == ["cn"])
    }

    /// The index holds a pair wherever two Han characters meet, at the first one's offset.
    @Test func theIndexHoldsEveryAdjacentPair() throws {
        let index = try TestIndex([(id: "a", text: "经济发展，经济。3月经", metadata: [:])])
        let reader = try #require(index.searcher.snapshot.segments.first).reader
        for (pair, count) in [("经济", 2), ("济发", 1), ("发展", 1), ("济。", 0), ("月经", 1), ("展经", 0)] {
            let info = try reader.lookup(termKey(.hanBigram, pair))
            #expect((info.map { _ in count } ?? 0) == count, "\(pair)")
            if let info {
                var postings = try reader.postings(info, positional: true)
                let (_, tf, _) = try #require(try postings.next())
                #expect(tf == count, "\(pair)")
            }
        }
    }

    /// 认为可以 is looked up as 认为 + 可以; where both are common and 为可 is far rarer, 为可 leads
    /// the intersection. Seeded documents hold the two words apart, the phrase, or 为可 alone
    /// (因为可能); the hits are exactly the documents whose text contains the phrase.
    @Test(arguments: [1, 2] as [UInt64])
    func aRareOverlappingPairLeadsAndTheHitsStayExact(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        func line() -> String {
            switch Int.random(in: 0..<100, using: &rng) {
            case 0: "认为可以推进"
            case 1: "因为可能下雨"
            case 2: "大家都认为可\n以后再说"  // 为可 and 可以, but not adjacent
            case let r: r % 2 == 0 ? "我们认为，这样做" : "是可以的。"
            }
        }
        let documents = (0..<200).map { i in
            (id: "d\(i)", text: (["认为如此", "可以如此"] + (0..<Int.random(in: 3...8, using: &rng)).map { _ in line() }).joined(separator: "\n"),
             metadata: [String: String]())
        }
        let index = try TestIndex(documents)
        let expected = Set(documents.filter { $0.text.contains("认为可以") }.map(\.id))
        #expect(!expected.isEmpty && expected.count < 50)
        #expect(Set(try index.ids("\"认为可以\"")) == expected)

        let pattern = try Pattern("认为可以", analyzer: try Analyzer())
        let cover = PhraseMatcher.lookupUnits(pattern)
        let overlaps = PhraseMatcher.overlapUnits(pattern, cover: cover)
        #expect(overlaps.map(\.offset) == [1])
        let reader = try #require(index.searcher.snapshot.segments.first).reader
        let units = try #require(try PhraseMatcher.unitPostings(cover, reader, .init(), overlaps: overlaps))
        #expect(units.map(\.offset) == [1, 0, 2] || units.map(\.offset) == [1, 2, 0])
    }

    /// Every occurrence holds each overlapping pair, so one that occurs nowhere means no hit.
    @Test func anAbsentOverlappingPairMeansNoHit() throws {
        let documents = (0..<100).map { (id: "d\($0)", text: "我们认为如此。这是可以的。", metadata: [String: String]()) }
        let index = try TestIndex(documents)
        #expect(try index.ids("\"认为可以\"").isEmpty)
        let pattern = try Pattern("认为可以", analyzer: try Analyzer())
        let cover = PhraseMatcher.lookupUnits(pattern)
        let reader = try #require(index.searcher.snapshot.segments.first).reader
        #expect(try PhraseMatcher.unitPostings(cover, reader, .init(), overlaps: PhraseMatcher.overlapUnits(pattern, cover: cover)) == nil)
        #expect(try PhraseMatcher.unitPostings(cover, reader, .init()) != nil)  // the cover alone does not know
    }
}
