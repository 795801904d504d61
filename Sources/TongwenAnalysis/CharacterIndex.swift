/// Converts UTF-8 byte offsets of a text into character (Unicode scalar) offsets.
///
/// Built once per text in O(bytes); each lookup is O(1). Offsets that fall inside a scalar
/// round down to that scalar.
public struct CharacterIndex: Sendable {
    private let scalarsBefore: [Int32]

    public init(_ text: String) {
        var table = [Int32](repeating: 0, count: text.utf8.count + 1)
        var count: Int32 = 0
        var i = 0
        for byte in text.utf8 {
            table[i] = byte & 0xC0 == 0x80 ? count - 1 : count
            if byte & 0xC0 != 0x80 { count += 1 }
            i += 1
        }
        table[i] = count
        scalarsBefore = table
    }

    /// The character offset of byte offset `byte` (0...byteCount).
    public func character(atByte byte: Int) -> Int { Int(scalarsBefore[byte]) }
}
