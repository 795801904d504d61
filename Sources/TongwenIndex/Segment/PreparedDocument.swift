import CCompressionShim
import TongwenAnalysis

/// A document made ready for ``SegmentBuilder`` on an analysis thread, so that the builder's own
/// thread only renumbers terms and appends postings: its (term, position) occurrences under that
/// thread's term ids, the terms new to that thread, its fingerprints and its compressed text.
struct PreparedDocument: Sendable {
    /// Terms as kinds and UTF-16 units (term `i`'s units end at `ends[i]`).
    struct NewTerms: Sendable {
        var kinds: [TermKind] = []
        var units: [UInt16] = []
        var ends: [Int32] = []

        var count: Int { kinds.count }

        /// `body` of term `i`'s kind and units.
        func withTerm<R>(_ i: Int, _ body: (TermKind, UnsafeBufferPointer<UInt16>) -> R) -> R {
            units.withUnsafeBufferPointer { all in
                body(kinds[i], UnsafeBufferPointer(rebasing: all[(i == 0 ? 0 : Int(ends[i - 1]))..<Int(ends[i])]))
            }
        }

        mutating func append(_ other: NewTerms) {
            let base = Int32(units.count)
            kinds += other.kinds
            units += other.units
            ends += other.ends.map { $0 + base }
        }
    }

    /// Its occurrences, under the preparing thread's term ids.
    let occurrences: Occurrences
    let newTerms: NewTerms
    let fingerprints: [Winnowing.Fingerprint]
    let wordCount: Int
    let compressedText: [UInt8]
    let textBytes: Int

    /// Prepares `document` with `threadTerms`, the term ids of the calling thread (it keeps every
    /// term it has seen, so each term is handed over once).
    init(_ document: IndexDocument, _ analysis: Analysis, alternates: [Variants.Alternate], fingerprints: [Winnowing.Fingerprint],
         analyzer: Analyzer, terms threadTerms: ThreadTerms) {
        let known = threadTerms.dictionary.count
        occurrences = threadTerms.occurrences(analysis, alternates, analyzer)
        var newTerms = NewTerms()
        threadTerms.dictionary.export(known..<threadTerms.dictionary.count, to: &newTerms)
        self.newTerms = newTerms
        self.fingerprints = fingerprints
        wordCount = analysis.segments.count
        let utf8 = Array(document.text.utf8)
        textBytes = utf8.count
        compressedText = Self.deflate(utf8)
    }

    /// `bytes` deflated (zlib, level 1).
    static func deflate(_ bytes: [UInt8]) -> [UInt8] {
        let bound = CCompressionShim_deflateBound(bytes.count)
        var out = [UInt8](repeating: 0, count: bound)
        let compressed = out.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { CCompressionShim_deflate($0.baseAddress, $0.count, out.baseAddress!, bound, 1) }
        }
        precondition(compressed >= 0, "deflate failed")
        out.removeLast(bound - Int(compressed))
        return out
    }
}

/// One thread's term ids, and the scratch space grouping occurrences needs (a class: it is
/// large, kept between batches, and used by one thread at a time, never copied).
final class ThreadTerms {
    private(set) var dictionary = TermDictionary()
    private var terms: [Int32] = [], positions: [Int32] = [], slots: [Int32] = []

    /// The id of term `units` of `kind`, made if new.
    func intern(_ kind: TermKind, _ units: UnsafeBufferPointer<UInt16>) -> Int32 { dictionary.intern(kind, units) }

    /// The occurrences of one document (``TermDictionary/collect(_:_:_:terms:positions:)``), grouped by term.
    func occurrences(_ analysis: Analysis, _ alternates: [Variants.Alternate], _ analyzer: Analyzer) -> Occurrences {
        dictionary.collect(analysis, alternates, analyzer, terms: &terms, positions: &positions)
        return Occurrences(terms: terms, positions: positions, kinds: dictionary.termKind, slots: &slots)
    }
}
