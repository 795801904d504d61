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
