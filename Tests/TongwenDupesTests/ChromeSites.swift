import Foundation
import TongwenAnalysis
import TongwenTestSupport

/// Scraped pages from twelve site templates, for measuring chrome detection on templates it was
/// not tuned on (leave-templates-out): sites 0–5 are the tuning half, 6–11 the held-out half.
/// Each site has its own head and tail chrome (navigation, breadcrumb, byline, previous / next
/// links, related header and items, footer) in its script; a page holds a title, real speech
/// paragraphs from ../shared/corpus (gov-work-reports for Simplified sites, ly-interpellations for
/// Traditional ones) and often a trap: a real sentence of the corpus holding a chrome word
/// (来源, 作者, 相关, 上一…), put first or last in the body. Every fourth page is flattened to one
/// line, its pieces joined by spaces. Thirty plain pages (body only) come with them.
enum ChromeSites {
    enum Kind: String, CaseIterable, Sendable {
        case navigation, breadcrumb, byline, previous, next, relatedHeader = "related-header", relatedItem = "related-item", footer
    }

    enum Label: Equatable, Sendable { case body, trap, chrome(Kind) }

    struct Piece: Sendable {
        var text: String
        var label: Label
    }

    struct Page: Sendable {
        var id: String
        /// nil for a plain page.
        var site: Int?
        var text: String
        var pieces: [Piece]
        /// Byte range of each piece in `text`.
        var ranges: [Range<Int>]
    }

    static let siteCount = 12
    static let tuning = 0..<6, heldOut = 6..<12

