import Foundation
import Testing
import TongwenTestSupport

/// Runs the built `tongwen` binary, as a user would.
enum CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary sits beside the test bundle in the build folder.
    static var binary: URL {
        if let override = ProcessInfo.processInfo.environment["TONGWEN_BINARY"] { return URL(fileURLWithPath: override) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("tongwen")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return TestData.packageRoot.appendingPathComponent(".build/debug/tongwen")
    }

    /// `setpriv` dropping root to nobody, for tests of permissions (root reads everything), or nil.
    static var unprivileged: [String]? {
        if getuid() != 0 { return [] }
        return FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] : nil
    }

    static func run(_ arguments: [String], stdin: String? = nil, prefix: [String] = []) throws -> Result {
        let process = Process()
        process.executableURL = prefix.isEmpty ? binary : URL(fileURLWithPath: prefix[0])
        process.arguments = prefix.isEmpty ? arguments : Array(prefix.dropFirst()) + [binary.path] + arguments
        process.currentDirectoryURL = TestData.packageRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let stdin {
            let input = Pipe()
            process.standardInput = input
            try process.run()
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        } else {
            try process.run()
        }
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self))
    }
}

@Suite struct AnalyzeCommandTests {
    struct Report: Decodable {
        struct Token: Decodable { var text: String; var kind: String; var position: Int; var start: Int; var end: Int; var startByte: Int; var endByte: Int }
        var original: String
        var cleaned: String
        var normalized: String
        var tokens: [Token]
    }

    @Test func analyzeJSONGivesTokensWithOffsets() throws {
        let result = try CLI.run(["analyze", "--json", "在創(chuàng)建全國文明城市"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.cleaned == "在創建全國文明城市")
        #expect(report.normalized == "在创建全国文明城市")
        let created = try #require(report.tokens.first { $0.text == "创建" })
        #expect(created.start == 1 && created.end == 11)  // characters of the original, annotation inside
        #expect(created.startByte == 3)
    }

    @Test func analyzeTextOutputShowsEveryStage() throws {
        let result = try CLI.run(["analyze", "我購買了道具和服裝。"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("normalized: 我购买了道具和服装。"))
        #expect(result.stdout.contains("购买"))
    }

    @Test func analyzeFilesDetectsEncodings() throws {
        let result = try CLI.run(["analyze", "--summary", "--file", "index-data/speeches"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("GB18030"))
        #expect(result.stdout.contains("Big5"))
        #expect(result.stdout.split(separator: "\n").count == 7)
    }

    @Test func badInputGetsAClearErrorAndNoStackTrace() throws {
        let missing = try CLI.run(["analyze", "--file", "no/such/file.txt"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no/such/file.txt"))

        let forced = try CLI.run(["analyze", "--encoding", "utf-8", "--file", "index-data/speeches/2022-rural-environment-gb18030.txt"])
        #expect(forced.status != 0)
        #expect(forced.stderr.contains("2022-rural-environment-gb18030.txt: cannot decode at byte offset 0"))

        let nothing = try CLI.run(["analyze"])
        #expect(nothing.status != 0)
        #expect(nothing.stderr.contains("give a text or --file"))
    }
}
