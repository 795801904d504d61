/// Cross-strait variants: where Taiwan and the mainland write one word with different characters
/// (計畫/计划, 答覆/答复, 沈重/沉重), which the per-code-point table cannot equate because the
/// choice depends on the word. OpenCC's word-aware conversion supplies them, on two sides:
///
/// - **Document side** (``alternates(of:)``): the document's own conversion to Simplified
///   (`t2s` and `tw2s`), normalized; wherever it differs from the per-code-point normalized text,
///   the converted character is an *alternate* at the same position. The indexer stores them, so
///   `计划` finds Taiwan's `計畫` (whose per-character form is `计画`) in context only.
/// - **Query side** (``queryForms(_:vocabulary:)``): the query's conversions to the other
///   standards (`t2s`, `tw2s`, `s2tw`, `s2hk`; with `vocabulary`, also `s2twp` and `tw2sp`), so
///   `計畫` typed in Taiwan finds mainland `计划`.
///
/// Only runs of Han characters holding a *trigger* (a character some conversion entry maps to a
/// character of a different normalized form) are converted, so most text costs one table lookup
/// per character. Not thread-safe (it owns OpenCC converters): one per ``Analyzer``.
public final class Variants {
    /// A character of the document's converted text that differs from the normalized text at
    /// `position` (a UTF-16 offset into ``Analysis/normalized``).
    public struct Alternate: Sendable, Equatable {
        public var position: Int32
        public var character: UInt32
        public init(position: Int32, character: UInt32) {
            self.position = position
            self.character = character
        }
    }

    /// Configurations converting documents (to Simplified, word-aware).
    public static let documentConfigs = ["t2s", "tw2s"]
    /// Configurations converting queries to the other standards.
    public static let queryConfigs = ["t2s", "tw2s", "s2tw", "s2hk"]
    /// Added for the opt-in vocabulary mapping (網路/网络, 軟體/软件): also maps words ordinary prose keeps.
    public static let vocabularyConfigs = ["s2twp", "tw2sp"]

    public let dictionaries: VariantDictionaries
    private let table: NormalizationTable
    private let triggers: Triggers
    private var converters: [String: OpenCCConverter] = [:]
    private var queryTriggers: QueryTriggers?
    /// Han characters scanned, and those given to OpenCC (for the bench).
    public private(set) var scannedCharacters = 0
    public private(set) var convertedCharacters = 0

    public init(dictionaries: VariantDictionaries, table: NormalizationTable) throws(AnalysisError) {
        self.dictionaries = dictionaries
        self.table = table
        self.triggers = try Triggers.shared(dictionaries, table)
        for config in Self.documentConfigs { _ = try converter(config) }
    }

    private func converter(_ config: String) throws(AnalysisError) -> OpenCCConverter {
        if let c = converters[config] { return c }
        let c = try OpenCCConverter(dictionaries, config: config)
        converters[config] = c
        return c
    }

    /// Opens what query conversions need (their converters and trigger table) now rather than
    /// at the first query that needs them: a server or a batch does it before answering.
    public func prepareQueryForms(vocabulary: Bool = false) throws(AnalysisError) {
        _ = try triggersForQueries()
        for config in Self.queryConfigs + (vocabulary ? Self.vocabularyConfigs : []) { _ = try converter(config) }
    }

    /// The raw OpenCC conversion of `text` by configuration `config` (for tests and `analyze`).
    public func convert(_ text: String, config: String) throws(AnalysisError) -> String {
        try converter(config).convert(text)
    }

    private func triggersForQueries() throws(AnalysisError) -> QueryTriggers {
        if let queryTriggers { return queryTriggers }
        let loaded = try QueryTriggers.shared(dictionaries, table)
        queryTriggers = loaded
        return loaded
    }

    /// The query's conversions by ``queryConfigs`` (and ``vocabularyConfigs``), in that order,
    /// without duplicates and without `text` itself. Not normalized. A configuration whose
    /// conversion cannot normalize differently from the text's, or from another configuration's
    /// (``QueryTriggers/configs(for:)``), is not called: each OpenCC call costs microseconds.
    public func queryForms(_ text: String, vocabulary: Bool = false) throws(AnalysisError) -> [String] {
        let configs = vocabulary ? Self.queryConfigs + Self.vocabularyConfigs
            : try triggersForQueries().configs(for: text)
        var forms: [String] = []
        for config in configs {
            let form = try converter(config).convert(text)
            if form != text && !forms.contains(form) { forms.append(form) }
        }
        return forms
    }

