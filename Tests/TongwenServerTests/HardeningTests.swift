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
    /// One raw request over a socket: the whole response.
    static func raw(port: Int, _ request: [UInt8]) -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return "" }
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        return String(decoding: response, as: UTF8.self)
    }

    /// The same, on a GCD thread: blocking socket calls must not hold Swift's cooperative
    /// threads, which the server's own handlers need.
    static func rawOffPool(port: Int, _ request: [UInt8]) async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: raw(port: port, request)) }
        }
    }

    static func body(_ response: String) -> String {
        response.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
    }

    @Test func rawUTF8InTheQueryStringIsAnsweredLikeItsPercentEncoding() async throws {
        let fixture = try ServerFixture()
        try await fixture.app().test(.live) { client in
            let port = try #require(client.port)
            let tail = Array(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
            let escaped = encoded("文明")
            let raw = await Self.rawOffPool(port: port, Array("GET /search?q=文明&snippets=false".utf8) + tail)
            let percent = await Self.rawOffPool(port: port, Array("GET /search?q=\(escaped)&snippets=false".utf8) + tail)
            #expect(raw.hasPrefix("HTTP/1.1 200"), "\(raw.prefix(200))")
            let a = Self.body(raw).replacingOccurrences(of: #""tookMs":[0-9.]+"#, with: "", options: .regularExpression)
            let b = Self.body(percent).replacingOccurrences(of: #""tookMs":[0-9.]+"#, with: "", options: .regularExpression)
            #expect(a == b && a.contains("\"total\":3"))
            // A body sent with a GET is passed over, and the next request on the connection still parses.
            let twice = await Self.rawOffPool(port: port, Array("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\n体育GET /search?q=体育&limit=0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
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
