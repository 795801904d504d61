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
    /// Cross-strait variants, when the text has any (see ``Variants``).
    var variants: VariantReport?

    /// What variant matching makes of the text: as a query, the other forms it also matches; as a
    /// document, its word-aware conversion (normalized) and the alternates indexed from it.
    struct VariantReport: Encodable, Sendable {
        struct Alternate: Encodable, Sendable {
            var position: Int
            var character: String
            var start: Int
            var startByte: Int
        }
        var queryForms: [String]
        var documentForms: [String]
        var converted: String
        var alternates: [Alternate]
    }

    /// The report, with the variant section from `variants` (left out when it finds nothing).
    public init(_ analysis: Analysis, source: String?, encoding: String?, variants: Variants) throws(AnalysisError) {
        self.init(analysis, source: source, encoding: encoding)
        let characters = CharacterIndex(analysis.original)
        let alternates = variants.alternates(of: analysis)
        let queryForms = source == nil ? try variants.queryForms(analysis.original) : []
        let documentForms = source == nil ? variants.documentForms(analysis.original) : []
        guard !alternates.isEmpty || !queryForms.isEmpty || !documentForms.isEmpty else { return }
        self.variants = VariantReport(
            queryForms: queryForms, documentForms: documentForms,
            converted: String(decoding: Variants.applying(alternates, to: analysis.normalized), as: UTF16.self),
            alternates: alternates.map {
                let byte = Int(analysis.sourceByte[Int($0.position)])
                return VariantReport.Alternate(position: Int($0.position), character: String(Unicode.Scalar($0.character)!),
                                               start: characters.character(atByte: byte), startByte: byte)
            })
    }

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
        if let variants {
            if !variants.queryForms.isEmpty { lines.append("as a query, also matches (OpenCC conversions): \(variants.queryForms.joined(separator: "  "))") }
            if !variants.documentForms.isEmpty { lines.append("as a query, also matches documents writing: \(variants.documentForms.joined(separator: "  "))") }
            if !variants.alternates.isEmpty {
                lines.append("converted:  \(variants.converted)")
                lines.append("alternates (\(variants.alternates.count)): " + variants.alternates.map { "\($0.character)@\($0.start)" }.joined(separator: " "))
            }
        }
        lines.append("tokens (\(tokens.count)):  position  token  kind  chars  bytes")
        for t in tokens {
            lines.append("  \(t.position)\t\(t.text)\t\(t.kind)\t\(t.start)..<\(t.end)\t\(t.startByte)..<\(t.endByte)")
        }
        return lines.joined(separator: "\n")
    }
}

