import Testing
@testable import TongwenDupes

/// The parts of chrome detection one at a time: segments of a flattened page, zones, structure
/// rules, and what the archive teaches (templates, speaker labels, the two-anchor guard).
struct ChromeTemplateTests {
    static let body = "我们要坚持稳中求进的工作总基调，推动经济持续健康发展。各地区各部门要切实负起责任，抓好各项任务的落实。"

    func segments(_ text: String) -> [String] {
        let utf8 = Array(text.utf8)
        return ChromeSegmenter.segments(utf8).map { String(decoding: utf8[$0.bytes], as: UTF8.self) }
    }

    func chrome(_ pages: [String]) throws -> [[String]] {
        try DupesFinder.chrome(pages).chrome.enumerated().map { doc, spans in
            let utf8 = Array(pages[doc].utf8)
            return spans.map { String(decoding: utf8[$0.startByte..<$0.endByte], as: UTF8.self) }
        }
    }

    @Test func aFlattenedPageIsCutAtGapsWithShortPiecesJoined() {
        let page = "首页 | 新闻 | 政务 | 互动 发布时间：2023-05-12 09:30 来源：本网 " + Self.body + " 上一篇 ‹ 在全市经济工作会议上的讲话 1. 在教育工作会议上的讲话"
        let s = segments(page)
        #expect(s.first == "首页 | 新闻 | 政务 | 互动")
        #expect(s.contains("发布时间：2023-05-12 09:30"))  // the time joins the piece before
        #expect(s.contains("上一篇 ‹ 在全市经济工作会议上的讲话"))  // a lone short piece joins the next
        #expect(s.contains("1. 在教育工作会议上的讲话"))  // a list number joins the item after it
        // A long line without a sentence end stays whole; a short line is never cut.
        #expect(segments("首页 > 新闻 > " + String(repeating: "很长的标题", count: 20)).count == 1)
    }

    @Test func structureRulesNeedNoOtherPage() {
        func scalars(_ s: String) -> [Unicode.Scalar] { Array(ChromeSegmenter.shape(Array(s.utf8)[...]).unicodeScalars) }
        #expect(ChromeStructure.isFields(scalars("来源：新华网 作者：张三")))
        #expect(ChromeStructure.isFields(scalars("更新時間：2023-05-12 14:35")))
        #expect(!ChromeStructure.isFields(scalars("主席：谢谢")))
        #expect(ChromeStructure.isRow(scalars("即時 政治 社會 生活 國際")))
        #expect(ChromeStructure.isRow(scalars("首页 > 领导讲话 > 在全市经济工作会议上的讲话")))
        #expect(!ChromeStructure.isRow(scalars("市长 张三")))
        #expect(ChromeStructure.isBracketedByline(scalars("（記者王小明／台北報導）")))
        #expect(!ChromeStructure.isBracketedByline(scalars("（2023年5月12日）")))
        for dated in ["在大会上的讲话 2023.05.12", "在大会上的讲话（2023-05-12）", "在大会上的讲话 [05-12]", "講話｜2023年5月12日", "講話 (12/05/2023)", "讲话 2023-05-12 09:30"] {
            #expect(ChromeStructure.endsWithDate(scalars(dated)), "\(dated)")
        }
        #expect(!ChromeStructure.endsWithDate(scalars("2023-05-12")))  // a date alone is no item
    }

    @Test func aLineRecurringInThreePagesIsATemplateAndInTwoIsNot() throws {
        let titles = ["在全市经济工作会议上的讲话", "在教育工作会议上的讲话", "在防汛工作会议上的讲话"]
        func page(_ i: Int, tail: String) -> String { "第\(i)号文件\n" + Self.body + "\n上页：\(titles[i])\n" + tail + "\n" }
        let three = try chrome((0..<3).map { page($0, tail: "热点推荐") })
        #expect(three.allSatisfy { $0.contains("热点推荐") && $0.contains { $0.hasPrefix("上页：") } })
        let two = try chrome((0..<2).map { page($0, tail: "热点推荐") } + [page(2, tail: "别的内容")])
        #expect(two.allSatisfy { !$0.contains("热点推荐") })
    }

    @Test func aSpeechFormulaEverySpeechRepeatsIsNoTemplate() throws {
        // A salutation and a title line recur in every page's head, with no structure beside them.
        let pages = (0..<6).map { _ in "政府工作报告\n各位代表：\n" + Self.body + "\n" }
        #expect(try chrome(pages).allSatisfy(\.isEmpty))
    }

    @Test func aSpeakersLabelIsNeverAPrefixTemplate() throws {
        // `主席：` starts body lines, so the chair's short stage notes after the last sentence stay speech.
        let pages = (0..<5).map { "主席：" + Self.body + "\n李委員：" + Self.body + "\n主席：休息（\($0 + 10)時\($0 + 20)分）\n主席：散會\n" }
        #expect(try chrome(pages).allSatisfy(\.isEmpty))
        let learned = try DupesFinder.chrome(pages).templates
        #expect(!learned.contains { $0.kind == "prefix" && $0.text == "主席：" })
    }

    @Test func aSentenceOfTheBodyIsNeverChrome() throws {
        let trap = "这些资金的来源是中央财政转移支付，相关部门要做好上一年度的结转工作。"
        let pages = (0..<4).map { "来源：新华网 作者：张三\n" + trap + "\n" + Self.body + "\n上一篇：第\($0)号讲话\n" }
        for spans in try chrome(pages) {
            #expect(spans.contains("来源：新华网 作者：张三"))
            #expect(!spans.contains { $0.contains("中央财政") })
        }
    }
}
