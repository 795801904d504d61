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
}
