import CICUShim

/// The per-code-point normalization map: NFKC with case folding, then Traditional → Simplified.
///
/// Because every code point maps independently, "the query is a substring of the document"
/// survives normalization in both directions, which is what makes exact phrase search possible.
/// The table is derived once per process from ICU (`NFKC_Casefold` for the code points that change
/// under it, and the `Traditional-Simplified` transliterator run once over all `[:Han:]` code
/// points); the transliterator never runs per document.
///
/// `Ｓｗｉｆｔ` → `swift`, `體` → `体`, `①` → `1`, soft hyphen → nothing.
public final class NormalizationTable: Sendable {
    /// Entry layout for BMP code points (and the supplementary dictionary):
    /// bit 31 clear: bits 0–20 hold the single replacement code point.
    /// bit 31 set: bits 0–19 offset into `expansions`, bits 20–27 length (0 = deleted).
    let bmp: [UInt32]
    let supplementary: [UInt32: UInt32]
    let expansions: [UInt32]
    let hanBits: [UInt64]

    /// A 64-bit FNV-1a digest of every non-identity mapping, in code-point order. Indexes store it
    /// and refuse to mix in text normalized by a different table.
    public let checksum: UInt64
    /// How many code points the table changes.
    public let changedCount: Int
    /// The ICU version the table was derived from.
    public let icuVersion: String

    /// The process-wide table, built on first use (tens of milliseconds).
    public static func shared() throws(AnalysisError) -> NormalizationTable {
        try sharedResult.get()
    }

    private static let sharedResult: Result<NormalizationTable, AnalysisError> = Result {
        () throws(AnalysisError) in try NormalizationTable()
    }

    private init() throws(AnalysisError) {
        icuVersion = ICU.version
        // Han membership, as a bitset over all code points.
        var han = [UInt64](repeating: 0, count: 0x110000 / 64)
        let hanRanges = try ICU.ranges(of: "[:Han:]")
        for range in hanRanges {
            for c in range { han[Int(c >> 6)] |= 1 << UInt64(c & 63) }
        }
        hanBits = han
        let mapping = try Self.mapping(hanRanges)
        (bmp, supplementary, expansions, checksum) = Self.encoded(mapping)
        changedCount = mapping.count
    }

    /// Every code point that normalization changes, with what it becomes.
    private static func mapping(_ hanRanges: [ClosedRange<UInt32>]) throws(AnalysisError) -> [UInt32: [UInt32]] {
        // 1. NFKC_Casefold, only for the code points that change under it.
        var mapping: [UInt32: [UInt32]] = [:]
        var utf16 = [UInt16](repeating: 0, count: 64)
        for range in try ICU.ranges(of: "[:Changes_When_NFKC_Casefolded:]") {
            for c in range {
                guard let scalar = Unicode.Scalar(c) else { continue }
                let folded = try nfkcCasefold(scalar, scratch: &utf16)
                if folded != [c] { mapping[c] = folded }
            }
        }
        // 2. Traditional → Simplified over every Han code point, in one transliterator run: code
        //    points separated by newlines so no context rule spans two of them.
        let toSimplified = try traditionalToSimplified(hanRanges)
        for (c, folded) in mapping { mapping[c] = folded.flatMap { toSimplified[$0] ?? [$0] } }
        for (c, simplified) in toSimplified where mapping[c] == nil { mapping[c] = simplified }
        closeUnderComposition(&mapping)
        return mapping
    }

    /// 3. Closes `mapping` under composition so normalizing normalized text changes nothing. ICU's
    /// per-character T→S has cycles (苎 → 苧 → 苎): every member of a cycle maps to the cycle's
    /// smallest code point, which keeps the result independent of iteration order.
    private static func closeUnderComposition(_ mapping: inout [UInt32: [UInt32]]) {
        for start in mapping.keys.sorted() {
            var path: [UInt32] = [start]
            var current = start
            while let out = mapping[current], out.count == 1, out[0] != current {
                current = out[0]
                if let at = path.firstIndex(of: current) {
                    let cycle = path[at...]
                    let representative = cycle.min()!
                    for member in cycle { mapping[member] = [representative] }
                    mapping[representative] = nil
                    break
                }
                path.append(current)
            }
        }
        for _ in 0..<8 {
            var changed = false
            for c in mapping.keys.sorted() {
                let out = mapping[c]!
                let again = out.flatMap { mapping[$0] ?? [$0] }
                if again != out { mapping[c] = again; changed = true }
            }
            if !changed { break }
        }
        for c in mapping.keys.sorted() where mapping[c] == [c] { mapping[c] = nil }
    }

