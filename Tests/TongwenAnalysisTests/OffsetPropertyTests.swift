import Foundation
import Testing
import TongwenAnalysis
import TongwenTestSupport

/// Acceptance: over random slices of the seed speeches, the slice of the original at every
/// token's byte range, cleaned and normalized by a brute-force reference, equals the token's text.
@Suite struct OffsetPropertyTests {
    let analyzer = try! Analyzer()
    let table = try! NormalizationTable.shared()

    /// Brute-force reference: scalar by scalar, drop `(`/`（` + 1–7 pinyin letters with a tone
    /// mark + `)`/`）` right after a Han character, then normalize each scalar through the table.
    func referenceCleanNormalize(_ text: String) -> String {
        let tones = Set("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ".unicodeScalars)
        let letters = Set("abcdefghijklmnopqrstuvwxyzü".unicodeScalars).union(tones)
        let s = Array(text.unicodeScalars)
        var kept = String.UnicodeScalarView()
        var i = 0
        var afterHan = false
        while i < s.count {
            if afterHan, s[i] == "(" || s[i] == "（" {
                var j = i + 1
                while j < s.count, letters.contains(s[j]) { j += 1 }
                let body = s[(i + 1)..<j]
                if j < s.count, s[j] == ")" || s[j] == "）", (1...7).contains(body.count), body.contains(where: tones.contains) {
                    i = j + 1
                    continue
                }
            }
            kept.append(s[i])
            afterHan = s[i].properties.isIdeographic || table.isHan(s[i].value)
            i += 1
        }
        return table.normalize(String(kept))
    }

    func checkTokens(of text: String) throws {
        let analysis = try analyzer.analyze(text)
        let utf8 = Array(text.utf8)
        for token in analysis.tokens {
            let slice = String(decoding: utf8[token.startByte..<token.endByte], as: UTF8.self)
            let reference = referenceCleanNormalize(slice)
            // A token may start or end inside the expansion of one original character (e.g. ⑴ → "(1)");
            // then it is part of what the slice normalizes to, starting inside the first
            // character's expansion and ending inside the last's: a range one character too wide
            // on either side fails.
            #expect(reference == token.text || Self.spansBothEnds(token.text, of: reference, slice: slice, normalize: referenceCleanNormalize),
                    "token \(token.text) at \(token.startByte)..<\(token.endByte): slice \(slice) → \(reference)")
        }
        #expect(analysis.normalizedText == referenceCleanNormalize(text))
    }

    /// Whether `token` occurs in `reference` (what `slice` normalizes to) starting inside the
    /// normalization of the slice's first character and ending inside that of its last.
    static func spansBothEnds(_ token: String, of reference: String, slice: String, normalize: (String) -> String) -> Bool {
        let scalars = Array(slice.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last else { return false }
        let ref = Array(reference.utf16), tok = Array(token.utf16)
        let head = normalize(String(first)).utf16.count, tail = normalize(String(last)).utf16.count
        guard tok.count <= ref.count else { return false }
        return (0...(ref.count - tok.count)).contains { at in
            Array(ref[at..<(at + tok.count)]) == tok && at < head && at + tok.count > ref.count - tail
        }
    }

    @Test func aRangeOneCharacterTooWideIsCaught() {
        let normalize = referenceCleanNormalize
        // ⑴ normalizes to "(1)": the token "1" starts and ends inside it.
        #expect(Self.spansBothEnds("1", of: normalize("⑴"), slice: "⑴", normalize: normalize))
        // The same token with a neighbour in its range: too wide, on either side.
        #expect(!Self.spansBothEnds("1", of: normalize("⑴年"), slice: "⑴年", normalize: normalize))
        #expect(!Self.spansBothEnds("年", of: normalize("⑴年"), slice: "⑴年", normalize: normalize))
    }

    @Test(.enabled(if: TestData.hasSeeds, "needs ../shared/corpus/seeds"))
    func tokenOffsetsMapToTheOriginalOnRandomSeedSlices() throws {
        var rng = SeededGenerator(seed: 7)
        var slices = 0
        for url in TestData.files(in: TestData.seeds) {
            let scalars = Array(try TextDecoder.decode(TestData.bytes(url), source: url.path).text.unicodeScalars)
            for _ in 0..<300 {
                let a = Int.random(in: 0..<scalars.count, using: &rng)
                let b = min(scalars.count, a + Int.random(in: 1...200, using: &rng))
                try checkTokens(of: String(String.UnicodeScalarView(scalars[a..<b])))
                slices += 1
            }
        }
        #expect(slices == 1500)
    }

    @Test func tokenOffsetsMapToTheOriginalOnTheSamples() throws {
        for url in TestData.files(in: TestData.indexData) {
            try checkTokens(of: TextDecoder.decode(TestData.bytes(url), source: url.path).text)
        }
    }
}
