import TongwenIndex

/// The binary form of a ``DupesReport`` that ``DupesCache`` keeps beside the index (side file
/// `dupes-report`, documented in OnDiskFormat.md, "Side files"). Short strings that repeat
/// (document ids, kinds, scripts, rule names, template zones) are numbers into one table; texts are
/// inline. On the scale corpus it is 64 MB against the JSON's 165 MB, and reads back in 0.5 s against 4.5 s.
///
/// ```
/// Version(u32) Generation(u64)
/// StringCount(vint) string × StringCount                  the table; S below is a vint into it
/// PassageCount(vint) Passage × PassageCount
///   Passage: Id(vint) Text(string) NormLength(vint) Documents(vint) Occurrences(vint) Kind(S)
///            MemberCount(vint) (Doc(S) Start End StartByte EndByte (vint) Script(S)) × MemberCount
/// StockCount(vint) (Text(string) NormLength(vint) Documents(vint)) × StockCount
/// NearCount(vint) (A(S) B(S) Jaccard(f64) Containment(f64)) × NearCount
/// ClusterCount(vint) (Size(vint) Doc(S) × Size) × ClusterCount
/// DocumentCount(vint) Document × DocumentCount
///   Document: Doc(S) Characters(vint) BoilerplateRatio(f64) RepeatRatio(f64) ChromeRatio(f64)
///             Chrome(Spans) Markup(Spans)
///   Spans: Count(vint) (Start End StartByte EndByte (vint) Rule(S) Text(string)) × Count
/// TemplateCount(vint) (Kind(S) Zone(S) Text(string) Documents(vint)) × TemplateCount
/// ```
enum DupesReportCoding {
    static let version: UInt32 = 1

    /// `report` of commit `generation`, encoded.
    static func encode(_ report: DupesReport, generation: UInt64) -> [UInt8] {
        var body = Writer()
        body.passages(report.passages)
        body.w.vint(report.stockPhrases.count)
        for s in report.stockPhrases {
            body.w.string(s.text)
            body.w.vint(s.normLength)
            body.w.vint(s.documents)
        }
        body.w.vint(report.nearDuplicates.count)
        for p in report.nearDuplicates {
            body.string(p.a)
            body.string(p.b)
            body.w.f64(p.jaccard)
            body.w.f64(p.containment)
        }
        body.w.vint(report.nearDuplicateClusters.count)
        for cluster in report.nearDuplicateClusters {
            body.w.vint(cluster.count)
            for id in cluster { body.string(id) }
        }
        body.documents(report.documents)
        body.w.vint(report.chromeTemplates.count)
        for t in report.chromeTemplates {
            body.string(t.kind)
            body.string(t.zone)
            body.w.string(t.text)
            body.w.vint(t.documents)
        }
        var out = ByteWriter(capacity: body.w.count + body.table.count * 16 + 32)
        out.u32(version)
        out.u64(generation)
        out.vint(body.table.count)
        for s in body.table { out.string(s) }
        out.append(body.w.bytes)
        return out.bytes
    }

    /// The report in `raw` with its generation; nil for another version.
    static func decode(_ raw: UnsafeRawBufferPointer, file: String) throws(IndexError) -> (generation: UInt64, report: DupesReport)? {
        var r = Reader(r: ByteReader(raw, file: file))
        guard try r.r.u32() == version else { return nil }
        let generation = try r.r.u64()
        for _ in 0..<(try r.r.count(max: r.r.remaining, "string count")) { r.table.append(try r.r.string()) }
        let passages = try r.passages()
        var stock: [DupesReport.StockPhrase] = []
        for _ in 0..<(try r.r.count(max: r.r.remaining, "stock phrase count")) {
            stock.append(.init(text: try r.r.string(), normLength: try r.int(), documents: try r.int()))
        }
        var near: [DupesReport.NearDuplicate] = []
        for _ in 0..<(try r.r.count(max: r.r.remaining / 18, "near-duplicate count")) {
            near.append(.init(a: try r.string(), b: try r.string(), jaccard: try r.r.f64(), containment: try r.r.f64()))
        }
        var clusters: [[String]] = []
        for _ in 0..<(try r.r.count(max: r.r.remaining, "cluster count")) {
            var cluster: [String] = []
            for _ in 0..<(try r.r.count(max: r.r.remaining, "cluster size")) { cluster.append(try r.string()) }
            clusters.append(cluster)
        }
        let documents = try r.documents()
        var templates: [DupesReport.ChromeTemplate] = []
        for _ in 0..<(try r.r.count(max: r.r.remaining / 4, "template count")) {
            templates.append(.init(kind: try r.string(), zone: try r.string(), text: try r.r.string(), documents: try r.int()))
        }
        guard r.r.isAtEnd else { throw r.r.corrupt("bytes after the report") }
        let report = DupesReport(passages: passages, stockPhrases: stock, nearDuplicates: near, nearDuplicateClusters: clusters,
                                 documents: documents, chromeTemplates: templates)
        return (generation, report)
    }

