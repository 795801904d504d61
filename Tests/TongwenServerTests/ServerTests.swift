import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TongwenIndex
import TongwenSearch
@testable import TongwenServer
import TongwenTestSupport

/// A server over the sample speeches (ids like `speeches/2019-….txt`, so ids contain slashes).
final class ServerFixture: Sendable {
    let directory = NSTemporaryDirectory() + "tongwen-server-" + UUID().uuidString
    let handle: IndexHandle

    init() throws {
        try IndexBuilding.index(TestData.files(in: TestData.indexData.appendingPathComponent("speeches")), root: TestData.indexData, into: directory)
        handle = try IndexHandle(directory: directory)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func app(_ configure: (inout ServerConfiguration) -> Void = { _ in }) -> some ApplicationProtocol {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        // A loaded machine running a debug build must not turn searches into 503s: tests about
        // the deadline set their own.
        configuration.queryTimeoutMilliseconds = 600_000
        // Nor close a connection whose answer waits behind tests queued on the cooperative pool.
        configuration.idleTimeout = .seconds(600)
        configure(&configuration)
        return buildApplication(configuration, handle: handle)
    }
}

struct ErrorBody: Decodable {
    struct Detail: Decodable { var message: String; var column: Int?; var parameter: String? }
    var error: Detail
}

struct SearchBody: Decodable {
    struct Hit: Decodable {
        struct Snippet: Decodable {
            struct Highlight: Decodable { var start: Int; var end: Int; var startByte: Int; var endByte: Int }
            var text: String; var highlights: [Highlight]
        }
        var id: String; var title: String; var score: Double; var metadata: [String: String]; var snippets: [Snippet]
    }
    var query: String; var total: Int; var offset: Int; var limit: Int; var tookMs: Double; var hits: [Hit]
}

func decode<T: Decodable>(_ type: T.Type, _ buffer: ByteBuffer) throws -> T {
    try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
}

func encoded(_ s: String) -> String { SearchPage.encode(s) }

@Suite(.serialized) struct ServerRouteTests {
    let fixture = try! ServerFixture()

