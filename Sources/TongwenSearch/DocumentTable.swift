import TongwenAnalysis
import TongwenIndex

/// Per-snapshot facts about every document that filters, title boosts and the tie-break need,
/// read once from the records: ids and their sort rank, normalized titles and field values, date
/// spans, BM25 lengths, and the boilerplate masks the duplicate finder left (``BoilerplateMasks``);
/// and what a hit shows (title and metadata as stored), so a page of hits reads no record.
final class DocumentTable: Sendable {
    let ids: [String]
    /// Titles and metadata as stored, for hits.
    let shownTitles: [String]
    let metadata: [[String: String]]
    /// Rank of each live document's id in ascending order (the tie-break); -1 for deleted.
    let idRank: [Int32]
    let live: [Bool]
    /// BM25 length: the word count, shortened by the masked (boilerplate, chrome) fraction.
    let lengths: [Double]
    /// Masks of documents unchanged since the duplicate finder ran; nil elsewhere.
    let masks: [BoilerplateMasks.Document?]
    let hasMasks: Bool
    /// Tells cheaply where a match cannot be masked.
    let maskFilter: BoilerplateMasks.Filter
    let titles: [[UInt16]]
    /// ``UnitSearch/signature(_:)`` of each normalized title: most titles are ruled out by it.
    let titleSignatures: [UnitSearch.Signature]
    /// Normalized values of speaker, venue, source and path (path from metadata, else the id).
    let fields: [String: [[UInt16]]]
    let dates: [(String, String)?]
    let averageLength: Double

    /// Whether document `doc`'s normalized title holds `text`, whose signature is `signature`.
    func titleContains(_ text: [UInt16], signature: UnitSearch.Signature, _ doc: Int) -> Bool {
        titleSignatures[doc].covers(signature) && UnitSearch.contains(text, in: titles[doc])
    }

    init(_ snapshot: IndexSnapshot, table: NormalizationTable, masks saved: BoilerplateMasks = BoilerplateMasks()) throws(IndexError) {
        let slots = snapshot.documentSlots
        var ids = [String](repeating: "", count: slots)
        var shownTitles = [String](repeating: "", count: slots)
        var metadata = [[String: String]](repeating: [:], count: slots)
        var live = [Bool](repeating: false, count: slots)
        var lengths = [Double](repeating: 0, count: slots)
        var masks = [BoilerplateMasks.Document?](repeating: nil, count: slots)
        var titles = [[UInt16]](repeating: [], count: slots)
        var fields: [String: [[UInt16]]] = [:]
        for name in ["speaker", "venue", "source", "path"] { fields[name] = [[UInt16]](repeating: [], count: slots) }
        var dates = [(String, String)?](repeating: nil, count: slots)
        func normalized(_ s: String) -> [UInt16] { Array(table.normalize(s).utf16) }
        for segment in snapshot.segments {
            for doc in 0..<segment.reader.documentCount where !segment.isDeleted(doc) {
                let global = segment.docBase + doc
                let record = try segment.reader.document(doc)
                ids[global] = record.id
                shownTitles[global] = record.title
                metadata[global] = Dictionary(record.metadata, uniquingKeysWith: { _, last in last })
                live[global] = true
                lengths[global] = Double(record.wordCount)
                if let mask = saved.documents[record.id], mask.contentHash == record.contentHash {
                    masks[global] = mask
                    lengths[global] *= 1 - mask.maskedFraction
                }
                titles[global] = normalized(record.title)
                for name in ["speaker", "venue", "source"] {
                    if let value = record.metadata(name) { fields[name]![global] = normalized(value) }
                }
                fields["path"]![global] = normalized(record.metadata("path") ?? record.id)
                if let date = record.metadata("date") { dates[global] = DateRange.span(of: date) }
            }
        }
        var rank = [Int32](repeating: -1, count: slots)
        for (r, global) in (0..<slots).filter({ live[$0] }).sorted(by: { ids[$0] < ids[$1] }).enumerated() { rank[global] = Int32(r) }
        self.ids = ids
        self.shownTitles = shownTitles
        self.metadata = metadata
        self.idRank = rank
        self.live = live
        self.lengths = lengths
        self.masks = masks
        hasMasks = masks.contains { $0 != nil }
        maskFilter = BoilerplateMasks.Filter(masks)
        self.titles = titles
        titleSignatures = titles.map(UnitSearch.signature)
        self.fields = fields
        self.dates = dates
        let count = live.filter { $0 }.count
        averageLength = count == 0 ? 1 : max(1, lengths.reduce(0, +) / Double(count))
    }
}
