/// What `tongwen dupes` reports (the JSON shape is documented in the README). Offsets point into
/// the ORIGINAL texts: `start`/`end` in characters, `startByte`/`endByte` in UTF-8 bytes.
public struct DupesReport: Sendable, Codable {
    public struct Member: Sendable, Codable {
        public var doc: String
        public var start: Int
        public var end: Int
        public var startByte: Int
        public var endByte: Int
        /// `Hant` when the copy has Traditional-only characters, `Hans` otherwise.
        public var script: String
    }

    public struct Passage: Sendable, Codable {
        public var id: Int
        /// The original text of its shortest copy: what every copy shares.
        public var text: String
        /// That copy's length in comparison units.
        public var normLength: Int
        /// Distinct documents holding a copy.
        public var documents: Int
        public var occurrences: Int
        /// `boilerplate` (≥ 3 documents), `reuse` (2 documents that are near-duplicates), `repeat`.
        public var kind: String
        public var members: [Member]
    }

    public struct StockPhrase: Sendable, Codable {
        public var text: String
        public var normLength: Int
        public var documents: Int
    }

    public struct NearDuplicate: Sendable, Codable {
        public var a: String
        public var b: String
        public var jaccard: Double
        public var containment: Double
    }

    public struct Span: Sendable, Codable {
        public var start: Int
        public var end: Int
        public var startByte: Int
        public var endByte: Int
        public var rule: String
        public var text: String
    }

    public struct Document: Sendable, Codable {
        public var doc: String
        /// Normalized characters (punctuation and spaces not counted).
        public var characters: Int
        public var boilerplateRatio: Double
        public var repeatRatio: Double
        public var chromeRatio: Double
        public var chrome: [Span]
        public var markup: [Span]
    }

    public var passages: [Passage]
    public var stockPhrases: [StockPhrase]
    public var nearDuplicates: [NearDuplicate]
    /// Groups of near-duplicate documents (connected by the pairs above).
    public var nearDuplicateClusters: [[String]]
    public var documents: [Document]
    /// The page templates learned from this archive (the 200 most widespread), which the
    /// `template-…` chrome rules name.
    public var chromeTemplates: [ChromeTemplate] = []
}

extension DupesReport {
    public struct ChromeTemplate: Sendable, Codable {
        /// `line` (a whole segment's shape) or `prefix` (a fixed part before a variable one).
        public var kind: String
        /// `head` or `tail`.
        public var zone: String
        /// The shape: digits masked as `0`, whitespace runs as one space.
        public var text: String
        /// Pages holding it in that zone.
        public var documents: Int
    }
}