    /// The body's writer with its string table.
    private struct Writer {
        var w = ByteWriter()
        var table: [String] = []
        var numbers: [String: Int] = [:]

        mutating func string(_ s: String) {
            if let n = numbers[s] { return w.vint(n) }
            numbers[s] = table.count
            w.vint(table.count)
            table.append(s)
        }

        mutating func passages(_ passages: [DupesReport.Passage]) {
            w.vint(passages.count)
            for p in passages {
                w.vint(p.id)
                w.string(p.text)
                for v in [p.normLength, p.documents, p.occurrences] { w.vint(v) }
                string(p.kind)
                w.vint(p.members.count)
                for m in p.members {
                    string(m.doc)
                    for v in [m.start, m.end, m.startByte, m.endByte] { w.vint(v) }
                    string(m.script)
                }
            }
        }

        mutating func documents(_ documents: [DupesReport.Document]) {
            w.vint(documents.count)
            for d in documents {
                string(d.doc)
                w.vint(d.characters)
                for v in [d.boilerplateRatio, d.repeatRatio, d.chromeRatio] { w.f64(v) }
                for spans in [d.chrome, d.markup] {
                    w.vint(spans.count)
                    for s in spans {
                        for v in [s.start, s.end, s.startByte, s.endByte] { w.vint(v) }
                        string(s.rule)
                        w.string(s.text)
                    }
                }
            }
        }
    }

    /// The body's reader with the string table read before it.
    private struct Reader {
        var r: ByteReader
        var table: [String] = []

        mutating func int() throws(IndexError) -> Int { try r.count(max: Int(UInt32.max), "number") }

        mutating func string() throws(IndexError) -> String { table[try r.count(max: table.count - 1, "string number")] }

        mutating func passages() throws(IndexError) -> [DupesReport.Passage] {
            let count = try r.count(max: r.remaining / 6, "passage count")
            var passages: [DupesReport.Passage] = []
            passages.reserveCapacity(count)
            for _ in 0..<count {
                let id = try int(), text = try r.string()
                let (normLength, documents, occurrences) = (try int(), try int(), try int())
                let kind = try string()
                let memberCount = try r.count(max: r.remaining / 6, "member count")
                var members: [DupesReport.Member] = []
                members.reserveCapacity(memberCount)
                for _ in 0..<memberCount {
                    members.append(.init(doc: try string(), start: try int(), end: try int(), startByte: try int(), endByte: try int(), script: try string()))
                }
                passages.append(.init(id: id, text: text, normLength: normLength, documents: documents, occurrences: occurrences, kind: kind, members: members))
            }
            return passages
        }

        mutating func documents() throws(IndexError) -> [DupesReport.Document] {
            var documents: [DupesReport.Document] = []
            for _ in 0..<(try r.count(max: r.remaining / 27, "document count")) {
                let doc = try string(), characters = try int()
                let ratios = (try r.f64(), try r.f64(), try r.f64())
                let chrome = try spans(), markup = try spans()
                documents.append(.init(doc: doc, characters: characters, boilerplateRatio: ratios.0, repeatRatio: ratios.1, chromeRatio: ratios.2,
                                       chrome: chrome, markup: markup))
            }
            return documents
        }

        mutating func spans() throws(IndexError) -> [DupesReport.Span] {
            var spans: [DupesReport.Span] = []
            for _ in 0..<(try r.count(max: r.remaining / 6, "span count")) {
                spans.append(.init(start: try int(), end: try int(), startByte: try int(), endByte: try int(), rule: try string(), text: try r.string()))
            }
            return spans
        }
    }
}