    /// How documents may write `text` so that their conversion holds it: `text`'s normalized form
    /// with each Traditional → Simplified phrase whose value it contains put back as its key
    /// (计划 → 計畫, 资金链 → 資金鍊). For showing users which forms a query reaches; matching uses
    /// the indexed alternates, which also cover forms no whole phrase of the query names.
    public func documentForms(_ text: String) -> [String] {
        documentForms(normalized: table.normalize(text).unicodeScalars.map(\.value))
    }

    /// ``documentForms(_:)`` of a text already normalized (its code points).
    public func documentForms(normalized: [UInt32]) -> [String] {
        var forms: [String] = []
        for i in normalized.indices where triggers.mayStartReverse(normalized[i]) {
            for entry in triggers.reverse[normalized[i]] ?? [] where i + entry.value.count <= normalized.count {
                guard normalized[i..<(i + entry.value.count)].elementsEqual(entry.value) else { continue }
                var scalars = String.UnicodeScalarView()
                for c in normalized[..<i] { scalars.append(Unicode.Scalar(c)!) }
                scalars.append(contentsOf: entry.key.unicodeScalars)
                for c in normalized[(i + entry.value.count)...] { scalars.append(Unicode.Scalar(c)!) }
                let form = String(scalars)
                if !forms.contains(form) { forms.append(form) }
            }
        }
        return forms
    }

    /// The alternates of an analyzed document, by position (at most one per position and config;
    /// two configs may give two different characters at one position). Characters whose
    /// conversion never depends on context take theirs from a table; only runs of Han characters
    /// holding a character that some phrase entry converts are given to OpenCC.
    public func alternates(of analysis: Analysis) -> [Alternate] {
        var found: [Alternate] = []
        let runs = scan(analysis, direct: &found)
        if !runs.isEmpty {
            convertedCharacters += runs.reduce(0) { $0 + $1.original.count }
            for config in Self.documentConfigs { convert(runs, config: config, into: &found) }
        }
        guard !found.isEmpty else { return [] }
        found.sort { ($0.position, $0.character) < ($1.position, $1.character) }
        var unique: [Alternate] = []
        for a in found where unique.last != a { unique.append(a) }
        return unique
    }

    /// The normalized text with every position's first alternate put in: the document's
    /// converted text, position for position (for highlighting). An alternate of another UTF-16
    /// width than the character it stands for is left out, so offsets stay the same.
    public static func applying(_ alternates: [Alternate], to normalized: [UInt16]) -> [UInt16] {
        guard !alternates.isEmpty else { return normalized }
        var out: [UInt16] = []
        out.reserveCapacity(normalized.count)
        var next = 0
        var i = 0
        while i < normalized.count {
            let width = normalized[i] & 0xFC00 == 0xD800 && i + 1 < normalized.count ? 2 : 1
            while next < alternates.count && alternates[next].position < i { next += 1 }
            if next < alternates.count && alternates[next].position == i && (alternates[next].character > 0xFFFF ? 2 : 1) == width {
                UTF16Scalar.append(alternates[next].character, to: &out)
            } else {
                out.append(contentsOf: normalized[i..<(i + width)])
            }
            i += width
        }
        return out
    }

    /// Converts `runs` in one OpenCC call (one line each) and collects their alternates.
    private func convert(_ runs: [Run], config: String, into found: inout [Alternate]) {
        guard !runs.isEmpty, let converter = converters[config] else { return }
        var batch: [UInt8] = []
        for run in runs {
            if !batch.isEmpty { batch.append(0x0A) }
            for c in run.original { appendUTF8(c, to: &batch) }
        }
        let lines = split(converter.convert(batch))
        guard lines.count == runs.count else { return }  // OpenCC keeps line breaks; never seen otherwise
        for (run, converted) in zip(runs, lines) { collect(run, converted, into: &found) }
    }

    // MARK: Runs

    /// A run of Han characters of the normalized text, each from its own original code point.
    struct Run {
        var positions: [Int32] = []
        var original: [UInt32] = []
        var normalized: [UInt32] = []
    }

