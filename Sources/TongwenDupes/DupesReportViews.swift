import Foundation

/// What people and tools read of a report at any size: a summary, passages as previews (their
/// length and offsets, not their whole text), pages of them, and one passage in full.
extension DupesReport {
    /// The whole report in counts.
    public struct Summary: Sendable, Codable, Equatable {
        public var passages: Int
        public var boilerplatePassages: Int
        /// Copies over all passages.
        public var copies: Int
        public var stockPhrases: Int
        public var nearDuplicates: Int
        public var nearDuplicateClusters: Int
        public var documents: Int
        public var documentsWithBoilerplate: Int
        public var chromeSegments: Int
        public var chromeTemplates: Int
    }

    public var summary: Summary {
        Summary(passages: passages.count, boilerplatePassages: passages.count { $0.kind == "boilerplate" },
                copies: passages.reduce(0) { $0 + $1.members.count }, stockPhrases: stockPhrases.count,
                nearDuplicates: nearDuplicates.count, nearDuplicateClusters: nearDuplicateClusters.count,
                documents: documents.count, documentsWithBoilerplate: documents.count { $0.boilerplateRatio > 0 },
                chromeSegments: documents.reduce(0) { $0 + $1.chrome.count }, chromeTemplates: chromeTemplates.count)
    }

    /// A passage as a list shows it: the start of its first copy instead of its whole text
    /// (`tongwen dupes --passage ID`, `GET /duplicates/{id}` give that).
    public struct PassagePreview: Sendable, Codable {
        public var id: Int
        public var kind: String
        public var normLength: Int
        public var documents: Int
        public var occurrences: Int
        /// The first ``previewLength`` characters of ``Passage/text`` (line breaks as spaces), `…` when cut.
        public var preview: String
        /// The length of ``Passage/text`` in original characters.
        public var characters: Int
        /// The copies: in a list the first ``previewMembers`` (`occurrences` counts them all),
        /// in full every one.
        public var members: [Member]
        /// The first copy's whole text, only when asked for.
        public var text: String?
    }

    public static let previewLength = 60
    public static let previewMembers = 20

    /// `passage` as a list shows it, or in full (whole text, every copy) when `fullText`.
    public static func preview(_ passage: Passage, fullText: Bool = false) -> PassagePreview {
        let flat = passage.text.replacingOccurrences(of: "\n", with: " ")
        let count = passage.text.count
        return PassagePreview(id: passage.id, kind: passage.kind, normLength: passage.normLength, documents: passage.documents,
                              occurrences: passage.occurrences,
                              preview: count <= previewLength ? flat : String(flat.prefix(previewLength)) + "…",
                              characters: count, members: fullText ? passage.members : Array(passage.members.prefix(previewMembers)),
                              text: fullText ? passage.text : nil)
    }

    /// The passage numbered `id`, if any.
    public func passage(_ id: Int) -> Passage? {
        passages.indices.contains(id - 1) && passages[id - 1].id == id ? passages[id - 1] : passages.first { $0.id == id }
    }

    /// Documents with some repeated text, most boilerplate first (ties by id).
    public var documentsByBoilerplate: [Document] {
        documents.filter { $0.boilerplateRatio > 0 || $0.repeatRatio > 0 }
            .sorted { ($0.boilerplateRatio, $1.doc) > ($1.boilerplateRatio, $0.doc) }
    }

    /// The report as JSON Lines, each line an object with a `type`: `summary` (with the page:
    /// `offset`, `limit`, `next` when more passages follow), then `passage` (previews, ranked,
    /// `limit` of them from `offset`, all when `limit` is nil; in full when `fullText`),
    /// `stockPhrase`, `nearDuplicate`, `nearDuplicateCluster`, `chromeTemplate` and `document`
    /// lines (the last ranked by boilerplate ratio; chrome spans included).
    public func jsonLines(offset: Int = 0, limit: Int? = nil, fullText: Bool = false) throws -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func line(_ type: String, _ value: some Encodable) throws -> String {
            let body = String(decoding: try encoder.encode(value), as: UTF8.self)
            return "{\"type\":\"\(type)\"" + (body == "{}" ? "}" : "," + body.dropFirst())
        }
        let start = min(offset, passages.count)
        let end = limit.map { min(passages.count, start + $0) } ?? passages.count
        var lines = [try line("summary", Page(summary: summary, offset: start, limit: limit, next: end < passages.count ? end : nil))]
        for p in passages[start..<end] { lines.append(try line("passage", Self.preview(p, fullText: fullText))) }
        for s in stockPhrases { lines.append(try line("stockPhrase", s)) }
        for n in nearDuplicates { lines.append(try line("nearDuplicate", n)) }
        for c in nearDuplicateClusters { lines.append(try line("nearDuplicateCluster", ["documents": c])) }
        for t in chromeTemplates { lines.append(try line("chromeTemplate", t)) }
        for d in documentsByBoilerplate + documents.filter({ $0.boilerplateRatio == 0 && $0.repeatRatio == 0 }) {
            lines.append(try line("document", d))
        }
        return lines
    }

    /// The summary line's page fields.
    struct Page: Encodable {
        var summary: Summary
        var offset: Int
        var limit: Int?
        var next: Int?
    }
}

/// The server's `GET /duplicates` answer: the summary, one page of passages as previews, and
/// the report's other lists (documents ranked by boilerplate ratio, `limit` of them).
public struct DupesOverview: Sendable, Codable {
    public var summary: DupesReport.Summary
    public var offset: Int
    public var limit: Int
    /// The offset of the next page, when there is one.
    public var next: Int?
    public var passages: [DupesReport.PassagePreview]
    public var stockPhrases: [DupesReport.StockPhrase]
    public var nearDuplicates: [DupesReport.NearDuplicate]
    public var nearDuplicateClusters: [[String]]
    public var chromeTemplates: [DupesReport.ChromeTemplate]
    public var documents: [DupesReport.Document]

    public init(_ report: DupesReport, offset: Int, limit: Int) {
        summary = report.summary
        let start = min(offset, report.passages.count), end = min(report.passages.count, start + limit)
        self.offset = start
        self.limit = limit
        next = end < report.passages.count ? end : nil
        passages = report.passages[start..<end].map { DupesReport.preview($0) }
        stockPhrases = Array(report.stockPhrases.prefix(limit))
        nearDuplicates = report.nearDuplicates
        nearDuplicateClusters = report.nearDuplicateClusters
        chromeTemplates = report.chromeTemplates
        documents = Array(report.documentsByBoilerplate.prefix(limit))
    }
}
