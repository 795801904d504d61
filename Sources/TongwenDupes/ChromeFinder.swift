import TongwenAnalysis

/// Page chrome of one page: its zone segments that match a learned template (``ChromeTemplates``)
/// or have a chrome structure, united with what the fixed rules (``ChromeRules``) find. Each span
/// says what flagged it:
///
/// - `template-line (N)`, `template-prefix 上一篇： (N)`: a learned template of N pages; counted
///   only where the zone holds two chrome segments, one of them with a variable part (a structure
///   rule, a prefix template or a fixed rule), so a salutation and a title every speech of one
///   source repeats (`各位代表：`) are not chrome; a segment starting with a speaker's label
///   (``ChromeTemplates/speakerLabels``) never is;
/// - `fields`: key–value fields (`来源：… 作者：…`, or one field next to a date or time);
/// - `row`: three or more short items separated by spaces or `| · / > »` (navigation, breadcrumbs);
/// - `bracketed`: a short bracketed byline (`（記者王小明／台北報導）`);
/// - `dated-item`: in the tail, a line ending in a date (`title 2023-05-12`, `title（05-12）`);
/// - `list-run`: in the tail, three or more adjacent lines with one list marker (`1.`, `·`, `◎`);
/// - `list-item`: in the tail, after chrome, lines with the list marker of a neighbour;
/// - the fixed rules' names (`navigation`, `byline`, `related-list`, …).
enum ChromeFinder {
    static func find(_ utf8: [UInt8], page: ChromePage, templates: ChromeTemplates, analyzer: Analyzer) -> (chrome: [ChromeRules.Segment], markup: [ChromeRules.Segment]) {
        let fixed = ChromeRules.find(utf8, page.ruleCandidates, analyzer: analyzer)
        let learned = flagged(page, templates, fixed: fixed.chrome)
        return (united(learned + fixed.chrome, markup: fixed.markup), fixed.markup)
    }

    /// The page's zone segments flagged by templates and structure, same-line neighbours joined;
    /// what the fixed rules found (`fixed`) counts as chrome beside them.
    static func flagged(_ page: ChromePage, _ templates: ChromeTemplates, fixed: [ChromeRules.Segment]) -> [ChromeRules.Segment] {
        var rules = [String?](repeating: nil, count: page.segments.count)
        var learned = [String?](repeating: nil, count: page.segments.count)
        for i in page.segments.indices {
            let zone = page.zones[i], shape = page.shapes[i], s = page.segments[i]
            if let p = page.prefixes[i], templates.speakerLabels.contains(p) { continue }
            if let n = templates.line(shape, in: zone) {
                learned[i] = "template-line (\(n))"
            } else if s.characters <= 60, let p = page.prefixes[i], let n = templates.prefix(p, in: zone) {
                learned[i] = "template-prefix \(p) (\(n))"
            }
            rules[i] = structure(shape, s, zone)
        }
        listRuns(page, &rules)
        // Learned templates count where the zone holds two chrome segments, one of them with a
        // variable part (a structure rule, a prefix template or a fixed rule): a salutation and a
        // title that every speech of one source repeats are no site's template.
        for zone in [ChromePage.Zone.head, .tail] {
            let members = page.segments.indices.filter { page.zones[$0] == zone }
            func isFixed(_ i: Int) -> Bool { fixed.contains { $0.startByte < page.segments[i].bytes.upperBound && page.segments[i].bytes.lowerBound < $0.endByte } }
            let anchors = members.filter { rules[$0] != nil || learned[$0] != nil || isFixed($0) }.count
            let variable = members.contains { rules[$0] != nil || learned[$0]?.hasPrefix("template-prefix") == true || isFixed($0) }
            for i in members where rules[i] == nil && anchors >= 2 && variable { rules[i] = learned[i] }
        }
        listItems(page, &rules)
        return joined(page, rules)
    }