    /// The runs that need OpenCC (they hold a phrase some conversion treats apart); in every
    /// other run each character takes its alternates from the table, into `direct`. One pass over
    /// the normalized text that only tests bits; a run is gathered only when it is interesting.
    private func scan(_ analysis: Analysis, direct: inout [Alternate]) -> [Run] {
        var runs: [Run] = []
        var original = analysis.original
        original.withUTF8 { bytes in
            analysis.normalized.withUnsafeBufferPointer { normalized in
                analysis.sourceByte.withUnsafeBufferPointer { sourceByte in
                    let text = Text(normalized: normalized, sourceByte: sourceByte, original: bytes)
                    var scratch: [UInt32] = []
                    var start = 0, end = -1
                    var lastSource: Int32 = -1
                    var interesting = false
                    var scanned = 0
                    var i = 0
                    while i < normalized.count {
                        let (c, width) = text.scalar(at: i)
                        if table.isHan(c) {
                            let source = sourceByte[i]
                            // A run breaks at anything not Han, and where one original character
                            // became several normalized ones (㍿ → 株式会社): those have no
                            // one-to-one original.
                            if i != end || source == lastSource {
                                if interesting { finish(text, start..<end, &scratch, into: &runs, direct: &direct) }
                                start = i
                                interesting = false
                            }
                            scanned += 1
                            if !interesting && triggers.isInteresting(decodeScalar(bytes, Int(source))) { interesting = true }
                            end = i + width
                            lastSource = source
                        }
                        i += width
                    }
                    if interesting { finish(text, start..<end, &scratch, into: &runs, direct: &direct) }
                    scannedCharacters += scanned
                }
            }
        }
        return runs
    }

    /// The three texts a scan reads, as buffers.
    private struct Text {
        let normalized: UnsafeBufferPointer<UInt16>
        let sourceByte: UnsafeBufferPointer<Int32>
        let original: UnsafeBufferPointer<UInt8>

        @inline(__always)
        func scalar(at i: Int) -> (UInt32, Int) { UTF16Scalar.scalar(at: i, in: normalized) }
    }

    /// An interesting run: to OpenCC if it holds a relevant phrase, else its table alternates.
    /// `scratch` is reused for the run's original characters.
    private func finish(_ text: Text, _ range: Range<Int>, _ scratch: inout [UInt32], into runs: inout [Run], direct: inout [Alternate]) {
        scratch.removeAll(keepingCapacity: true)
        var i = range.lowerBound
        while i < range.upperBound {
            scratch.append(decodeScalar(text.original, Int(text.sourceByte[i])))
            i += text.scalar(at: i).1
        }
        let convert = triggers.needsConversion(scratch)
        var run = Run()
        i = range.lowerBound
        for o in scratch {
            let (c, width) = text.scalar(at: i)
            if convert {
                run.positions.append(Int32(i))
                run.normalized.append(c)
            } else if let alternates = triggers.direct(o) {
                for a in alternates where a != c { direct.append(Alternate(position: Int32(i), character: a)) }
            }
            i += width
        }
        if convert {
            run.original = scratch
            runs.append(run)
        }
    }

    /// Alternates of one run from its conversion: positions aligned one to one where the lengths
    /// agree; where OpenCC changed the length, only the common head and tail are aligned.
    private func collect(_ run: Run, _ converted: [UInt32], into found: inout [Alternate]) {
        let n = run.original.count
        var aligned: [(Int, UInt32)] = []
        if converted.count == n {
            for i in 0..<n { aligned.append((i, converted[i])) }
        } else {
            var head = 0
            while head < min(n, converted.count) && converted[head] == run.original[head] { head += 1 }
            var tail = 0
            while tail < min(n, converted.count) - head && converted[converted.count - 1 - tail] == run.original[n - 1 - tail] { tail += 1 }
            for i in 0..<head { aligned.append((i, converted[i])) }
            for k in 0..<tail { aligned.append((n - 1 - k, converted[converted.count - 1 - k])) }
        }
        for (i, c) in aligned where c != run.original[i] {
            guard let normalized = single(c), normalized != run.normalized[i] else { continue }
            found.append(Alternate(position: run.positions[i], character: normalized))
        }
    }

    private func single(_ c: UInt32) -> UInt32? {
        guard let n = table.single(c), table.isHan(n) else { return nil }
        return n
    }

    private func split(_ bytes: [UInt8]) -> [[UInt32]] {
        var lines: [[UInt32]] = [[]]
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            if scalar.value == 0x0A { lines.append([]) } else { lines[lines.count - 1].append(scalar.value) }
        }
        return lines
    }
}
