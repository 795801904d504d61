import Foundation
import TongwenSearch

#if canImport(Glibc)
import Glibc
#endif

/// Issue "query server": `wrk` (Debian's) against `/search` on the benchmark-corpus index with a
/// mix of sampled queries — throughput, p99, non-2xx and socket errors, RSS after warm-up and after
/// the run — then the same load while `tongwen index` commits a new version.
enum ServerBench {
    static func run(index: String, corpus: Corpus, inputs: [String], seconds: Int = 30) {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else {
            print("server: skipped (wrk not installed: apt-get install wrk)")
            return
        }
        let bin = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tongwen").path
        let port = 20_000 + Int(getpid() % 20_000)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: bin)
        server.arguments = ["serve", "--index", index, "--port", "\(port)"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        guard (try? server.run()) != nil else { print("server: cannot start \(bin)"); return }
        defer { server.terminate(); server.waitUntilExit() }
        let base = "http://127.0.0.1:\(port)"
        for _ in 0..<100 where get(base + "/health") == nil { Thread.sleep(forTimeInterval: 0.1) }

        let script = FileManager.default.temporaryDirectory.appendingPathComponent("tongwen-wrk-\(getpid()).lua").path
        let queries = QueryBench.sample(corpus, perClass: 60).flatMap(\.queries)
        let lua = "local q = {" + queries.map { "\"" + percentEncode($0) + "\"" }.joined(separator: ",") + "}\n"
            + "local i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format(\"GET\", \"/search?limit=10&q=\" .. q[(i % #q) + 1])\nend\n"
            // Statuses counted per thread, printed at the end ("statuses 200:n 503:m").
            + "local threads = {}\nfunction setup(thread) table.insert(threads, thread) end\n"
            + "function init(args) counts = {} end\n"
            + "function response(status, headers, body) counts[status] = (counts[status] or 0) + 1 end\n"
            + "function done(summary, latency, requests)\n  local all = {}\n"
            + "  for _, t in ipairs(threads) do for k, v in pairs(t:get(\"counts\")) do all[k] = (all[k] or 0) + v end end\n"
            + "  io.write(\"statuses\")\n  for k, v in pairs(all) do io.write(\" \", k, \":\", v) end\n  io.write(\"\\n\")\nend\n"
        try? lua.write(toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }

        print("server (wrk, 64 connections, \(queries.count) sampled queries with snippets):")
        _ = wrk(base, script: script, seconds: 5)  // warm-up
        let warm = rssMB(server.processIdentifier)
        let load = wrk(base, script: script, seconds: seconds)
        let after = rssMB(server.processIdentifier)
        print("  \(seconds) s: \(load.summary)")
        print("  RSS after warm-up \(String(format: "%.0f", warm)) MB, after the run \(String(format: "%.0f", after)) MB (\(String(format: "%+.1f", 100 * (after - warm) / max(warm, 1))) %, target within ±20 %)")

        // Reload under load: add speeches with a marker word and commit while wrk runs.
        let extra = FileManager.default.temporaryDirectory.appendingPathComponent("tongwen-reload-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: extra, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: extra) }
        for i in 0..<20 { try? "热气球节第\(i)届开幕致辞\n欢迎各位来到热气球节。".write(toFile: extra + "/balloon-\(i).txt", atomically: true, encoding: .utf8) }
        let before = get(base + "/health") ?? ""
        let found = get(base + "/search?snippets=false&q=" + percentEncode("热气球节")) ?? ""
        let background = startWrk(base, script: script, seconds: 15)
        Thread.sleep(forTimeInterval: 3)
        let indexRun = IndexBench.tongwen(["index"] + inputs + [extra, "--index", index, "--quiet"])
        let reload = finishWrk(background)
        Thread.sleep(forTimeInterval: 1)
        let afterHealth = get(base + "/health") ?? ""
        let foundAfter = get(base + "/search?snippets=false&q=" + percentEncode("热气球节")) ?? ""
        print("  reload under load: re-index took \(Figures.s(indexRun.seconds)) s (status \(indexRun.status)); \(reload.summary)")
        print("    before: \(before) marker hits \(total(found)); after: \(afterHealth) marker hits \(total(foundAfter)) (switched: \(total(foundAfter) == 20 ? "yes" : "NO"))")
        socketFuzz(port: port, requests: 10_000)
        print("    after the fuzz: /health \(get(base + "/health") != nil ? "answers" : "DOES NOT ANSWER")")
        // Put the index back as the corpus alone.
        _ = IndexBench.tongwen(["index"] + inputs + ["--index", index, "--quiet", "--prune"])
    }

    /// Raw HTTP/1.1 requests over TCP whose targets carry random bytes, invalid escapes and huge
    /// values; counts the status codes (0 = the server closed without answering, as it does for
    /// a request line its HTTP parser rejects).
    static func socketFuzz(port: Int, requests: Int) {
        var rng = BenchRandom(seed: 99)
        var statuses: [Int: Int] = [:]
        let pieces: [[UInt8]] = ["%", "%G", "%E5%A4", "%FF", "+", "&", "=", "q=", "limit=-1", "date=20x1", "\"", "(", "处理", "%E5%A4%84", "OR", "*", "~"].map { Array($0.utf8) }
        let start = Clock.now
        for i in 0..<requests {
            var target: [UInt8] = Array(["/search?q=", "/?q=", "/analyze?text=", "/documents/"][i % 4].utf8)
            switch i % 3 {
            case 0: for _ in 0..<(1 + Int(rng.next() % 20)) { target += pieces[Int(rng.next() % UInt64(pieces.count))] }
            case 1: for _ in 0..<(1 + Int(rng.next() % 60)) { target.append(UInt8(truncatingIfNeeded: rng.next() % 256)) }
            default: target += [UInt8](repeating: UInt8(ascii: "a") + UInt8(rng.next() % 26), count: 100 + Int(rng.next() % 20_000))
            }
            // Bytes that would end the request line early are escaped; everything else goes raw.
            target = target.flatMap { b -> [UInt8] in b == 0x20 || b == 0x0D || b == 0x0A ? Array(String(format: "%%%02X", b).utf8) : [b] }
            statuses[rawRequest(port: port, target: target), default: 0] += 1
        }
        let elapsed = Clock.since(start)
        let summary = statuses.sorted { $0.key < $1.key }.map { "\($0.key == 0 ? "closed" : String($0.key)): \($0.value)" }.joined(separator: ", ")
        print("  socket fuzz: \(requests) raw requests in \(Figures.s(elapsed)) s — \(summary); 5xx: \(statuses.filter { $0.key >= 500 }.values.reduce(0, +))")
    }

    static func rawRequest(port: Int, target: [UInt8]) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return -1 }
        let request = Array("GET ".utf8) + target + Array(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = recv(fd, &buffer, 64, 0)
        guard n >= 12, buffer.starts(with: Array("HTTP/1.1 ".utf8)) else { return 0 }
        return Int(String(decoding: buffer[9..<12], as: UTF8.self)) ?? 0
    }