    @Test func healthStatsAndCORS() async throws {
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { (response) async throws in
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == "*")
                #expect(String(buffer: response.body).contains("\"documents\":7"))
            }
            try await client.execute(uri: "/stats", method: .get) { (response) async throws in
                #expect(response.status == .ok)
                let stats = try decode(IndexStatistics.self, response.body)
                #expect(stats.documents == 7 && stats.segments >= 1 && stats.terms > 500)
            }
        }
    }

    @Test func searchSpeaksTheCLIsJSONWithChineseInTheQueryString() async throws {
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/search?q=\(encoded("處理"))&limit=2", method: .get) { (response) async throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                let body = try decode(SearchBody.self, response.body)
                #expect(body.query == "處理" && body.total == 4 && body.hits.count == 2 && body.limit == 2)
                #expect(body.hits.allSatisfy { !$0.snippets.isEmpty })
            }
            // `+` is a space; filters as parameters; paging.
            try await client.execute(uri: "/search?q=\(encoded("文明"))+\(encoded("城市"))&date=2019..2020&offset=1&snippets=false", method: .get) { (response) async throws in
                let body = try decode(SearchBody.self, response.body)
                #expect(body.total == 2 && body.offset == 1 && body.hits.count == 1)
                #expect(body.hits[0].snippets.isEmpty)
            }
            try await client.execute(uri: "/search?speaker=nobody", method: .get) { (response) async throws in
                #expect(response.status == .ok)
                #expect(try decode(SearchBody.self, response.body).total == 0)
            }
            // explain=true: each hit's score broken into parts, the root's value the score.
            try await client.execute(uri: "/search?q=\(encoded("文明"))+\(encoded("城市"))&explain=true&limit=1", method: .get) { (response) async throws in
                let body = String(buffer: response.body)
                #expect(body.contains("\"explanation\":{") && body.contains("proximity: all 2 terms"), "\(body)")
            }
            try await client.execute(uri: "/search?q=a&explain=yes", method: .get) { (response) async throws in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func documentsAnalyzeAndThePage() async throws {
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/documents/speeches/2023-fitness-games-big5.txt", method: .get) { (response) async throws in
                #expect(response.status == .ok)
                let body = String(buffer: response.body)
                #expect(body.contains("全民健身運動會") && body.contains("\"encoding\":\"Big5\""))
            }
            try await client.execute(uri: "/documents/\(encoded("speeches"))/\(encoded("2020-rule-of-law-hant.txt"))", method: .get) { (response) async throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            }
            // A browser following a result's title gets the reader page, the query's matches marked.
            try await client.execute(uri: "/documents/speeches/2020-rule-of-law-hant.txt?q=\(encoded("处理"))", method: .get,
                                     headers: [.accept: "text/html,application/xhtml+xml"]) { (response) async throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let html = String(buffer: response.body)
                #expect(html.components(separatedBy: "<mark>處理</mark>").count - 1 == 1)
                #expect(html.contains("<dd id=\"id\">speeches/2020-rule-of-law-hant.txt</dd>"))
                #expect(html.contains("href=\"/?q=\(encoded("处理"))\""))
            }
            try await client.execute(uri: "/analyze?text=\(encoded("在創(chuàng)建全國文明城市"))", method: .get) { (response) async throws in
                #expect(response.status == .ok)
                let body = String(buffer: response.body)
                #expect(body.contains("\"normalized\":\"在创建全国文明城市\"") && body.contains("\"text\":\"创建\""))
            }
            try await client.execute(uri: "/", method: .get) { (response) async throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(String(buffer: response.body).contains("<form"))
            }
            try await client.execute(uri: "/?q=\(encoded("处理"))", method: .get) { (response) async throws in
                let html = String(buffer: response.body)
                #expect(html.contains("4 条结果"))
                #expect(html.contains("<mark>處理</mark>"))
                #expect(!html.contains("http://") && !html.contains("https://"))  // no external assets
            }
        }
    }

    /// Every error a client can cause: 4xx with a JSON body, never a 500.
    @Test(arguments: [
        ("/search?q=\(encoded("处理 (文明"))", 400, "unbalanced parenthesis"),
        ("/search?q=\(encoded("\"全国"))", 400, "unbalanced quote"),
        ("/search?q=", 400, "missing query"),
        ("/search", 400, "missing query"),
        ("/search?q=a&offset=-1", 400, "'offset' must be"),
        ("/search?q=a&limit=101", 400, "'limit' must be"),
        ("/search?q=a&limit=ten", 400, "'limit' must be"),
        ("/search?q=a&snippets=maybe", 400, "'snippets' must be"),
        ("/search?q=a&collapse=2", 400, "'collapse' must be"),
        ("/search?q=%E5%A4", 400, "not valid UTF-8"),
        ("/search?q=%FF", 400, "not valid UTF-8"),
        ("/search?q=%G1", 400, "invalid percent-escape"),
        ("/search?q=abc%", 400, "invalid percent-escape"),
        ("/search?q=a&date=2019..20x0", 400, "bad date"),
        ("/search?q=" + String(repeating: "a", count: 1_001), 414, "query too long"),
        ("/search?q=" + String(repeating: "a", count: 9_000), 414, "request target longer"),
        ("/documents/nope.txt", 404, "no document with id 'nope.txt'"),
        ("/documents/%FF", 400, "not valid"),
        ("/documents/../../etc/passwd", 404, "no document with id"),
        ("/analyze", 400, "missing 'text'"),
        ("/no/such/route", 404, "Not Found"),
    ])
    func errorsAreClientErrorsWithAMessage(uri: String, status: Int, message: String) async throws {
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: uri, method: .get) { (response) async throws in
                #expect(response.status.code == status, "\(uri.prefix(80)): \(String(buffer: response.body).prefix(200))")
                #expect(response.headers[.accessControlAllowOrigin] == "*")
                let body = try decode(ErrorBody.self, response.body)
                #expect(body.error.message.contains(message), "\(uri.prefix(80)): \(body.error.message)")
            }
        }
    }

    @Test func duplicatesAndCollapse() async throws {
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/duplicates", method: .get) { (response) async throws in
                #expect(response.status == .ok)
                let body = String(buffer: response.body)
                #expect(body.contains("\"kind\":\"boilerplate\"") && body.contains("\"nearDuplicates\":[{"))
            }
            // A page of one passage says where the next starts; a passage in full has its text.
            try await client.execute(uri: "/duplicates?limit=1", method: .get) { (response) async throws in
                let body = String(buffer: response.body)
                #expect(body.contains("\"next\":1") && body.contains("\"id\":1,") && !body.contains("\"id\":2,"))
            }
            try await client.execute(uri: "/duplicates/1", method: .get) { (response) async throws in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"text\":\""))
            }
            try await client.execute(uri: "/duplicates/999", method: .get) { (response) async throws in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/duplicates/x", method: .get) { (response) async throws in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/search?q=\(encoded("创建"))&collapse=true&snippets=false", method: .get) { (response) async throws in
                let body = try decode(SearchBody.self, response.body)
                #expect(body.total == 2)
                #expect(String(buffer: response.body).contains("\"similarVersions\":[\"speeches/2019-civilization-city-republished.txt\"]"))
            }
        }
    }

    @Test func malformedQueriesGiveTheColumn() async throws {
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/search?q=\(encoded("处理 OR"))", method: .get) { (response) async throws in
                let body = try decode(ErrorBody.self, response.body)
                #expect(body.error.column == 4 && body.error.parameter == "q")
            }
        }
    }

    @Test func aSlowQueryIsCutOffByTheDeadline() async throws {
        try await fixture.app { $0.queryTimeoutMilliseconds = 0.000_001 }.test(.router) { client in
            try await client.execute(uri: "/search?q=\(encoded("处理"))", method: .get) { (response) async throws in
                #expect(response.status == .serviceUnavailable)
                #expect(try decode(ErrorBody.self, response.body).error.message.contains("longer than"))
            }
        }
    }

    /// A new commit is picked up without a restart; a request that took the old searcher finishes on it.
    @Test func reloadSwitchesToTheNewCommit() async throws {
        let old = fixture.handle.searcher
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/search?q=\(encoded("热气球"))", method: .get) { (response) async throws in
                #expect(try decode(SearchBody.self, response.body).total == 0)
            }
            let writer = try IndexWriter(directory: fixture.directory)
            try writer.add(IndexDocument(id: "new/balloon.txt", title: "热气球节致辞", text: "热气球节致辞\n欢迎各位来到热气球节。", source: "x", contentHash: 1))
            try writer.commit()
            #expect(fixture.handle.reloadIfChanged())
            #expect(!fixture.handle.reloadIfChanged())
            try await client.execute(uri: "/search?q=\(encoded("熱氣球"))", method: .get) { (response) async throws in
                let body = try decode(SearchBody.self, response.body)
                #expect(body.total == 1 && body.hits.first?.id == "new/balloon.txt")
            }
        }
        #expect(try old.search("热气球").total == 0)  // the old snapshot still answers, unchanged
    }

    /// Shards served as one: a commit to either of them is picked up, once.
    @Test func aCommitToOneShardIsPickedUpByTheHandle() throws {
        let second = NSTemporaryDirectory() + "tongwen-server-shard-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: second) }
        let writer = try IndexWriter(directory: second)
        try writer.add(IndexDocument(id: "shard/one.txt", title: "城市", text: "城市支持农村", source: "x", contentHash: 2))
        try writer.commit()
        let handle = try IndexHandle(shards: [fixture.directory, second])
        let before = handle.searcher.snapshot.documentCount
        #expect(!handle.reloadIfChanged())
        try writer.add(IndexDocument(id: "shard/balloon.txt", title: "热气球", text: "热气球节致辞", source: "x", contentHash: 3))
        try writer.commit()
        #expect(handle.reloadIfChanged())
        #expect(!handle.reloadIfChanged())
        #expect(handle.searcher.snapshot.documentCount == before + 1)
        #expect(try handle.searcher.search("熱氣球").hits.map(\.id) == ["shard/balloon.txt"])
    }
}

