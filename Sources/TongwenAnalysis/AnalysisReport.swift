/// The JSON shape of `analyze --json` (documented in the README).
public struct AnalysisReport: Encodable, Sendable {
    public struct Token: Encodable, Sendable {
        var text: String
        var kind: String
        var position: Int
        var start: Int
        var end: Int
        var startByte: Int
        var endByte: Int
    }

    var source: String?
    var encoding: String?
    var original: String
    var cleaned: String
    var normalized: String
    var tokens: [Token]

    public init(_ analysis: Analysis, source: String?, encoding: String?) {
        let characters = CharacterIndex(analysis.original)
        self.source = source
        self.encoding = encoding
        original = analysis.original
        cleaned = analysis.cleanedText
        normalized = analysis.normalizedText
        tokens = analysis.tokens.map {
            Token(
                text: $0.text, kind: $0.kind.rawValue, position: $0.position,
                start: characters.character(atByte: $0.startByte), end: characters.character(atByte: $0.endByte),
                startByte: $0.startByte, endByte: $0.endByte)
        }
    }

    /// The human-readable form `tongwen analyze` prints.
    public var text: String {
        var lines: [String] = []
        if let source { lines.append("file:       \(source)") }
        if let encoding { lines.append("encoding:   \(encoding)") }
        lines.append("original:   \(original)")
        lines.append("cleaned:    \(cleaned)")
        lines.append("normalized: \(normalized)")
        lines.append("tokens (\(tokens.count)):  position  token  kind  chars  bytes")
        for t in tokens {
            lines.append("  \(t.position)\t\(t.text)\t\(t.kind)\t\(t.start)..<\(t.end)\t\(t.startByte)..<\(t.endByte)")
        }
        return lines.joined(separator: "\n")
    }
}

