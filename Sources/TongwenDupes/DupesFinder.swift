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
        progress("reading the documents' ids")
        let source = try DupesSource(snapshot)
        let previous = incremental && options.isDefault ? DupesState.load(snapshot.directory) : nil
        let keep = save && options.isDefault
        let (report, state, masks) = try run(source, options: options, previous: previous, saving: keep, progress: progress)
        if keep {
            progress("saving the pairs and the ranking masks beside the index")
            // Caches: failing to write them costs only time (state) or ranking quality (masks) later.
            try? state?.save(snapshot.directory)
            try? masks.save(snapshot.directory)
        }
        return report
    }

    /// Runs over documents given as (id, original text), fingerprinting them here.
    public static func run(_ documents: [(id: String, text: String)], options: DupesOptions = DupesOptions()) throws(DupesError) -> DupesReport {
        let inputs = documents.map { Input(id: $0.id, contentHash: contentHash(Array($0.text.utf8)), text: $0.text, fingerprints: nil) }
        return try run(DupesSource(inputs), options: options, previous: nil).report
    }

    /// Only the chrome stages over `texts` (original texts of one archive), as a full run does
    /// them: each text's chrome spans, and the learned templates.
    public static func chrome(_ texts: [String]) throws(DupesError) -> (chrome: [[ChromeRules.Segment]], templates: [DupesReport.ChromeTemplate]) {
        let analyzers = try DupesCorpus.analyzerPair()
        let utf8 = texts.map { Array($0.utf8) }
        let pages = parallelMap(utf8.count) { doc, _ in ChromePage(utf8[doc]) }
        let templates = ChromeTemplates(learning: pages)
        let found = parallelMap(texts.count) { doc, worker in
            ChromeFinder.find(utf8[doc], page: pages[doc], templates: templates, analyzer: analyzers[worker]).chrome
        }
        return (found, templates.list)
    }

    /// The stages in order; with `saving`, also the state for the next incremental run and the
    /// ranking masks (a run that saves neither releases every alignment after clustering and
    /// makes no mask: on a corpus that is mostly boilerplate the masks' bigram sets are large).
    static func run(_ source: DupesSource, options: DupesOptions, previous: DupesState?, saving: Bool = true,
                    progress: (String) -> Void = { _ in }) throws(DupesError) -> (report: DupesReport, state: DupesState?, masks: BoilerplateMasks) {
        progress("1/9 comparison texts of \(source.count) documents")
        var (corpus, seeds, late) = try DupesCorpus.make(source, options: options, previous: previous)
        returnFreedMemory()
        progress("2–3/9 shared fingerprints and alignments" + (corpus.incremental ? " (pairs with a new document)" : ""))
        var (pairs, near) = try corpus.pairs(&seeds)
        progress("4/9 clustering \(pairs.alignments.count) alignments")
        var found = corpus.finder.cluster(pairs)
        let state = saving ? DupesState(documents: source.keys, pairs: pairs, nearPairs: near) : nil
        pairs = PassageFinder.PairResults()
        progress("5–8/9 passages, near-duplicates, page templates and stock phrases")
        let passages = PassageReport(found, near: near, documentCount: source.count, minDocuments: options.minDocuments)
        var (pages, clauses) = (late.pages, late.clauses.readAll())
        late.pages = []
        let templates = ChromeTemplates(learning: pages)
        let stock = corpus.stockPhrases(found, clauses: clauses)
        // What each stage no longer needs is released before the next one.
        (found, clauses) = (PassageFinder.Result(clusters: [], regions: [], shortMatches: []), [])
        progress("9/9 members, chrome, ratios and masks per document")
        var requests = [[Range<Int>]](repeating: [], count: source.count)
        for c in stock { requests[c.doc].append(c.units) }
        var located = try corpus.located(passages, requests: requests, pages: pages, templates: templates, masks: saving)
        pages = []
        var next = [Int](repeating: 0, count: source.count)
        let stockTexts = stock.map { c -> String in
            defer { next[c.doc] += 1 }
            return located[c.doc].texts[next[c.doc]]
        }
        var masks = BoilerplateMasks()
        for (doc, entry) in located.enumerated() { if let mask = entry.document.mask { masks.documents[source.ids[doc]] = mask } }
        let documents = located.map(\.document.report)
        var members = located.map(\.members)
        located = []
        let report = DupesReport(
            passages: passages.passages(&members, ids: source.ids),
            stockPhrases: Array(StockPhrases.report(stock, texts: stockTexts).prefix(500)),
            nearDuplicates: near.map { DupesReport.NearDuplicate(a: source.ids[$0.a], b: source.ids[$0.b], jaccard: $0.jaccard, containment: $0.containment) },
            nearDuplicateClusters: corpus.nearDuplicateClusters(near), documents: documents,
            chromeTemplates: Array(templates.list.prefix(200)))
        return (report, state, masks)
    }
}
