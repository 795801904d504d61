import Testing
import TongwenDupes
import TongwenTestSupport

/// Stock phrases of 4–11 characters are whole clauses repeated across documents.
@Suite struct StockPhraseTests {
    @Test func aShortClauseRepeatedAcrossSpeechesIsAStockPhrase() throws {
        var rng = SeededGenerator(seed: 99)
        var documents: [(id: String, text: String)] = []
        for i in 0..<20 {
            var text = RandomText.make(&rng, length: 400).replacingOccurrences(of: "坚持稳中求进", with: "")
            if i % 2 == 0 { text += "，坚持稳中求進，" + RandomText.make(&rng, length: 100) }  // Traditional 進 in some copies
            if i % 4 == 1 { text += "。坚持稳中求进。" }
            documents.append((id: "speech-\(i).txt", text: text))
        }
        let report = try DupesFinder.run(documents)
        let phrase = try #require(report.stockPhrases.first { $0.normLength == 6 && ($0.text == "坚持稳中求进" || $0.text == "坚持稳中求進") })
        #expect(phrase.documents == 15)
        // Part of the clause is not a clause of its own.
        #expect(!report.stockPhrases.contains { $0.text == "稳中求进" || $0.text == "稳中求進" })
    }
}
