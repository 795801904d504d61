import TongwenAnalysis

/// Stock phrases (套话) that are whole clauses: a run of 4–19 comparison units with nothing
/// dropped inside it (no punctuation, space or symbol between its characters, no line break),
/// found in at least `minDocuments` documents. Frequent repeats of 12–19 units that are not whole
/// clauses come from the passage finder's short exact matches.
enum StockPhrases {
    static let lengths = 4...19

    /// Each frequent clause's units, with its number of documents and a first occurrence.
    static func frequentClauses(_ texts: [DedupText], minDocuments: Int) -> [[UInt32]: (documents: Int, example: (Int, Range<Int>))] {
        // Per document, on both cores: its distinct clauses as (hash, units range).
        let perDocument = parallelMap(texts.count) { doc, _ in clauses(texts[doc]) }
        var counts: [UInt64: (documents: Int32, example: (Int, Range<Int>))] = [:]
        for (doc, list) in perDocument.enumerated() {
            for (hash, range) in list {
                if let entry = counts[hash] {
                    counts[hash] = (entry.documents + 1, entry.example)
                } else {
                    counts[hash] = (1, (doc, range))
                }
            }
        }
        var result: [[UInt32]: (documents: Int, example: (Int, Range<Int>))] = [:]
        for entry in counts.values where Int(entry.documents) >= minDocuments {
            let (doc, range) = entry.example
            result[Array(texts[doc].units[range])] = (Int(entry.documents), entry.example)
        }
        return result
    }

    /// The distinct clauses of one text with the unit range of their first occurrence.
    static func clauses(_ text: DedupText) -> [(UInt64, Range<Int>)] {
        var seen = Set<UInt64>()
        var result: [(UInt64, Range<Int>)] = []
        let units = text.units, starts = text.normalizedStart
        var start = 0
        for i in 0...units.count {
            // A clause ends before a barrier, before a unit that does not directly follow the
            // previous one in the normalized text, and at the end.
            let ends = i == units.count || units[i] == DedupText.barrier
                || (i > start && Int(starts[i]) != Int(starts[i - 1]) + (units[i - 1] > 0xFFFF ? 2 : 1))
            guard ends else { continue }
            if lengths.contains(i - start), !units[start..<i].contains(DedupText.barrier) {
                var h: UInt64 = 0xcbf2_9ce4_8422_2325
                for u in units[start..<i] { h = (h ^ UInt64(u)) &* 0x100_0000_01b3 }
                h ^= UInt64(i - start) << 56
                if seen.insert(h).inserted { result.append((h, start..<i)) }
            }
            start = i < units.count && units[i] == DedupText.barrier ? i + 1 : i
        }
        return result
    }
}

extension DupesCorpus {
    /// Stage 6: stock phrases, short exact repeats (k to minCharacters-1 units) and whole clauses of
    /// 4–19 characters in at least 1 % of the documents (and 3), mostly Han, most documents first.
    func stockPhrases(_ found: PassageFinder.Result) -> [DupesReport.StockPhrase] {
        var phraseDocs: [[UInt32]: (docs: Set<Int>, example: (Int, Range<Int>))] = [:]
        for m in found.shortMatches {
            let key = Array(units[Int(m.a)][Int(m.sa)..<Int(m.ea)])
            var entry = phraseDocs[key] ?? ([], (Int(m.a), Int(m.sa)..<Int(m.ea)))
            entry.docs.insert(Int(m.a))
            entry.docs.insert(Int(m.b))
            phraseDocs[key] = entry
        }
        let threshold = max(3, (documents.count + 99) / 100)
        var stock = phraseDocs.filter { $0.value.docs.count >= threshold }.mapValues { ($0.docs.count, $0.example) }
        for (key, value) in StockPhrases.frequentClauses(texts, minDocuments: threshold) where (stock[key]?.0 ?? 0) < value.documents {
            stock[key] = (value.documents, value.example)
        }
        // Phrases are words: mostly Han characters, not numbers, markup or URLs.
        stock = stock.filter { key, _ in
            let han = key.count { table.isHan($0) }
            return han >= 3 && han * 3 >= key.count * 2
        }
        return stock.map { key, value -> DupesReport.StockPhrase in
            let (doc, range) = value.1
            let bytes = texts[doc].byteRange(range)
            return DupesReport.StockPhrase(text: String(decoding: utf8[doc][bytes], as: UTF8.self), normLength: key.count, documents: value.0)
        }.sorted { ($0.documents, $0.normLength, $0.text) > ($1.documents, $1.normLength, $1.text) }
    }
}
