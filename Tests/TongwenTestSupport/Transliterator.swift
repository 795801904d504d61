import CICUShim

/// ICU's own transliterator (e.g. `Simplified-Traditional`), for turning test text into the other
/// script independently of Tongwen's normalization table.
public final class Transliterator {
    private let handle: OpaquePointer

    public init(_ id: String) {
        var err: Int32 = 0
        handle = CICUShim_transliteratorOpen(id, &err)!
    }

    deinit { CICUShim_transliteratorClose(handle) }

    public func callAsFunction(_ text: String) -> String {
        var buffer = Array(text.utf16) + [UInt16](repeating: 0, count: text.utf16.count * 2 + 16)
        var err: Int32 = 0
        let n = CICUShim_transliterate(handle, &buffer, Int32(text.utf16.count), Int32(buffer.count), &err)
        return String(decoding: buffer[0..<Int(n)], as: UTF16.self)
    }
}
