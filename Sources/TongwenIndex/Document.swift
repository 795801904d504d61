/// A document to index: its id, its ORIGINAL text and what is known about it.
public struct IndexDocument: Sendable {
    /// Unique in the index (a path relative to the indexed root, or a JSON Lines `id`).
    public var id: String
    public var title: String
    /// The text in its own script, as decoded (annotations and all). Stored compressed.
    public var text: String
    /// Where it came from (a file path), for pruning documents whose file is gone.
    public var source: String
    /// String fields such as `speaker`, `date`, `venue`, `source`, `path`.
    public var metadata: [String: String]
    /// A 64-bit hash of the source bytes; an unchanged hash means an unchanged document.
    public var contentHash: UInt64

    public init(id: String, title: String, text: String, source: String, metadata: [String: String] = [:], contentHash: UInt64) {
        self.id = id
        self.title = title
        self.text = text
        self.source = source
        self.metadata = metadata
        self.contentHash = contentHash
    }
}

/// What the index keeps about a document besides its postings.
public struct StoredDocument: Sendable, Equatable {
    public var id: String
    public var title: String
    public var source: String
    public var metadata: [(key: String, value: String)]
    public var contentHash: UInt64
    /// Words (ICU tokens), the document length BM25 uses.
    public var wordCount: Int
    /// Length of the original text in UTF-8 bytes.
    public var textBytes: Int

    public static func == (a: StoredDocument, b: StoredDocument) -> Bool {
        a.id == b.id && a.title == b.title && a.source == b.source && a.contentHash == b.contentHash
            && a.wordCount == b.wordCount && a.textBytes == b.textBytes
            && a.metadata.map(\.key) == b.metadata.map(\.key) && a.metadata.map(\.value) == b.metadata.map(\.value)
    }

    public func metadata(_ key: String) -> String? { metadata.first { $0.key == key }?.value }
}

/// The content hash of source bytes: stable across runs and machines, 8 bytes per step
/// (multiply–xorshift over little-endian words, then the tail and the length).
public func contentHash(_ bytes: some Collection<UInt8>) -> UInt64 {
    if let hash = bytes.withContiguousStorageIfAvailable({ contentHash(UnsafeRawBufferPointer($0)) }) { return hash }
    return Array(bytes).withUnsafeBytes { contentHash($0) }
}

func contentHash(_ raw: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(raw.count)
    let words = raw.count / 8
    for i in 0..<words {
        let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
        h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 32
    }
    var tail: UInt64 = 0
    for i in (words * 8)..<raw.count { tail = tail << 8 | UInt64(raw[i]) }
    h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
    return h ^ (h >> 29)
}

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

    public var hasPositions: Bool { self != .hanWord }
}

/// A term's key bytes: its kind byte, then the UTF-8 of its normalized text.
public func termKey(_ kind: TermKind, _ text: String) -> [UInt8] {
    [kind.rawValue] + Array(text.utf8)
}