/// Acceptance: a fuzz pass over the query string (random bytes, huge values, invalid
/// percent-escapes; 10,000+ requests) leaves the server up with no 5xx.
@Suite struct ServerFuzzTests {
    @Test func tenThousandHostileRequestsGetNo5xx() async throws {
        let fixture = try ServerFixture()
        var rng = SeededGenerator(seed: 77)
        let pieces = ["%", "%G", "%E5", "%E5%A4", "%FF", "%00", "+", "&", "=", "q=", "limit=", "offset=-", "date=", "\"", "%22", "(", ")", "处理",
                      encoded("處理"), encoded("\"全国"), "OR", "NOT", "-", "*", "~3", "%C0%AF", "%F4%90%80%80", "speaker=", "snippets=1", "..", "/", "%2F"]
        var uris: [String] = []
        for i in 0..<10_000 {
            var query = ""
            switch i % 4 {
            case 0:
                query = (0..<Int.random(in: 1...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            case 1:
                query = "q=" + (0..<Int.random(in: 1...40, using: &rng)).map { _ in String(format: "%%%02X", UInt8.random(in: 0...255, using: &rng)) }.joined()
            case 2:
                query = "q=" + String(repeating: pieces.randomElement(using: &rng)!, count: Int.random(in: 100...3_000, using: &rng))
            default:
                query = "q=" + String((0..<Int.random(in: 1...30, using: &rng)).map { _ in Character(Unicode.Scalar(UInt8.random(in: 0x21...0x7E, using: &rng))) })
                    .replacingOccurrences(of: "#", with: "%23")
            }
            uris.append(["/search?", "/?", "/analyze?text=", "/documents/"].randomElement(using: &rng)! + query)
        }
        try await fixture.app().test(.router) { [uris] client in
            var statuses: [Int: Int] = [:]
            var unexplained: [String] = []
            for uri in uris {
                let code = try await client.execute(uri: uri, method: .get) { (response) async throws -> Int in
                    // An error says what was wrong: a JSON body with a message (the page: HTML).
                    let code = Int(response.status.code)
                    let page = uri.hasPrefix("/?")
                    let body = String(buffer: response.body)
                    let explained = body.contains("\"message\":") || (page && body.contains("class=\"error\""))
                    if code >= 400 && !explained { unexplained.append("\(code) \(uri.prefix(80))") }
                    return code
                }
                statuses[code, default: 0] += 1
            }
            #expect(statuses.keys.allSatisfy { $0 < 500 }, "\(statuses)")
            #expect(statuses[400, default: 0] > 0 && statuses[200, default: 0] > 0, "\(statuses)")
            #expect(unexplained.isEmpty, "\(unexplained.count) errors without a message, e.g. \(unexplained.prefix(3))")
            try await client.execute(uri: "/health", method: .get) { (response) async throws in
                #expect(response.status == .ok)
            }
        }
    }
}

/// One end-to-end test over a real socket, and the page in headless Chromium.
@Suite struct ServerLiveTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test func answersOverARealSocket() async throws {
        let fixture = try ServerFixture()
        try await fixture.app().test(.live) { client in
            let port = try #require(client.port)
            let (status, body) = await LiveSocket.get(port: port, "/search?q=\(encoded("运动会"))")
            #expect(status == "HTTP/1.1 200 OK")
            #expect(try JSONDecoder().decode(SearchBody.self, from: Data(body.utf8)).hits.first?.id == "speeches/2023-fitness-games-big5.txt")
        }
    }

    @Test(.enabled(if: chromium != nil, "needs Debian's chromium (installed by .ci/run)"))
    func thePageShowsResultsInHeadlessChromium() async throws {
        let fixture = try ServerFixture()
        try await fixture.app().test(.live) { client in
            let port = try #require(client.port)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.chromium!)
            process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--virtual-time-budget=3000",
                                 "--user-data-dir=" + NSTemporaryDirectory() + "tongwen-chromium-" + UUID().uuidString,
                                 "--dump-dom", "http://127.0.0.1:\(port)/?q=\(encoded("處理"))"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            let dom = await OwnThread.run { () -> String in
                let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                return dom
            }
            #expect(dom.contains("<li class=\"hit\">"))
            #expect(dom.components(separatedBy: "<li class=\"hit\">").count - 1 == 4)
            #expect(dom.contains("<mark>處理</mark>") && dom.contains("<mark>处理</mark>"))
            #expect(dom.contains("value=\"處理\""))
        }
    }
}
