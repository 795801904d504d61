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

    /// A 256-bit summary of the code units in `text` (bit `unit % 256` for each): when
    /// `needle`'s summary has a bit `haystack`'s lacks, the needle cannot occur in it. (64 bits
    /// were nearly all set by a 120-character title, ruling out almost nothing.)
    public static func signature(_ text: [UInt16]) -> Signature {
        var s = Signature()
        for unit in text {
            let bit: UInt64 = 1 << UInt64(unit & 63)
            switch unit >> 6 & 3 {
            case 0: s.b0 |= bit
            case 1: s.b1 |= bit
            case 2: s.b2 |= bit
            default: s.b3 |= bit
            }
        }
        return s
    }

    public struct Signature: Sendable, Equatable {
        var b0: UInt64 = 0, b1: UInt64 = 0, b2: UInt64 = 0, b3: UInt64 = 0

        /// Whether every bit of `other` is set here.
        @inline(__always)
        public func covers(_ other: Signature) -> Bool {
            b0 & other.b0 == other.b0 && b1 & other.b1 == other.b1 && b2 & other.b2 == other.b2 && b3 & other.b3 == other.b3
        }
    }
}
