/// How a term key starts: the kind of unit it indexes.
public enum TermKind: UInt8, Sendable {
    /// One Han character of the normalized text, with positions (exact substring matching).
    case han = 0x48  // "H"
    /// A non-Han word (Latin letters, digits, kana), with positions (phrases of words).
    case word = 0x4C  // "L"
    /// An ICU word made of Han characters, document-level only (BM25 ranking).
    case hanWord = 0x57  // "W"
    /// A cross-strait alternate: a character of the document's word-aware OpenCC conversion where
    /// it differs from the normalized text (`划` where `計畫` reads `计画`), at that position.
    case hanVariant = 0x56  // "V"
    /// A punctuation mark or symbol of the normalized text (`,` `、` `%`), with positions, so
    /// phrases holding them match from postings (``Analyzer/forEachSymbol(in:segments:_:)``).
    case symbol = 0x50  // "P"
    /// A Han character and the punctuation mark or symbol right after it (`的，`), at the Han
    /// character's position: a phrase holding the pair reads this one short list instead of
    /// intersecting two that are as long as the corpus.
    case hanSymbol = 0x51  // "Q"
    /// Two Han characters next to each other in the normalized text (`经济`), at the first one's
    /// position: a phrase of n characters intersects about n/2 of these lists, each far shorter
    /// than the single characters' (Lucene's CJK bigrams, kept alongside the characters).
    case hanBigram = 0x42  // "B"
    /// Two adjacent Han characters read from the document's alternates (``hanVariant``) at one
    /// or both places (`计划` where `計畫` reads `计画`), at the first one's position: what `B`
    /// is for the document's word-aware conversion, so a phrase that may match either way still
    /// reads pairs. Only pairs that differ from the normalized text's are here.
    case hanVariantBigram = 0x43  // "C"
    /// An alternate and the punctuation mark or symbol right after it, at the alternate's
    /// position: what `Q` is for the document's word-aware conversion.
    case hanVariantSymbol = 0x52  // "R"

    public var hasPositions: Bool { self != .hanWord }
}

/// A term's key bytes: its kind byte, then the UTF-8 of its normalized text.
public func termKey(_ kind: TermKind, _ text: String) -> [UInt8] {
    [kind.rawValue] + Array(text.utf8)
}
