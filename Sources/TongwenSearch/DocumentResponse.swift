import TongwenIndex

/// The JSON shape of one stored document (the CLI's `show --json` and the server's `/documents/ID`).
public struct DocumentResponse: Encodable, Sendable {
    public var id: String
    public var title: String
    public var metadata: [String: String]
    public var text: String

    /// The document as stored; a repeated metadata key keeps its first value.
    public init(_ record: StoredDocument, text: String) {
        id = record.id
        title = record.title
        metadata = Dictionary(record.metadata.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        self.text = text
    }
}
