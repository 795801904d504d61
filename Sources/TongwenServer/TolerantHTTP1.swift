import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

extension HTTPServerBuilder {
    /// HTTP/1.1 as Hummingbird serves it, with two additions in front of the parser: bytes ≥ 0x80
    /// in a request line are percent-encoded (`curl 'http://…/search?q=文明'` sends raw UTF-8, which
    /// the parser would refuse with an empty 400), and a connection idle for `idleTimeout` is closed.
    static func tolerantHTTP1(idleTimeout: Duration) -> HTTPServerBuilder {
        .init { responder in
            let nanoseconds = idleTimeout.components.seconds * 1_000_000_000 + idleTimeout.components.attoseconds / 1_000_000_000
            return TolerantHTTP1Channel(inner: HTTP1Channel(responder: responder, configuration: .init(idleTimeout: .nanoseconds(nanoseconds))))
        }
    }
}

/// ``HTTP1Channel`` with ``RequestLineEscaper`` first in the pipeline.
struct TolerantHTTP1Channel: HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value
    let inner: HTTP1Channel

    var responder: HTTPChannelHandler.Responder { inner.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(RequestLineEscaper())
        }.flatMap { inner.setup(channel: channel, logger: logger) }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// Percent-encodes bytes ≥ 0x80 in each request line, before the HTTP parser sees it. It follows
/// the framing to know where request lines are: headers end at an empty line, then
/// `Content-Length` bytes of body are passed through. This read-only server needs no body: one
/// over ``maxBody`` bytes, or chunked, is answered 413 at once and the connection closed, so no
/// client can leave a socket half-closed with megabytes nobody reads.
final class RequestLineEscaper: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private enum State { case requestLine, headers, body(Int), passThrough }
    private var state = State.requestLine
    private var line: [UInt8] = []  // the header line being read
    private var contentLength = 0
    private var chunked = false
    static let maxBody = 64 << 10
    private static let hex = Array("0123456789ABCDEF".utf8)

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var input = unwrapInboundIn(data)
        if case .passThrough = state {
            if chunked || contentLength > Self.maxBody { return }  // refused: the rest is dropped
            context.fireChannelRead(data)
            return
        }
        var output = context.channel.allocator.buffer(capacity: input.readableBytes + 16)
        while input.readableBytes > 0 {
            switch state {
            case .passThrough:
                output.writeBuffer(&input)
            case let .body(remaining):
                let n = min(remaining, input.readableBytes)
                var slice = input.readSlice(length: n)!
                output.writeBuffer(&slice)
                state = remaining - n == 0 ? .requestLine : .body(remaining - n)
            case .requestLine:
                let byte = input.readInteger(as: UInt8.self)!
                if byte >= 0x80 {
                    output.writeBytes([UInt8(ascii: "%"), Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 15)]])
                } else {
                    output.writeInteger(byte)
                    if byte == UInt8(ascii: "\n") {
                        state = .headers
                        line.removeAll(keepingCapacity: true)
                        contentLength = 0
                        chunked = false
                    }
                }
            case .headers:
                let byte = input.readInteger(as: UInt8.self)!
                output.writeInteger(byte)
                guard byte == UInt8(ascii: "\n") else {
                    if line.count < 256 { line.append(byte) }
                    continue
                }
                if headerLineEnded() {
                    refuse(context)
                    return
                }
            }
        }
        context.fireChannelRead(wrapInboundOut(output))
    }

    /// Answers 413 below the HTTP handlers and closes the connection.
    private func refuse(_ context: ChannelHandlerContext) {
        state = .passThrough
        let body = #"{"error":{"message":"request bodies are not accepted (at most \#(Self.maxBody) bytes, not chunked): this server only reads"}}"#
        let head = "HTTP/1.1 413 Content Too Large\r\nContent-Type: application/json; charset=utf-8\r\nAccess-Control-Allow-Origin: *\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        var buffer = context.channel.allocator.buffer(capacity: head.utf8.count + body.utf8.count)
        buffer.writeString(head + body)
        let channel = context.channel
        context.writeAndFlush(NIOAny(buffer)).whenComplete { _ in channel.close(promise: nil) }
    }

    /// Ends a header line; true when the request must be refused (a body too large or chunked).
    private func headerLineEnded() -> Bool {
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        if line.isEmpty {
            if chunked || contentLength > Self.maxBody { return true }
            state = contentLength > 0 ? .body(contentLength) : .requestLine
            return false
        }
        let text = String(decoding: line, as: UTF8.self).lowercased()
        if text.hasPrefix("content-length:") {
            contentLength = Int(text.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0
        } else if text.hasPrefix("transfer-encoding:") {
            chunked = true
        }
        line.removeAll(keepingCapacity: true)
        return false
    }
}
