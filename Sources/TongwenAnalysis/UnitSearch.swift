/// Substring search over UTF-16 code units (normalized text, titles, chrome cues): a first-unit
/// scan then a compare, far faster on short needles than `String` searching.
public enum UnitSearch {
    /// The first offset ≥ `from` where `needle` occurs in `haystack` (`from` for an empty needle).
    public static func firstOccurrence(of needle: [UInt16], in haystack: [UInt16], from: Int = 0) -> Int? {
        guard !needle.isEmpty else { return from }
        guard haystack.count >= needle.count else { return nil }
        let first = needle[0]
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var k = 1
                while k < needle.count && haystack[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// Whether `needle` occurs in `haystack`.
    public static func contains(_ needle: [UInt16], in haystack: [UInt16]) -> Bool {
        firstOccurrence(of: needle, in: haystack) != nil
    }

    /// A 64-bit summary of the code units in `text` (bit `unit % 64` for each): when `needle`'s
    /// summary has a bit `haystack`'s lacks, the needle cannot occur in it.
    public static func signature(_ text: [UInt16]) -> UInt64 {
        text.reduce(0) { $0 | 1 << UInt64($1 & 63) }
    }
}