    struct WrkResult {
        var summary: String
    }

    static func wrk(_ base: String, script: String, seconds: Int) -> WrkResult {
        finishWrk(startWrk(base, script: script, seconds: seconds))
    }

    static func startWrk(_ base: String, script: String, seconds: Int) -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
        process.arguments = ["-t2", "-c64", "-d\(seconds)s", "--latency", "-s", script, base]
        let pipe = Pipe()
        process.standardOutput = pipe
        try? process.run()
        return (process, pipe)
    }

    static func finishWrk(_ running: (Process, Pipe)) -> WrkResult {
        let (process, pipe) = running
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        func line(_ prefix: String) -> String? {
            output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix(prefix) }
        }
        let requests = line("Requests/sec:")?.split(separator: " ").last.map(String.init) ?? "?"
        let p99 = line("99%")?.split(separator: " ").last.map(String.init) ?? "?"
        let p50 = line("50%")?.split(separator: " ").last.map(String.init) ?? "?"
        let total = output.split(separator: "\n").first { $0.contains("requests in") }?.trimmingCharacters(in: .whitespaces) ?? ""
        let non2xx = line("Non-2xx or 3xx responses:") ?? "Non-2xx or 3xx responses: 0"
        let socket = line("Socket errors:") ?? "Socket errors: 0"
        let statuses = line("statuses") ?? "statuses ?"
        return WrkResult(summary: "\(requests) req/s, latency p50 \(p50) p99 \(p99); \(total); \(non2xx) (\(statuses)); \(socket)")
    }

    static func get(_ url: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-f", "--max-time", "5", url]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }

    static func total(_ json: String) -> Int {
        guard let range = json.range(of: "\"total\":") else { return -1 }
        return Int(json[range.upperBound...].prefix { $0.isNumber }) ?? -1
    }

    static func rssMB(_ pid: Int32) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }

    /// Percent-encodes a query value (everything but unreserved ASCII).
    static func percentEncode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? s
    }
}
