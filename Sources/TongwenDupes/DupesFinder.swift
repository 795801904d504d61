import TongwenAnalysis
import TongwenIndex

/// Finds duplicate boilerplate: repeated passages, near-duplicate documents and page chrome. A run
/// is nine stages over a ``DupesCorpus``: (1) comparison texts and fingerprints, (2) seeds,
/// (3) pairwise alignment and near-duplicate pairs, (4) clusters (``PassageFinder``), (5) passages
/// (``PassageReport``), (6) stock phrases, (7) near-duplicate clusters, (8) chrome templates
/// learned from every page (``ChromeTemplates``), (9) per-document chrome, ratios and masks
/// (``DocumentReport``).
public enum DupesFinder {
    /// A document to compare: its identity, original text and (when an index stored them) fingerprints.
    struct Input {
        var id: String
        var contentHash: UInt64
        var text: String
        var fingerprints: [Winnowing.Fingerprint]?
    }

    /// Runs over every live document of an index snapshot, with the fingerprints the index stores.
    /// With default options and `incremental`, it reuses the state the previous run saved beside
    /// the index (``DupesState``): only document pairs with a new or changed document are compared,
    /// then everything is clustered again. With `save` (and default options) it then saves the new
    /// state and the ranking masks (``BoilerplateMasks``) beside the index; without, it writes
    /// nothing: read paths (search, the server, a report) never change the index folder.
    /// `progress` is told each stage's name as it starts (for a display on a terminal).
    public static func run(_ snapshot: IndexSnapshot, options: DupesOptions = DupesOptions(), incremental: Bool = true, save: Bool = false,
                           progress: (String) -> Void = { _ in }) throws(DupesError) -> DupesReport {
        progress("reading the documents and their fingerprints")
        let live = snapshot.liveDocuments
        let loaded = parallelMap(live.count) { i, _ in
            Result { () throws(IndexError) in
                let record = try snapshot.document(live[i])
                return Input(id: record.id, contentHash: record.contentHash, text: try snapshot.text(live[i]),
                             fingerprints: try snapshot.fingerprints(live[i]))
            }
        }
        var inputs: [Input] = []
        for result in loaded {
            do { inputs.append(try result.get()) } catch { throw .index(error) }
        }
        let previous = incremental && options.isDefault ? DupesState.load(snapshot.directory) : nil
        let (report, state, masks) = try run(inputs, options: options, previous: previous, progress: progress)
        if save && options.isDefault {
            // Caches: failing to write them costs only time (state) or ranking quality (masks) later.
            try? state.save(snapshot.directory)
            try? masks.save(snapshot.directory)
        }
        return report
    }

    /// Runs over documents given as (id, original text), fingerprinting them here.
    public static func run(_ documents: [(id: String, text: String)], options: DupesOptions = DupesOptions()) throws(DupesError) -> DupesReport {
        let inputs = documents.map { Input(id: $0.id, contentHash: contentHash(Array($0.text.utf8)), text: $0.text, fingerprints: nil) }
        return try run(inputs, options: options, previous: nil).report
    }

    /// Stage 8: every page's zones, and the templates learned from them all.
    static func learnTemplates(_ utf8: [[UInt8]]) -> (pages: [ChromePage], templates: ChromeTemplates) {
        let pages = parallelMap(utf8.count) { doc, _ in ChromePage(utf8[doc]) }
        return (pages, ChromeTemplates(learning: pages))
    }

    /// Only the chrome stages over `texts` (original texts of one archive), as a full run does
    /// them: each text's chrome spans, and the learned templates.
    public static func chrome(_ texts: [String]) throws(DupesError) -> (chrome: [[ChromeRules.Segment]], templates: [DupesReport.ChromeTemplate]) {
        let analyzers = try DupesCorpus.analyzerPair()
        let utf8 = texts.map { Array($0.utf8) }
        let (pages, templates) = learnTemplates(utf8)
        let found = parallelMap(texts.count) { doc, worker in
            ChromeFinder.find(utf8[doc], page: pages[doc], templates: templates, analyzer: analyzers[worker]).chrome
        }
        return (found, templates.list)
    }

    /// The stages in order; also the state for the next incremental run, and the ranking masks.
    static func run(_ documents: [Input], options: DupesOptions, previous: DupesState?,
                    progress: (String) -> Void = { _ in }) throws(DupesError) -> (report: DupesReport, state: DupesState, masks: BoilerplateMasks) {
        progress("1/9 comparison texts of \(documents.count) documents")
        let corpus = try DupesCorpus(documents, options: options, previous: previous)
        progress("2–3/9 shared fingerprints and alignments" + (corpus.incremental ? " (pairs with a new document)" : ""))
        let (pairs, near) = corpus.pairs(corpus.seeds())
        progress("4/9 clustering \(pairs.alignments.count) alignments")
        let found = corpus.finder.cluster(pairs)
        progress("5–7/9 passages, stock phrases, near-duplicates")
        let passages = PassageReport(found, near: near, corpus)
        let stockPhrases = corpus.stockPhrases(found)
        progress("8/9 page templates")
        let (pages, templates) = learnTemplates(corpus.utf8)
        progress("9/9 chrome, ratios and masks per document")
        let perDocument = DocumentReport.all(corpus, passages, pages: pages, templates: templates)

        var masks = BoilerplateMasks()
        for (doc, entry) in perDocument.enumerated() { if let mask = entry.mask { masks.documents[documents[doc].id] = mask } }
        let report = DupesReport(
            passages: passages.passages, stockPhrases: Array(stockPhrases.prefix(500)),
            nearDuplicates: near.map { DupesReport.NearDuplicate(a: documents[$0.a].id, b: documents[$0.b].id, jaccard: $0.jaccard, containment: $0.containment) },
            nearDuplicateClusters: corpus.nearDuplicateClusters(near), documents: perDocument.map(\.report),
            chromeTemplates: Array(templates.list.prefix(200)))
        let state = DupesState(
            documents: documents.map { DupesState.Key(id: $0.id, contentHash: $0.contentHash) },
            pairs: pairs, nearPairs: near)
        return (report, state, masks)
    }
}
