import CICUShim

/// Facts about the linked ICU library and helpers to turn its status codes into errors.
public enum ICU {
    /// The linked ICU version, e.g. `"72.1"`. Two versions may segment differently, so indexes
    /// record it.
    public static let version: String = {
        var buffer = [CChar](repeating: 0, count: 32)
        CICUShim_version(&buffer, 32)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// Throws ``AnalysisError/icu(call:code:name:)`` when `code` is an ICU failure.
    static func check(_ code: Int32, _ call: String) throws(AnalysisError) {
        if CICUShim_isFailure(code) != 0 {
            throw .icu(call: call, code: code, name: String(cString: CICUShim_errorName(code)))
        }
    }

    /// The code-point ranges of a UnicodeSet pattern such as `[:Han:]`.
    static func ranges(of pattern: String) throws(AnalysisError) -> [ClosedRange<UInt32>] {
        var err: Int32 = 0
        let count = CICUShim_unicodeSetRanges(pattern, nil, 0, &err)
        try check(err, "uset_openPattern(\(pattern))")
        var flat = [UInt32](repeating: 0, count: Int(count) * 2)
        _ = CICUShim_unicodeSetRanges(pattern, &flat, count, &err)
        try check(err, "uset_openPattern(\(pattern))")
        return stride(from: 0, to: flat.count, by: 2).map { flat[$0]...flat[$0 + 1] }
    }
}

/// ICU's dictionary word break iterator, reused across texts (opening one costs more than a
/// short document's segmentation). Not thread-safe: one per thread.
public final class WordBreaker {
    private let handle: OpaquePointer
    private var ends = [Int32](repeating: 0, count: 256)
    private var statuses = [Int32](repeating: 0, count: 256)

    /// Opens a word break iterator for `locale` (default `zh`).
    public init(locale: String = "zh") throws(AnalysisError) {
        var err: Int32 = 0
        let handle = CICUShim_wordBreakerOpen(locale, &err)
        try ICU.check(err, "ubrk_open")
        guard let handle else { throw .icu(call: "ubrk_open", code: err, name: "NULL iterator") }
        self.handle = handle
    }

    deinit { CICUShim_wordBreakerClose(handle) }

    /// Calls `body(start, end, status)` for every segment of `text` (UTF-16), in order.
    /// `status` is ICU's rule status: 0 none (spaces, punctuation), 100 number, 200 letter,
    /// 300 kana, 400 ideographic.
    @inline(__always)
    public func segments(
        _ text: UnsafeBufferPointer<UInt16>, _ body: (Int32, Int32, Int32) -> Void
    ) throws(AnalysisError) {
        var err: Int32 = 0
        CICUShim_wordBreakerSetText(handle, text.baseAddress, Int32(text.count), &err)
        try ICU.check(err, "ubrk_setText")
        var start: Int32 = 0
        try ends.withUnsafeMutableBufferPointer { (ends) throws(AnalysisError) in
            try statuses.withUnsafeMutableBufferPointer { (statuses) throws(AnalysisError) in
                while true {
                    let n = CICUShim_wordBreakerNext(handle, ends.baseAddress, statuses.baseAddress, 256)
                    if n == 0 { break }
                    for i in 0..<Int(n) {
                        body(start, ends[i], statuses[i])
                        start = ends[i]
                    }
                }
            }
        }
    }
}
