import TongwenAnalysis

/// The last stage reads every document again, one per worker at a time, so a run holds no
/// original text and no full comparison text for the whole archive: it locates the passages'
/// members and the stock phrases' occurrences (stages 5 and 6) and makes the per-document report
/// (stage 9). (What stages 6 and 8 learn of every page, stage 1 took as it read it: ``DupesCorpus/Late``.)
extension DupesCorpus {
    /// What the last stage finds in one document.
    struct Located {
        var document: DocumentReport
        /// The members it holds, in the order of ``PassageReport/locations``.
        var members: [PassageReport.Copy]
        /// The texts of the unit ranges asked for, in order.
        var texts: [String]
    }

    /// Per document, the members `passages` has there, the texts of `requests` (unit
    /// ranges per document), and its report with chrome by `templates` (and its ranking mask
    /// with `masks`).
    func located(_ passages: PassageReport, requests: [[Range<Int>]], pages: [ChromePage], templates: ChromeTemplates,
                 masks: Bool) throws(DupesError) -> [Located] {
        let wanted = passages.locations
        return try parallelMap(source.count) { (doc, worker) throws(DupesError) in
            let document = try read(doc, worker: worker)
            let index = CharacterIndex(utf8: document.utf8)
            let members = wanted[doc].map {
                PassageReport.copy($0.units, withText: $0.text, document, index, table)
            }
            let texts = requests[doc].map { String(decoding: document.utf8[document.text.byteRange($0)], as: UTF8.self) }
            let chrome = ChromeFinder.find(document.utf8, page: pages[doc], templates: templates, analyzer: analyzers[worker])
            return Located(document: DocumentReport(doc, self, document, index: index, passages, chrome: chrome, mask: masks), members: members, texts: texts)
        }
    }
}
