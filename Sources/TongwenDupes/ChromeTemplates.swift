/// Page templates learned from the archive itself: chrome is what a site repeats around every page.
/// A *line* template is a zone segment whose shape (digits masked) recurs in the same zone of at
/// least ``minDocuments`` pages (`首页 | 新闻中心 | 政务公开`, `© 0 某某网 版权所有`, `相关阅读`); a *prefix*
/// template is a fixed part before a variable one that recurs so (`上一篇：`, `發佈日期：`,
/// `本文链接：`), is followed by a part that varies, and starts the body lines of fewer pages than
/// it heads zone segments in.
struct ChromeTemplates: Sendable {
    static let minDocuments = 3

    var lines: [ChromePage.Zone: [String: Int]] = [:]
    var prefixes: [ChromePage.Zone: [String: Int]] = [:]
    /// Prefixes that start body lines of several pages (`主席：`, `李委員：`): a segment they start
    /// is speech (a stage note, a short reply), never chrome.
    var speakerLabels: Set<String> = []

    /// Counts, over `pages`, in how many pages each zone shape and prefix occurs; keeps the recurring ones.
    init(learning pages: [ChromePage]) {
        var lineCounts: [ChromePage.Zone: [String: Int]] = [:], prefixCounts: [ChromePage.Zone: [String: Int]] = [:]
        var bodyCounts: [String: Int] = [:]
        var continuations: [String: Set<String>] = [:]  // shapes seen after each zone prefix, up to 2
        for page in pages {
            var seenLines = Set<String>(), seenPrefixes = Set<String>()
            for i in page.segments.indices {
                let zone = page.zones[i], shape = page.shapes[i]
                if seenLines.insert(zone.rawValue + shape).inserted { lineCounts[zone, default: [:]][shape, default: 0] += 1 }
                if let prefix = page.prefixes[i], seenPrefixes.insert(zone.rawValue + prefix).inserted {
                    prefixCounts[zone, default: [:]][prefix, default: 0] += 1
                    if continuations[zone.rawValue + prefix, default: []].count < 2 { continuations[zone.rawValue + prefix, default: []].insert(shape) }
                }
            }
            for p in page.bodyPrefixes { bodyCounts[p, default: 0] += 1 }
        }
        for (zone, counts) in lineCounts {
            lines[zone] = counts.filter { $0.value >= Self.minDocuments && $0.key.unicodeScalars.count <= 80 }
        }
        for (zone, counts) in prefixCounts {
            prefixes[zone] = counts.filter {
                $0.value >= Self.minDocuments && $0.value > bodyCounts[$0.key, default: 0] && continuations[zone.rawValue + $0.key, default: []].count >= 2
            }
        }
        speakerLabels = Set(bodyCounts.filter { $0.value >= Self.minDocuments }.keys)
    }

    func line(_ shape: String, in zone: ChromePage.Zone) -> Int? { lines[zone]?[shape] }
    func prefix(_ prefix: String, in zone: ChromePage.Zone) -> Int? { prefixes[zone]?[prefix] }

    /// Every template, the most widespread first.
    var list: [DupesReport.ChromeTemplate] {
        var all: [DupesReport.ChromeTemplate] = []
        for (zone, counts) in lines { all += counts.map { .init(kind: "line", zone: zone.rawValue, text: $0.key, documents: $0.value) } }
        for (zone, counts) in prefixes { all += counts.map { .init(kind: "prefix", zone: zone.rawValue, text: $0.key, documents: $0.value) } }
        return all.sorted { ($0.documents, $1.kind, $1.text) > ($1.documents, $0.kind, $0.text) }
    }
}