    /// The structure rule a zone segment matches, if any.
    static func structure(_ shape: String, _ s: ChromeSegment, _ zone: ChromePage.Zone) -> String? {
        let scalars = Array(shape.unicodeScalars)
        if s.characters <= 80, ChromeStructure.isFields(scalars) { return "fields" }
        if s.characters <= 80, ChromeStructure.isRow(scalars) { return "row" }
        if s.characters <= 30, ChromeStructure.isBracketedByline(scalars) { return "bracketed" }
        if zone == .tail, s.characters <= 60, ChromeStructure.endsWithDate(scalars) { return "dated-item" }
        return nil
    }

    /// In the tail, three or more adjacent short segments with one list marker (`1.`, `·`, `◎`).
    static func listRuns(_ page: ChromePage, _ rules: inout [String?]) {
        var i = 0
        while i < page.segments.count {
            var end = i
            let marker = ChromeStructure.listMarker(page.shapes[i])
            while end < page.segments.count, marker != nil, page.zones[end] == .tail, page.segments[end].characters <= 60,
                  end == i || page.segments[end].ordinal == page.segments[end - 1].ordinal + 1,
                  ChromeStructure.listMarker(page.shapes[end]) == marker { end += 1 }
            if end - i >= 3 { for k in i..<end where rules[k] == nil { rules[k] = "list-run" } }
            i = max(end, i + 1)
        }
    }

    /// In the tail, after a flagged segment, segments sharing a list marker with a neighbour.
    static func listItems(_ page: ChromePage, _ rules: inout [String?]) {
        var afterChrome = false
        for i in page.segments.indices {
            let shape = page.shapes[i]
            guard page.zones[i] == .tail else { afterChrome = false; continue }
            if rules[i] != nil { afterChrome = true; continue }
            guard afterChrome, page.segments[i].characters <= 60, let marker = ChromeStructure.listMarker(shape) else { continue }
            let neighbours = [i - 1, i + 1].filter {
                page.segments.indices.contains($0) && page.zones[$0] == .tail && abs(page.segments[$0].ordinal - page.segments[i].ordinal) == 1
            }
            if neighbours.contains(where: { ChromeStructure.listMarker(page.shapes[$0]) == marker }) { rules[i] = "list-item" }
        }
    }

    /// Flagged segments as spans, consecutive ones of one line joined.
    static func joined(_ page: ChromePage, _ rules: [String?]) -> [ChromeRules.Segment] {
        var result: [ChromeRules.Segment] = []
        var previous: ChromeSegment?
        for (i, rule) in rules.enumerated() {
            guard let rule else { continue }
            let s = page.segments[i]
            defer { previous = s }
            if let p = previous, p.ordinal == s.ordinal - 1, p.line == s.line, var last = result.popLast() {
                last.endByte = s.bytes.upperBound
                if !last.rule.split(separator: "+").contains(Substring(rule)) { last.rule += "+" + rule }
                result.append(last)
            } else {
                result.append(ChromeRules.Segment(startByte: s.bytes.lowerBound, endByte: s.bytes.upperBound, rule: rule))
            }
        }
        return result
    }

    /// Overlapping spans as one, their rules joined; markup wins over chrome where they overlap.
    static func united(_ spans: [ChromeRules.Segment], markup: [ChromeRules.Segment]) -> [ChromeRules.Segment] {
        var result: [ChromeRules.Segment] = []
        for s in spans.sorted(by: { ($0.startByte, $0.endByte) < ($1.startByte, $1.endByte) }) {
            if markup.contains(where: { $0.startByte < s.endByte && s.startByte < $0.endByte }) { continue }
            if var last = result.last, s.startByte < last.endByte {
                last.endByte = max(last.endByte, s.endByte)
                for r in s.rule.split(separator: "+") where !last.rule.split(separator: "+").contains(r) { last.rule += "+" + r }
                result[result.count - 1] = last
            } else {
                result.append(s)
            }
        }
        return result
    }
}
