import TongwenIndex

/// The reader page of one document, for a browser (`/documents/ID` asked for as HTML, as the
/// search page's titles link to it): title, metadata, and the whole original text with the
/// query's matches marked.
enum DocumentPage {
    static func render(_ record: StoredDocument, text: String, query: String, highlights: [Range<Int>]) -> String {
        let utf8 = Array(text.utf8)
        var marked = ""
        var cursor = 0
        for h in highlights where h.lowerBound >= cursor && h.upperBound <= utf8.count {
            marked += SearchPage.escape(String(decoding: utf8[cursor..<h.lowerBound], as: UTF8.self))
            marked += "<mark>" + SearchPage.escape(String(decoding: utf8[h], as: UTF8.self)) + "</mark>"
            cursor = h.upperBound
        }
        marked += SearchPage.escape(String(decoding: utf8[cursor...], as: UTF8.self))
        let metadata = record.metadata.map { "<dt>\(SearchPage.escape($0.key))</dt><dd>\(SearchPage.escape($0.value))</dd>" }.joined()
        let back = query.isEmpty ? "/" : "/?q=\(SearchPage.encode(query))"
        let title = SearchPage.escape(record.title.isEmpty ? record.id : record.title)
        let style = """
            dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; color: #666; font-size: .9rem; }
            dd { margin: 0; } .text { white-space: pre-wrap; line-height: 1.8; }
            """
        let body = """
            <p><a href="\(back)">← 同文 Tongwen</a></p>
            <h1 id="title">\(title)</h1>
            <dl><dt>id</dt><dd id="id">\(SearchPage.escape(record.id))</dd>\(metadata)</dl>
            <div class="text" id="text">\(marked)</div>
            """
        return SearchPage.page(title: title + " — 同文 Tongwen", style: style, body: body)
    }
}
