import Foundation
import TongwenTestSupport

/// Raw HTTP over a real socket, for the tests that need one. The exchange runs on a thread of
/// its own; its receive timeout only guards against a hung server (a loaded machine running a
/// debug build may take long to answer, and that must not fail a test).
enum LiveSocket {
    static let receiveTimeoutSeconds = 600

    /// Sends `request` and returns everything the server answers until it closes ("" when the
    /// connection failed).
    static func exchange(port: Int, _ request: [UInt8]) async -> String {
        await OwnThread.run { blockingExchange(port: port, request) }
    }

    /// A GET with `Connection: close`: the response's status line and its body.
    static func get(port: Int, _ target: String) async -> (status: String, body: String) {
        let response = await exchange(port: port, Array("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
        return (response.components(separatedBy: "\r\n").first ?? "", body(response))
    }

    /// The body of a whole response.
    static func body(_ response: String) -> String {
        response.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
    }

    private static func blockingExchange(port: Int, _ request: [UInt8]) -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
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
}