    /// The lookup tables for `mapping` (a BMP array, a supplementary dictionary, expansions) and
    /// its FNV-1a digest over (code point, length, outputs) in code point order.
    private static func encoded(_ mapping: [UInt32: [UInt32]]) -> ([UInt32], [UInt32: UInt32], [UInt32], UInt64) {
        var bmp = (0..<UInt32(0x10000)).map { $0 }
        var supplementary: [UInt32: UInt32] = [:]
        var expansions: [UInt32] = []
        var digest: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ value: UInt32) {
            for shift in stride(from: 0, to: 32, by: 8) {
                digest = (digest ^ UInt64((value >> UInt32(shift)) & 0xff)) &* 0x100_0000_01b3
            }
        }
        for c in mapping.keys.sorted() {
            let out = mapping[c]!
            mix(c)
            mix(UInt32(out.count))
            out.forEach(mix)
            let entry: UInt32
            if out.count == 1 {
                entry = out[0]
            } else {
                precondition(out.count < 256 && expansions.count < (1 << 20))
                entry = 0x8000_0000 | UInt32(out.count) << 20 | UInt32(expansions.count)
                expansions.append(contentsOf: out)
            }
            if c < 0x10000 { bmp[Int(c)] = entry } else { supplementary[c] = entry }
        }
        return (bmp, supplementary, expansions, digest)
    }

    private static func nfkcCasefold(_ scalar: Unicode.Scalar, scratch: inout [UInt16]) throws(AnalysisError) -> [UInt32] {
        let source = Array(String(scalar).utf16)
        var err: Int32 = 0
        let count = CICUShim_nfkcCasefold(source, Int32(source.count), &scratch, Int32(scratch.count), &err)
        try ICU.check(err, "unorm2_normalize")
        return String(decoding: scratch[0..<Int(count)], as: UTF16.self).unicodeScalars.map(\.value)
    }

    private static func traditionalToSimplified(_ hanRanges: [ClosedRange<UInt32>]) throws(AnalysisError) -> [UInt32: [UInt32]] {
        var err: Int32 = 0
        guard let transliterator = CICUShim_transliteratorOpen("Traditional-Simplified", &err) else {
            try ICU.check(err, "utrans_openU(Traditional-Simplified)")
            throw .icu(call: "utrans_openU", code: err, name: "NULL transliterator")
        }
        defer { CICUShim_transliteratorClose(transliterator) }
        let codePoints = hanRanges.flatMap { $0 }
        var text = String.UnicodeScalarView()
        for c in codePoints {
            text.append(Unicode.Scalar(c)!)
            text.append("\n")
        }
        var buffer = Array(String(text).utf16)
        let length = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: length))
        let newLength = CICUShim_transliterate(transliterator, &buffer, Int32(length), Int32(buffer.count), &err)
        try ICU.check(err, "utrans_transUChars")
        let lines = String(decoding: buffer[0..<Int(newLength)], as: UTF16.self)
            .unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        var result: [UInt32: [UInt32]] = [:]
        for (c, line) in zip(codePoints, lines) {
            let out = line.map(\.value)
            if out != [c] { result[c] = out }
        }
        return result
    }

    /// Whether `c` is a Han (CJK ideograph) code point.
    @inline(__always)
    public func isHan(_ c: UInt32) -> Bool {
        c < 0x110000 && hanBits.withUnsafeBufferPointer { $0[Int(c >> 6)] >> UInt64(c & 63) & 1 != 0 }
    }

    /// Appends the normalized form of `c` to `output` (zero, one or several code points).
    @inline(__always)
    public func normalize(_ c: UInt32, into output: (UInt32) -> Void) {
        let entry = entry(c)
        if entry & 0x8000_0000 == 0 {
            output(entry)
        } else {
            let offset = Int(entry & 0xFFFFF), length = Int(entry >> 20 & 0xFF)
            for i in offset..<offset + length { output(expansions[i]) }
        }
    }

    /// The table entry of `c` (layout above); unmapped code points map to themselves.
    @inline(__always)
    private func entry(_ c: UInt32) -> UInt32 {
        if c < 0x10000 { return bmp.withUnsafeBufferPointer { $0[Int(c)] } }
        return supplementary[c] ?? c
    }

    /// The normal form of `c` when it is one code point (most are), else nil; allocates nothing.
    @inline(__always)
    func single(_ c: UInt32) -> UInt32? {
        let entry = entry(c)
        if entry & 0x8000_0000 == 0 { return entry }
        return entry >> 20 & 0xFF == 1 ? expansions[Int(entry & 0xFFFFF)] : nil
    }

    /// Normalizes a whole string, code point by code point (no cleaning, no offsets).
    public func normalize(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            normalize(s.value) { scalars.append(Unicode.Scalar($0)!) }
        }
        return String(scalars)
    }
}
