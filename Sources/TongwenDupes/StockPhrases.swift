import TongwenAnalysis

/// Stock phrases (套话) that are whole clauses: a run of 4–19 comparison units with nothing
/// dropped inside it (no punctuation, space or symbol between its characters, no line break),
/// found in at least `minDocuments` documents. Frequent repeats of 12–19 units that are not whole
/// clauses come from the passage finder's short exact matches.
enum StockPhrases {
    static let lengths = 4...19

    /// A clause of one text: the hash of its units and where they are.
    struct Clause {
        var hash: UInt64
        var start: Int32
        var length: Int32
        var units: Range<Int> { Int(start)..<Int(start + length) }
    }

    /// A stock phrase before its text is read: its length, documents and a first occurrence.
    struct Candidate {
        var normLength: Int
        var documents: Int
        var doc: Int
        var units: Range<Int>
    }

    /// Each frequent clause's units, with its number of documents and a first occurrence, from
    /// every document's distinct clauses.
    static func frequentClauses(_ perDocument: [[Clause]], _ units: [[Unit]], minDocuments: Int) -> [[Unit]: (documents: Int, example: (Int, Range<Int>))] {
        var counts: [UInt64: (documents: Int32, example: (Int, Range<Int>))] = [:]
        for (doc, list) in perDocument.enumerated() {
            for clause in list {
                if let entry = counts[clause.hash] {
                    counts[clause.hash] = (entry.documents + 1, entry.example)
                } else {
                    counts[clause.hash] = (1, (doc, clause.units))
                }
            }
        }
        var result: [[Unit]: (documents: Int, example: (Int, Range<Int>))] = [:]
        for entry in counts.values where Int(entry.documents) >= minDocuments {
            let (doc, range) = entry.example
            result[Array(units[doc][range])] = (Int(entry.documents), entry.example)
        }
        return result
    }

    /// The distinct clauses of one text with the unit range of their first occurrence.
    static func clauses(_ text: DedupText) -> [Clause] {
        var seen = Set<UInt64>()
        var result: [Clause] = []
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
                if seen.insert(h).inserted { result.append(Clause(hash: h, start: Int32(start), length: Int32(i - start))) }
            }
            start = i < units.count && units[i] == DedupText.barrier ? i + 1 : i
        }
        return result
    }

    /// The report's stock phrases: `candidates` with the texts of their occurrences (in the
    /// same order), most documents first.
    static func report(_ candidates: [Candidate], texts: [String]) -> [DupesReport.StockPhrase] {
        zip(candidates, texts).map { c, text in DupesReport.StockPhrase(text: text, normLength: c.normLength, documents: c.documents) }
            .sorted { ($0.documents, $0.normLength, $0.text) > ($1.documents, $1.normLength, $1.text) }
    }
}

extension DupesCorpus {
    /// Stage 6: stock phrases, short exact repeats (k to minCharacters-1 units) and whole clauses of
    /// 4–19 characters (`clauses`, per document) in at least 1 % of the documents (and 3), mostly
    /// Han. Their texts are read with the documents' last pass.
    func stockPhrases(_ found: PassageFinder.Result, clauses: [[StockPhrases.Clause]]) -> [StockPhrases.Candidate] {
        var phraseDocs: [[Unit]: (docs: Set<Int>, example: (Int, Range<Int>))] = [:]
        for m in found.shortMatches {
            let key = Array(units[Int(m.a)][Int(m.sa)..<Int(m.ea)])
            var entry = phraseDocs[key] ?? ([], (Int(m.a), Int(m.sa)..<Int(m.ea)))
            entry.docs.insert(Int(m.a))
            entry.docs.insert(Int(m.b))
            phraseDocs[key] = entry
        }
        let threshold = max(3, (source.count + 99) / 100)
        var stock = phraseDocs.filter { $0.value.docs.count >= threshold }.mapValues { ($0.docs.count, $0.example) }
        for (key, value) in StockPhrases.frequentClauses(clauses, units, minDocuments: threshold) where (stock[key]?.0 ?? 0) < value.documents {
            stock[key] = (value.documents, value.example)
        }
        // Phrases are words: mostly Han characters, not numbers, markup or URLs.
        return stock.compactMap { key, value in
            let han = key.count { table.isHan(UInt32($0)) || CompactUnits.spare.contains(UInt32($0)) }
            guard han >= 3 && han * 3 >= key.count * 2 else { return nil }
            return StockPhrases.Candidate(normLength: key.count, documents: value.0, doc: value.1.0, units: value.1.1)
        }
    }
}
