import Foundation
import Testing
import TongwenAnalysis
import TongwenTestSupport

@Suite struct NormalizationTests {
    let table = try! NormalizationTable.shared()

    @Test func mapsTraditionalToSimplifiedAndFoldsWidthAndCase() {
        #expect(table.normalize("體育運動會") == "体育运动会")
        #expect(table.normalize("Ｓｗｉｆｔ ＡＢＣ") == "swift abc")
        #expect(table.normalize("①") == "1")
        #expect(table.normalize("a\u{00AD}b") == "ab")  // soft hyphen is dropped
        #expect(table.normalize("简体不变") == "简体不变")
    }

    @Test func isIdempotentOnEveryCodePoint() {
        var failures: [String] = []
        for c in UInt32(0)..<0x110000 where !(0xD800...0xDFFF).contains(c) {
            let once = String(Unicode.Scalar(c)!)
            let normalized = table.normalize(once)
            if table.normalize(normalized) != normalized { failures.append(String(c, radix: 16)) }
        }
        #expect(failures.isEmpty, "not idempotent: \(failures.prefix(20))")
    }

    @Test func hanMembership() {
        #expect(table.isHan(Unicode.Scalar("国").value))
        #expect(table.isHan(Unicode.Scalar("國").value))
        #expect(table.isHan(0x20000))  // CJK Extension B
        #expect(!table.isHan(Unicode.Scalar("a").value))
        #expect(!table.isHan(Unicode.Scalar("。").value))
    }

    @Test func checksumIsStableWithinAProcess() throws {
        #expect(table.checksum == (try NormalizationTable.shared()).checksum)
        #expect(table.icuVersion == ICU.version)
        #expect(table.changedCount > 2_500)
    }

    /// Normalizing a substring gives the substring of the normalized whole that the offset map
    /// assigns to it, and every normalized unit maps back into the original.
    @Test(.enabled(if: TestData.hasSeeds, "needs ../shared/corpus/seeds"))
    func substringsNormalizeToSubstringsOfTheWhole() throws {
        let analyzer = try Analyzer()
        var rng = SeededGenerator(seed: 2)
        for url in TestData.files(in: TestData.seeds) {
            let scalars = Array(try TextDecoder.decode(TestData.bytes(url), source: url.path).text.unicodeScalars)
            let whole = table.normalize(String(String.UnicodeScalarView(scalars)))
            for _ in 0..<200 {
                let a = Int.random(in: 0..<scalars.count, using: &rng)
                let b = min(scalars.count, a + Int.random(in: 0...80, using: &rng))
                var slice = String.UnicodeScalarView()
                slice.append(contentsOf: scalars[a..<b])
                let part = table.normalize(String(slice))
                #expect(whole.contains(part) || part.isEmpty)
                // Offsets: the slice's normalized units map to byte offsets inside the slice, in order.
                let (normalized, sourceByte, _) = analyzer.clean(normalizing: String(slice))
                let sliceBytes = String(slice).utf8.count
                #expect(sourceByte.allSatisfy { $0 >= 0 && Int($0) < max(sliceBytes, 1) })
                #expect(zip(sourceByte, sourceByte.dropFirst()).allSatisfy { $0 <= $1 })
                #expect(normalized.count == sourceByte.count)
            }
        }
    }
}
