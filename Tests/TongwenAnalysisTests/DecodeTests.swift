import Foundation
import Testing
import TongwenAnalysis
import TongwenTestSupport

@Suite struct DecodeTests {
    func sample(_ name: String) throws -> [UInt8] {
        try TestData.bytes(TestData.indexData.appendingPathComponent(name))
    }

    @Test(arguments: [
        ("speeches/2022-rural-environment-gb18030.txt", "fixtures/2022-rural-environment-utf8.txt", "GB18030"),
        ("speeches/2023-fitness-games-big5.txt", "fixtures/2023-fitness-games-utf8.txt", "Big5"),
    ])
    func legacyEncodingsDecodeLikeTheirUTF8Twins(legacy: String, twin: String, encoding: String) throws {
        let decoded = try TextDecoder.decode(sample(legacy), source: legacy)
        let expected = try TextDecoder.decode(sample(twin), source: twin)
        #expect(decoded.encoding == encoding)
        #expect(expected.encoding == "UTF-8")
        #expect(decoded.text == expected.text)
    }

    @Test func byteOrderMarks() throws {
        let text = "同文 Tongwen"
        let utf8BOM = [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        #expect(try TextDecoder.decode(utf8BOM, source: "t").text == text)
        let le: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let decodedLE = try TextDecoder.decode(le, source: "t")
        #expect(decodedLE.text == text && decodedLE.encoding == "UTF-16LE")
        let be: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { unit -> [UInt8] in [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        let decodedBE = try TextDecoder.decode(be, source: "t")
        #expect(decodedBE.text == text && decodedBE.encoding == "UTF-16BE")
    }

    @Test func undecodableBytesNameTheSourceAndOffset() throws {
        let bytes: [UInt8] = Array("abc".utf8) + [0x80, 0xFF, 0x80]
        let error = #expect(throws: AnalysisError.self) { try TextDecoder.decode(bytes, source: "bad.txt") }
        guard case let .undecodable(source, offset, detail)? = error else {
            Issue.record("expected .undecodable, got \(String(describing: error))")
            return
        }
        #expect(source == "bad.txt")
        #expect(offset == 3)
        #expect(detail.hasSuffix("give the encoding explicitly"))
    }

    @Test func forcedEncodingReportsTheFirstBadByte() throws {
        let gb = try sample("speeches/2022-rural-environment-gb18030.txt")
        let error = #expect(throws: AnalysisError.self) { try TextDecoder.decode(gb, encoding: "utf-8", source: "gb.txt") }
        // "在" is D4 DA in GB18030: D4 opens a UTF-8 pair, DA cannot close it.
        #expect(error == .undecodable(source: "gb.txt", offset: 0, detail: "invalid UTF-8"))
        #expect(throws: AnalysisError.unknownEncoding("no-such-charset")) {
            try TextDecoder.decode([0x41], encoding: "no-such-charset", source: "x")
        }
        #expect(try TextDecoder.decode(gb, encoding: "gbk", source: "x").encoding == "GB18030")
    }

    @Test(.enabled(if: TestData.hasSeeds, "needs ../shared/corpus/seeds"))
    func everySeedAndSampleAnalyzesWithoutError() throws {
        let analyzer = try Analyzer()
        let files = TestData.files(in: TestData.seeds) + TestData.files(in: TestData.indexData)
        #expect(files.count >= 5 + 8)
        for url in files {
            let decoded = try TextDecoder.decode(TestData.bytes(url), source: url.path)
            let analysis = try analyzer.analyze(decoded.text)
            #expect(!analysis.segments.isEmpty, "\(url.lastPathComponent) gave no tokens")
        }
    }
}
