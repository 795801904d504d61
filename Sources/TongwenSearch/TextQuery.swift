import TongwenAnalysis
import TongwenIndex

/// How a term or phrase treats cross-strait variants.
public enum VariantMode: Sendable, Equatable {
    /// Its OpenCC conversions to the other standards, and documents' indexed alternates (the default).
    case standard
    /// The plain per-character meaning only (`=计划`, or `variants: false` for a whole query).
    case exact
    /// As standard, plus OpenCC's vocabulary mapping (`~网络` also finds 網路).
    case vocabulary
}

/// A term or phrase with the forms it matches: its own normalized text, the normalized text of
/// each of its OpenCC conversions that normalizes differently, and, unless exact, the documents'
/// alternates (``Variants/alternates(of:)``) in place of any of its Han characters.
struct TextQuery: Sendable {
    /// The text as the query gave it.
    var typed: String
    /// The text as typed, normalized: what `--no-variants` matches.
    var main: Pattern
    /// Conversions with another normalized text (計畫 → 计划).
    var forms: [Pattern]
    /// Match documents' alternates too (`V`, `C` and `R` terms: ``Pattern/matchingAlternates(in:)``).
    var useAlternates: Bool
    /// The forms shown to users: conversions and how documents may write the text (计划 → 計畫).
    var shown: [String]

    /// The ICU words BM25 scores, each with the words standing for it in the other forms
    /// (forms with as many words), so a variant's word counts as the word.
    var wordGroups: [[[UInt8]]]

    /// Every pattern that is tried, the typed one first.
    var patterns: [Pattern] { [main] + forms }

    init(_ text: String, mode: VariantMode, analyzer: Analyzer, make: (String) throws(SearchError) -> Pattern) throws(SearchError) {
        typed = text
        main = try make(text)
        forms = []
        shown = []
        wordGroups = main.words.map { [$0] }
        useAlternates = mode != .exact
        guard mode != .exact else { return }
        let variants: Variants
        do { variants = try analyzer.variants() } catch { throw .query(QueryError("\(error)", column: 1)) }
        let converted: [String]
        do { converted = try variants.queryForms(text, vocabulary: mode == .vocabulary) } catch {
            throw .query(QueryError("\(error)", column: 1))
        }
        let plain = converted.isEmpty ? "" : analyzer.table.normalize(text)
        for form in converted where analyzer.table.normalize(form) != plain {
            let pattern = try make(form)
            guard pattern.normalized != main.normalized else { continue }
            if !forms.contains(where: { $0.normalized == pattern.normalized }) { forms.append(pattern) }
            if !shown.contains(form) { shown.append(form) }
        }
        var wordForms = forms
        var normalized: [UInt32] = []
        main.normalized.withUnsafeBufferPointer { text in UTF16Scalar.forEach(in: text) { c, _, _ in normalized.append(c) } }
        for form in variants.documentForms(normalized: normalized) where !shown.contains(form) && form != text {
            shown.append(form)
            if let pattern = try? make(form) { wordForms.append(pattern) }
        }
        for form in wordForms where form.words.count == main.words.count {
            for (i, word) in form.words.enumerated() where !wordGroups[i].contains(word) { wordGroups[i].append(word) }
        }
    }
}
