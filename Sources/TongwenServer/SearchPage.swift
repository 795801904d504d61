import Foundation
import TongwenSearch

/// The search page at `/`: a form, the results rendered on the server (so it works without
/// JavaScript and without the CLI), highlighted snippets in the original script, and paging.
enum SearchPage {
    static func escape(_ s: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Percent-encodes a query parameter value (everything but unreserved ASCII).
    static func encode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }

    /// A whole page: `title` and `body` already HTML; the shared style (fonts, width, marks) first.
    static func page(title: String, style: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="zh">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title>
        <style>
        body { font-family: system-ui, "Noto Sans CJK SC", "Noto Sans CJK TC", sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
        mark { background: #ffe28a; }
        \(style)
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>
        """
    }

    static func snippetHTML(_ snippet: Snippet) -> String {
        let utf8 = Array(snippet.text.utf8)
        var html = ""
        var cursor = 0
        for h in snippet.highlights where h.startByte >= cursor {
            html += escape(String(decoding: utf8[cursor..<h.startByte], as: UTF8.self))
            html += "<mark>" + escape(String(decoding: utf8[h.startByte..<h.endByte], as: UTF8.self)) + "</mark>"
            cursor = h.endByte
        }
        return html + escape(String(decoding: utf8[cursor...], as: UTF8.self))
    }

    static func render(query: String, results: SearchResults?, error: String?, pageSize: Int) -> String {
        var body = """
            <form method="get" action="/" role="search">
            <input type="search" name="q" value="\(escape(query))" placeholder="搜索 / 搜尋 — 处理, &quot;全國文明城市&quot;, title:讲话 date:2019..2021" autofocus>
            <button type="submit">搜索</button>
            </form>
            """
        if let error {
            body += "<p class=\"error\" id=\"error\">\(escape(error))</p>"
        }
        if let results {
            let first = results.offset + 1, last = results.offset + results.hits.count
            body += "<p class=\"summary\" id=\"summary\">\(results.total) 条结果 / results"
                + (results.hits.isEmpty ? "" : " · \(first)–\(last)") + " · \(String(format: "%.2f", results.tookMs)) ms</p>"
            body += "<ol class=\"hits\" start=\"\(first)\">"
            for hit in results.hits {
                body += "<li class=\"hit\"><a class=\"title\" href=\"/documents/\(hit.id.split(separator: "/").map { encode(String($0)) }.joined(separator: "/"))?q=\(encode(query))\">\(escape(hit.title.isEmpty ? hit.id : hit.title))</a>"
                body += "<div class=\"meta\">\(escape(hit.id))" + (hit.metadata["date"].map { " · " + escape($0) } ?? "")
                    + (hit.metadata["speaker"].map { " · " + escape($0) } ?? "")
                    + (hit.boilerplateOnly ? " · only in boilerplate" : "") + "</div>"
                for snippet in hit.snippets { body += "<p class=\"snippet\">\(snippetHTML(snippet))</p>" }
                body += "</li>"
            }
            body += "</ol><nav class=\"pages\">"
            if results.offset > 0 {
                body += "<a rel=\"prev\" href=\"/?q=\(encode(query))&amp;offset=\(max(0, results.offset - pageSize))\">← 上一页</a> "
            }
            if results.offset + results.hits.count < results.total {
                body += "<a rel=\"next\" href=\"/?q=\(encode(query))&amp;offset=\(results.offset + pageSize)\">下一页 →</a>"
            }
            body += "</nav>"
        }
        let style = """
            form { display: flex; gap: .5rem; } input[type=search] { flex: 1; font-size: 1.1rem; padding: .4rem; }
            button { font-size: 1.1rem; } .summary, .meta { color: #666; font-size: .9rem; }
            .hit { margin: 1.2rem 0; } .title { font-size: 1.1rem; } .snippet { margin: .3rem 0; line-height: 1.6; }
            .error { color: #b00020; } .pages a { margin-right: 1rem; }
            """
        return page(title: (query.isEmpty ? "" : escape(query) + " — ") + "同文 Tongwen", style: style, body: "<h1>同文 Tongwen</h1>\n" + body)
    }
}