    struct Context {
        var rng: SeededGenerator
        let titles: () -> String
        mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }
        mutating func pick<T>(_ a: [T]) -> T { a.randomElement(using: &rng)! }
        mutating func date(_ format: String) -> String {
            let (y, m, d, h, mi) = (int(2015...2024), int(1...12), int(1...28), int(0...23), int(0...59))
            return format.replacingOccurrences(of: "YYYY", with: String(y)).replacingOccurrences(of: "ROC", with: String(y - 1911))
                .replacingOccurrences(of: "MM", with: String(format: "%02d", m)).replacingOccurrences(of: "M", with: String(m))
                .replacingOccurrences(of: "DD", with: String(format: "%02d", d)).replacingOccurrences(of: "D", with: String(d))
                .replacingOccurrences(of: "hh", with: String(format: "%02d", h)).replacingOccurrences(of: "mm", with: String(format: "%02d", mi))
        }
    }

    typealias Chrome = (Kind, String)

    // MARK: Sites

    /// Head and tail chrome of one page of `site`.
    static func chrome(_ site: Int, _ c: inout Context) -> (head: [Chrome], tail: [Chrome]) {
        let t = c.titles
        func items(_ n: ClosedRange<Int>, _ make: (inout Context, Int) -> String) -> [Chrome] {
            (0..<c.int(n)).map { (.relatedItem, make(&c, $0)) }
        }
        switch site {
        case 0:
            return ([(.navigation, "首页 | 机构概况 | 政务公开 | 新闻中心 | 办事服务 | 互动交流"),
                     (.breadcrumb, "当前位置：首页 > 新闻中心 > 领导讲话"),
                     (.byline, "发布时间：\(c.date("YYYY-MM-DD hh:mm"))  来源：\(c.pick(["市政府办公室", "市委宣传部", "本网"]))  浏览次数：\(c.int(10...9999))")],
                    [(.previous, "上一篇：\(t())"), (.next, "下一篇：\(t())"), (.relatedHeader, "相关文章")]
                        + items(3...6) { c, _ in "· \(t())（\(c.date("YYYY-MM-DD"))）" }
                        + [(.footer, "版权所有：某某市人民政府  备案号：京ICP备\(c.int(10_000_000...99_999_999))号")])
        case 1:
            return ([(.navigation, "即時 政治 社會 生活 國際 兩岸 財經 地方"), (.breadcrumb, "首頁 » 政治 » 正文"),
                     (.byline, "（記者\(c.pick(["王小明", "林志豪", "陳怡君", "張家瑋"]))／\(c.pick(["台北", "台中", "高雄", "花蓮"]))報導）")],
                    [(.previous, "« 上一則：\(t())"), (.next, "下一則：\(t()) »"), (.relatedHeader, "延伸閱讀")]
                        + items(3...5) { c, _ in "\(t())｜\(c.date("YYYY年M月D日"))" })
        case 2:
            return ([(.breadcrumb, "您现在的位置：网站首页 > 讲话稿 > 领导讲话"),
                     (.byline, "作者：\(c.pick(["佚名", "本站编辑", "张明"]))  文章来源：本站原创  点击数：\(c.int(10...5000))  更新时间：\(c.date("YYYY/M/D"))")],
                    [(.footer, "【字体：大 中 小】【打印】【关闭窗口】"), (.previous, "上一篇文章：\(t())"), (.next, "下一篇文章：\(t())"),
                     (.relatedHeader, "相关推荐：")] + items(4...8) { _, i in "\(i + 1)、\(t())" })
        case 3:
            return ([(.navigation, "主頁 / 新聞公報 / 演辭 / 刊物 / 相片"),
                     (.byline, "發佈日期：\(c.date("YYYY年M月D日"))  瀏覽：\(c.int(1...9)),\(c.int(100...999))次")],
                    [(.previous, "上一篇 ‹ \(t())"), (.relatedHeader, "相關新聞")]
                        + items(3...6) { c, _ in "\(t()) [\(c.date("MM-DD"))]" }
                        + [(.footer, "© \(c.int(2015...2024)) 某某政府新聞網 版權所有")])
        case 4:
            return ([(.breadcrumb, "您的位置：范文网 → 演讲稿 → 讲话稿"),
                     (.byline, "时间：\(c.date("YYYY-MM-DD")) 作者：\(c.pick(["admin", "小编", "范文网"])) 阅读：\(c.int(10...999))")],
                    [(.previous, "« 上一篇: \(t())"), (.next, "下一篇: \(t()) »"), (.relatedHeader, "猜你喜欢")]
                        + items(3...6) { c, _ in "\(t()) \(c.date("YYYY.MM.DD"))" }
                        + [(.footer, "本文链接：http://www.fanwen-example.com/jianghua/\(c.int(10_000...99_999)).html")])
        case 5:
            return ([(.navigation, "論壇首頁 ｜ 精華區 ｜ 搜尋 ｜ 幫助"),
                     (.byline, "樓主：\(c.pick(["user\(c.int(100...999))", "阿明", "小花"]))  發表於 \(c.date("YYYY-M-D hh:mm"))  閱讀 \(c.int(10...9999))  回覆 \(c.int(0...99))")],
                    [(.previous, "上一主題"), (.next, "下一主題"), (.relatedHeader, "熱門文章")]
                        + items(3...5) { _, i in "\(i + 1). \(t())" } + [(.footer, "回頂部")])
        case 6:
            return ([(.breadcrumb, "新华网 > 时政 > 正文"),
                     (.byline, "\(c.date("YYYY-MM-DD hh:mm")):\(c.int(10...59)) 来源：新华网 编辑：\(c.pick(["张三", "李四", "王五"]))")],
                    [(.footer, "【纠错】 【责任编辑：\(c.pick(["王五", "赵六"]))】"), (.relatedHeader, "相关新闻")]
                        + items(3...6) { c, _ in "\(t()) \(c.date("YYYY-MM-DD hh:mm"))" } + [(.footer, "分享到：微信 微博 QQ空间")])
        case 7:
            return ([(.navigation, "首頁 ‧ 新聞稿 ‧ 演講 ‧ 活動 ‧ 聯絡我們"),
                     (.byline, "日期：\(c.date("ROC-MM-DD"))  點閱數：\(c.int(10...999))")],
                    [(.previous, "前一篇：\(t())"), (.next, "後一篇：\(t())"), (.relatedHeader, "相關連結")]
                        + items(2...5) { _, _ in "◎ \(t())" }
                        + [(.footer, "地址：台北市中正區\(c.pick(["忠孝", "青島", "濟南"]))路\(c.int(1...99))號 電話：(02)\(c.int(2000...2999))-\(c.int(1000...9999))")])
        case 8:
            return ([(.navigation, "学校概况 · 机构设置 · 教育教学 · 招生就业 · 校园文化"), (.breadcrumb, "首页 / 校园新闻 / 讲话"),
                     (.byline, "撰稿：\(c.pick(["张三", "刘洋"])) 摄影：\(c.pick(["李四", "陈晨"])) 审核：王五 发布日期：\(c.date("YYYY年MM月DD日"))")],
                    [(.previous, "上一条：\(t())"), (.next, "下一条：\(t())"), (.footer, "【关闭】"),
                     (.footer, "Copyright © \(c.int(2015...2024)) 某某学校 All Rights Reserved")])
        case 9:
            return ([(.byline, "文／\(c.pick(["王小明", "李大華", "吳佩珊"]))  圖／\(c.pick(["李大華", "本刊資料"]))"),
                     (.byline, "更新時間：\(c.date("YYYY-MM-DD hh:mm"))")],
                    [(.previous, "上一篇文章 \(t())"), (.next, "下一篇文章 \(t())"), (.relatedHeader, "推薦閱讀")]
                        + items(3...5) { c, _ in "\(t()) (\(c.date("DD/MM/YYYY")))" } + [(.footer, "分享：Facebook Twitter Line")])
        case 10:
            return ([(.breadcrumb, "首页 » 讲话稿 » 会议讲话"),
                     (.byline, "发表时间：\(c.date("YYYY-M-D")) | 浏览：\(c.int(10...9999))次 | 评论：\(c.int(0...20))条")],
                    [(.previous, "‹ 上一页"), (.next, "下一页 ›"), (.relatedHeader, "相关阅读")]
                        + items(3...6) { c, _ in "[\(c.pick(["会议讲话", "领导讲话", "致辞"]))] \(t())" }
                        + [(.footer, "声明：本站部分内容来源于网络，如有侵权请联系删除")])
        default:
            return ([(.breadcrumb, "縣府首頁 > 新聞與公告 > 縣長專區"),
                     (.byline, "發布單位：\(c.pick(["秘書處", "新聞處", "民政處"]))  發布日期：\(c.date("YYYY-MM-DD"))  更新日期：\(c.date("YYYY-MM-DD"))")],
                    [(.footer, "回上一頁"), (.relatedHeader, "相關資訊")] + items(2...4) { c, _ in "\(t()) \(c.date("YYYY-MM-DD"))" }
                        + [(.footer, "本網站著作權屬於某某縣政府 最佳瀏覽解析度1024x768")])
        }
    }

    static func isTraditional(_ site: Int) -> Bool { [1, 3, 5, 7, 9, 11].contains(site) }

    // MARK: Pages

    static let trapWords = ["来源", "作者", "相关", "上一", "下一", "首页", "编辑", "浏览", "点击", "分享", "报道", "记者", "发布", "阅读", "链接", "版权",
                            "來源", "相關", "首頁", "編輯", "瀏覽", "點擊", "報導", "記者", "發布", "閱讀", "連結", "版權"]

    static func generate() throws -> [Page] {
        var rng = SeededGenerator(seed: 20_261_202)
        let toTraditional = Transliterator("Simplified-Traditional")
        func lines(_ folder: String, _ count: Int) -> [String] {
            TestData.files(in: TestData.sharedCorpus.appendingPathComponent(folder)).prefix(count)
                .flatMap { (try? String(contentsOf: $0, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? [] }
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let simplified = lines("gov-work-reports", 80), traditional = lines("ly-interpellations", 300)
        func paragraphs(_ all: [String]) -> [String] { all.filter { (40...300).contains($0.count) && $0.hasSuffix("。") } }
        func traps(_ all: [String]) -> [String] {
            all.flatMap { $0.split(separator: "。").map { String($0) + "。" } }
                .filter { s in (15...100).contains(s.count) && trapWords.contains { s.contains($0) } && !s.contains("：") }
        }
        let bodies = (simplified: paragraphs(simplified), traditional: paragraphs(traditional))
        let trapSentences = (simplified: traps(simplified), traditional: traps(traditional))
        // Titles: 25 places × 24 meetings × 4 forms, so a page's own title rarely recurs elsewhere.
        let places = ["全市", "全区", "全县", "全省", "市委", "县委", "区委", "市政府", "全镇", "全系统", "公司", "集团", "学校", "医院", "街道",
                      "开发区", "高新区", "农业局", "教育局", "卫健委", "交通局", "财政局", "税务局", "公安局", "统计局"]
        let meetings = ["经济工作会议", "安全生产工作会议", "乡村振兴推进会", "招商引资大会", "城市管理工作会议", "优化营商环境大会",
                        "生态环境保护会议", "教育工作会议", "党风廉政建设会议", "防汛工作会议", "文明城市创建动员会", "人才工作会议",
                        "民营经济发展大会", "科技创新大会", "扶贫工作总结会", "春节团拜会", "老干部座谈会", "新春茶话会", "干部大会",
                        "年中工作推进会", "消防工作会议", "信访工作会议", "统战工作会议", "国庆招待会"]
        let forms = ["在%@上的讲话", "%@讲话稿", "在%@上的致辞", "%@主持词"]
        var pages: [Page] = []
        for site in 0..<siteCount {
            let hant = isTraditional(site)
            let pageCount = Int.random(in: 14...22, using: &rng)
            for page in 0..<pageCount {
                var titleRng = SeededGenerator(seed: UInt64(site * 1000 + page + 1))
                func title() -> String {
                    let s = String(format: forms.randomElement(using: &titleRng)!, places.randomElement(using: &titleRng)! + meetings.randomElement(using: &titleRng)!)
                    return hant ? toTraditional(s) : s
                }
                var c = Context(rng: rng, titles: title)
                let (head, tail) = chrome(site, &c)
                rng = c.rng
                var pieces = head.map { Piece(text: $0.1, label: .chrome($0.0)) }
                pieces.append(Piece(text: title(), label: .body))
                pieces += body(hant ? bodies.traditional : bodies.simplified, hant ? trapSentences.traditional : trapSentences.simplified, &rng)
                pieces += tail.map { Piece(text: $0.1, label: .chrome($0.0)) }
                pages.append(assemble("site\(site)/page\(page).txt", site: site, pieces, oneLine: page % 4 == 3))
            }
        }
        for n in 0..<30 {
            let hant = n % 2 == 1
            pages.append(assemble("plain/page\(n).txt", site: nil, body(hant ? bodies.traditional : bodies.simplified, hant ? trapSentences.traditional : trapSentences.simplified, &rng), oneLine: false))
        }
        return pages
    }

    /// 3–7 paragraphs; half of the time a trap sentence first or last.
    static func body(_ paragraphs: [String], _ traps: [String], _ rng: inout SeededGenerator) -> [Piece] {
        var pieces = (0..<Int.random(in: 3...7, using: &rng)).map { _ in Piece(text: paragraphs.randomElement(using: &rng)!, label: .body) }
        if Bool.random(using: &rng), let trap = traps.randomElement(using: &rng) {
            pieces.insert(Piece(text: trap, label: .trap), at: Bool.random(using: &rng) ? 0 : pieces.count)
        }
        return pieces
    }

    static func assemble(_ id: String, site: Int?, _ pieces: [Piece], oneLine: Bool) -> Page {
        var text = "", ranges: [Range<Int>] = []
        for piece in pieces {
            if !text.isEmpty { text += oneLine ? " " : "\n" }
            let start = text.utf8.count
            text += piece.text
            ranges.append(start..<text.utf8.count)
        }
        return Page(id: id, site: site, text: text + "\n", pieces: pieces, ranges: ranges)
    }
}
