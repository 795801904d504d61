/// Converts UTF-8 byte offsets of a text into character (Unicode scalar) offsets.
///
/// Built once per text in O(bytes): the character count before every 64th byte, so it takes
/// about a sixteenth of the text's size; each lookup scans at most 63 bytes. Offsets that fall
/// inside a scalar round down to that scalar.
public struct CharacterIndex: Sendable {
    private static let block = 64
    private let utf8: [UInt8]
    /// Characters that start before byte `k × block`.
    private let before: [Int32]

    public init(_ text: String) {
        self.init(utf8: Array(text.utf8))
    }

    /// The index of a text given as its UTF-8 bytes (shared, not copied).
    public init(utf8: [UInt8]) {
        self.utf8 = utf8
        var before: [Int32] = []
        before.reserveCapacity(utf8.count / Self.block + 1)
        var count: Int32 = 0
        for (i, byte) in utf8.enumerated() {
            if i % Self.block == 0 { before.append(count) }
            if byte & 0xC0 != 0x80 { count += 1 }
        }
        if utf8.count % Self.block == 0 { before.append(count) }
        self.before = before
    }

    /// The character offset of byte offset `byte` (0...byteCount).
    public func character(atByte byte: Int) -> Int {
        let k = byte / Self.block
        var count = Int(before[k])
        var i = k * Self.block
        while i < byte {
            if utf8[i] & 0xC0 != 0x80 { count += 1 }
            i += 1
        }
        // Inside a scalar: round down to it.
        if byte < utf8.count, utf8[byte] & 0xC0 == 0x80 { count -= 1 }
        return count
    }
}
