import Foundation
import Testing
@testable import TongwenDupes
import TongwenAnalysis
import TongwenTestSupport

/// Acceptance: the reference's smoke test on the original speeches in ../shared/corpus/seeds.
@Suite(.enabled(if: TestData.hasSeeds, "needs ../shared/corpus/seeds")) struct SeedSmokeTests {
    static let names = ["000_508ab3d725a32a77.txt", "001_c52c8a72763d0035.txt", "002_bbd5a349c041682c.txt",
                        "003_0ba861d5c2cbb1fc.txt", "004_aa5ad49ff6297362.txt"]
    static let documents: [(id: String, text: String)] = names.map {
        ($0, try! TextDecoder.decode(TestData.bytes(TestData.seeds.appendingPathComponent($0)), source: $0).text)
    }
    static let report = try! DupesFinder.run(documents)

    func text(_ doc: String) -> String { Self.documents.first { $0.id == doc }!.text }

    /// The byte range of 001 from the line starting with `from` to the line starting with `to`.
    func section(_ from: String, _ to: String) -> Range<Int> {
        let utf8 = Array(text(Self.names[1]).utf8)
        let t = text(Self.names[1])
        let start = t.range(of: "\n" + from)!.lowerBound
        let end = t.range(of: "\n" + to, range: start..<t.endIndex)!.lowerBound
        let s = t.utf8.distance(from: t.utf8.startIndex, to: start), e = t.utf8.distance(from: t.utf8.startIndex, to: end)
        _ = utf8
        return s..<e
    }

    @Test func theTwinSpeechesInsideSeed001AreCoveredByRepeatedPassages() throws {
        let analyzer = try Analyzer()
        let dedup = try DedupText(text(Self.names[1]), analyzer: analyzer)
        let members = Self.report.passages.flatMap(\.members).filter { $0.doc == Self.names[1] }
        for section in [section("第二篇", "第三篇"), section("第三篇", "在2021年争创全国法治政府建设示范县推进会议上的讲话 篇5")] {
            let sectionUnits = DocumentReport.unitRange(dedup, section)
            let covered = members.map { DocumentReport.unitRange(dedup, $0.startByte..<$0.endByte) }
                .map { max($0.lowerBound, sectionUnits.lowerBound)..<max(min($0.upperBound, sectionUnits.upperBound), max($0.lowerBound, sectionUnits.lowerBound)) }
            let coverage = Double(DocumentReport.countUnion(covered, dedup.units)) / Double(DocumentReport.countUnion([sectionUnits], dedup.units))
            #expect(coverage >= 0.90, "section coverage \(coverage)")
        }
    }

    @Test func theRepeatedTitleLineIsAFiveCopyCluster() {
        let title = "在2021年争创全国法治政府建设示范县推进会议上的讲话 篇"
        let cluster = Self.report.passages.first { $0.occurrences == 5 && $0.text.hasPrefix(title) }
        #expect(cluster != nil)
        let t = Array(text(Self.names[1]).utf8)
        for m in cluster?.members ?? [] {
            #expect(String(decoding: t[m.startByte..<m.endByte], as: UTF8.self).hasPrefix(title))
        }
    }

    @Test func exactlyTheChromeLinesAreFlagged() {
        let expected: [String: [String]] = [
            Self.names[1]: ["2024-11-21", "上一篇:小学作文:我最难忘的一次教训下一篇:七夕中国风祝福寄语"],
            Self.names[3]: ["特黄特色三级在线观看免费", "學(xué)習(xí)啦 > 實(shí)用范文", "時(shí)間: 佩珊807 分享", "看過(guò)在創(chuàng)衛(wèi)轉(zhuǎn)段",
                            "1.創(chuàng)建衛(wèi)生城市", "2.創(chuàng)建文明城市講話稿", "3.創(chuàng)衛(wèi)國(guó)旗下講話稿",
                            "4.創(chuàng)衛(wèi)從我做起演講稿3篇", "5.市城市建設(shè)工作會(huì)議講話", "6.在宣傳會(huì)議上的講話", "2365602"],
            Self.names[4]: ["- 相關推薦", "【在創建全國文明城市動員大會上的講話】相關文章:", "在創建全國文明城市迎檢動員大會上的講話08-16",
                            "在創建全國衛生城市動員大會上的講話08-15", "在創建“平安寧遠”動員大會上的講話08-16", "在創建省級文明城區動員大會上的講話08-15",
                            "【文明城市創建】創建全國文明城市倡議書08-20", "創建全國文明城市標語10-17", "創建全國文明城市征文02-21", "創建全國文明城市知識問答07-31"],
        ]
        #expect(expected.values.reduce(0) { $0 + $1.count } == 23)
        for document in Self.report.documents {
            let flagged = document.chrome.map { $0.text.trimmingCharacters(in: .whitespaces) }
            let want = expected[document.doc] ?? []
            #expect(flagged.count == want.count, "\(document.doc): \(flagged)")
            for line in want { #expect(flagged.contains { $0.hasPrefix(line) }, "\(document.doc): \(line) not flagged") }
            for f in flagged { #expect(want.contains { f.hasPrefix($0) }, "\(document.doc): body text flagged: \(f)") }
        }
        // Compilation markup is reported apart: (共5篇), 篇N, 第二篇:, 第三篇:.
        let markup = Self.report.documents.first { $0.doc == Self.names[1] }!.markup.map(\.text)
        #expect(markup.contains { $0.contains("(共5篇)") })
        #expect(markup.filter { $0.contains("讲话 篇") }.count == 5)
        #expect(markup.contains { $0.hasPrefix("第二篇:") } && markup.contains { $0.hasPrefix("第三篇:") })
    }

    @Test func noPassageIsSharedAcrossTheOtherFiles() {
        let others = Set([Self.names[0], Self.names[2], Self.names[3], Self.names[4]])
        for passage in Self.report.passages {
            let files = Set(passage.members.map(\.doc))
            #expect(files.count == 1 || files.isDisjoint(with: others), "passage \(passage.id) spans \(files)")
        }
        for d in Self.report.documents where d.doc == Self.names[0] || d.doc == Self.names[2] {
            #expect(d.boilerplateRatio < 0.05)
        }
        #expect(Self.report.nearDuplicates.isEmpty)
    }
}
