import TongwenAnalysis

/// A comparison unit as the whole-run stages hold it: 16 bits, half of ``DedupText``'s 32, since
/// every document's units stay in memory for the whole run. A unit of the Basic Multilingual
/// Plane outside the private-use area is itself; a supplementary character (CJK extensions B–H)
/// or a private-use one (HKSCS characters decoded from Big5) takes one of the 8,448 free values
/// 0xD800–0xF8FF (surrogates and private use cannot be normalized characters), chosen by a hash
/// of the character: two such rare characters may then compare equal, and nothing else changes.
/// The barrier stays 0.
typealias Unit = UInt16

enum CompactUnits {
    static let spare: ClosedRange<UInt32> = 0xD800...0xF8FF
    static let barrier = Unit(DedupText.barrier)

    static func unit(_ u: UInt32) -> Unit {
        if u < spare.lowerBound || (u > spare.upperBound && u <= 0xFFFF) { return Unit(u) }
        let h = (u &* 0x9E37_79B1) >> 7
        return Unit(spare.lowerBound + h % UInt32(spare.count))
    }

    static func make(_ units: [UInt32]) -> [Unit] { units.map(unit) }
}
