import TongwenIndex

/// One segment's alternates: its `V`, `C` and `R` keys (a query looks up no other key of those
/// kinds) and the characters that have a `V` key (only those units of a pattern may match an
/// alternate).
struct SegmentAlternates: Sendable {
    private(set) var keys: Set<[UInt8]> = []
    private(set) var characters: Set<UInt32> = []

    /// Adds a `V`, `C` or `R` key (kind byte, then UTF-8).
    mutating func insert(_ key: [UInt8]) {
        keys.insert(key)
        guard key.first == TermKind.hanVariant.rawValue else { return }
        if let c = String(decoding: key.dropFirst(), as: UTF8.self).unicodeScalars.first { characters.insert(c.value) }
    }
}
