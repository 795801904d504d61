import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOEmbedded
import Testing
@testable import TongwenServer
import TongwenTestSupport

/// The server under hostile use: raw UTF-8 request targets, a bounded search pool that answers
/// 503 at once when full and never holds up cheap requests, deadlines counted from arrival.
@Suite struct HardeningTests {
    @Test func rawUTF8InTheQueryStringIsAnsweredLikeItsPercentEncoding() async throws {
        let fixture = try ServerFixture()
        try await fixture.app().test(.live) { client in
            let port = try #require(client.port)
            let tail = Array(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
            let escaped = encoded("文明")
            let raw = await LiveSocket.exchange(port: port, Array("GET /search?q=文明&snippets=false".utf8) + tail)
            let percent = await LiveSocket.exchange(port: port, Array("GET /search?q=\(escaped)&snippets=false".utf8) + tail)
            #expect(raw.hasPrefix("HTTP/1.1 200"), "\(raw.prefix(200))")
            let a = LiveSocket.body(raw).replacingOccurrences(of: #""tookMs":[0-9.]+"#, with: "", options: .regularExpression)
            let b = LiveSocket.body(percent).replacingOccurrences(of: #""tookMs":[0-9.]+"#, with: "", options: .regularExpression)
            #expect(a == b && a.contains("\"total\":3"))
            // A body sent with a GET is passed over, and the next request on the connection still parses.
            let twice = await LiveSocket.exchange(port: port, Array("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\n体育GET /search?q=体育&limit=0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
            #expect(twice.components(separatedBy: "HTTP/1.1 200").count == 3, "\(twice)")
        }
    }

    /// The escaper alone: high bytes in request lines become %XX, headers and bodies pass unchanged.
    @Test func theEscaperRewritesOnlyRequestLines() throws {
        let channel = EmbeddedChannel(handler: RequestLineEscaper())
        var input = channel.allocator.buffer(capacity: 64)
        input.writeBytes(Array("GET /?q=文 HTTP/1.1\r\nX-Name: 文\r\nContent-Length: 3\r\n\r\n文GET /a HTTP/1.1\r\n\r\n".utf8))
        try channel.writeInbound(input)
        var out = try #require(try channel.readInbound(as: ByteBuffer.self))
        let text = out.readString(length: out.readableBytes)!
        #expect(text == "GET /?q=%E6%96%87 HTTP/1.1\r\nX-Name: 文\r\nContent-Length: 3\r\n\r\n文GET /a HTTP/1.1\r\n\r\n")
    }

    /// Counted, not timed: with every worker held and the queue full, the next job is refused at
    /// once; a job whose deadline passed while waiting is not run.
    @Test func theSearchPoolRefusesWhenFullAndSkipsExpiredJobs() async throws {
        let pool = WorkPool(name: "test", workers: 1, queueLimit: 1)
        let gate = DispatchSemaphore(value: 0)
        let holding = Task { try await pool.run { gate.wait(); return 1 } }
        while pool.started.load(ordering: .relaxed) < 1 { await Task.yield() }
        let queued = Task { try await pool.run(deadline: .now - .seconds(1)) { 2 } }
        while pool.waiting < 1 { await Task.yield() }
        await #expect(throws: WorkPool.Refusal.full) { try await pool.run { 3 } }
        gate.signal()
        #expect(try await holding.value == 1)
        await #expect(throws: WorkPool.Refusal.expired) { try await queued.value }
        #expect(pool.started.load(ordering: .relaxed) == 1)
    }

    /// The cheap lane: with every search worker held, a search that reads little still answers
    /// (on the lane's own worker), while one that reads more than the limit goes to the held pool.
    @Test func aCheapSearchAnswersWhileEverySearchWorkerIsBusy() async throws {
        let fixture = try ServerFixture()
        let cheap = ["q": "运动会", "snippets": "false"], costly = ["q": "的 OR 是 OR 在 OR 了 OR 和 OR 人"]
        let searcher = fixture.handle.searcher
        #expect(searcher.estimatedCost("运动会", filters: []) < searcher.estimatedCost("的 OR 是 OR 在 OR 了 OR 和 OR 人", filters: []))
        #expect(searcher.estimatedCost("(unbalanced", filters: []) == 0)
        var configuration = ServerConfiguration()
        configuration.queryTimeoutMilliseconds = 600_000
        configuration.cheapSearchBytes = searcher.estimatedCost("运动会", filters: [])
        let routes = Routes(configuration: configuration, handle: fixture.handle)
        #expect(routes.pool(for: cheap) === routes.cheapSearches)
        #expect(routes.pool(for: costly) === routes.searches)
        let gate = DispatchSemaphore(value: 0)
        var held: [Task<Int, any Error>] = []
        for _ in 0..<routes.searches.workers { held.append(Task { try await routes.searches.run { gate.wait(); return 0 } }) }
        while routes.searches.started.load(ordering: .relaxed) < routes.searches.workers { await Task.yield() }
        let answer = await routes.pooledRun(cheap, arrival: .now)
        #expect((try? answer.get())?.hits.first?.id == "speeches/2023-fitness-games-big5.txt")
        #expect(routes.cheapSearches.started.load(ordering: .relaxed) == 1)
        for _ in held { gate.signal() }
        for task in held { _ = try await task.value }
    }

    /// Cheap requests do not wait for searches: with every search worker held, `/health` answers.
    @Test func healthAnswersWhileEverySearchWorkerIsBusy() async throws {
        let fixture = try ServerFixture()
        let routes = Routes(configuration: ServerConfiguration(), handle: fixture.handle)
        let gate = DispatchSemaphore(value: 0)
        var held: [Task<Int, any Error>] = []
        for _ in 0..<routes.searches.workers { held.append(Task { try await routes.searches.run { gate.wait(); return 0 } }) }
        while routes.searches.started.load(ordering: .relaxed) < routes.searches.workers { await Task.yield() }
        #expect(routes.health().status == .ok)
        for _ in held { gate.signal() }
        for task in held { _ = try await task.value }
    }
}

/// A body over the limit (or chunked) is refused with 413 below the HTTP handlers and the
/// connection closed: no socket is left half-closed with data nobody reads.
@Suite struct BodyLimitTests {
    @Test func aLargeBodyIsRefusedAndTheConnectionClosed() throws {
        let channel = EmbeddedChannel(handler: RequestLineEscaper())
        var input = channel.allocator.buffer(capacity: 64)
        input.writeBytes(Array("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: \(RequestLineEscaper.maxBody + 1)\r\n\r\nxxxx".utf8))
        try channel.writeInbound(input)
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)  // nothing reaches the HTTP parser
        var out = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(out.readString(length: out.readableBytes)!.hasPrefix("HTTP/1.1 413 "))
        #expect(!channel.isActive)
    }
}
