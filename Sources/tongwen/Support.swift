import ArgumentParser
import Foundation
import TongwenIndex
import TongwenIngest
import TongwenSearch
import TongwenDupes

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data(("tongwen: " + message + "\n").utf8))
}

/// JSON output with a stable (sorted) key order.
enum JSONOutput {
    static func line(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// Files named on the command line: a folder stands for every `.txt`/`.md` file below it, sorted.
enum InputFiles {
    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String { "\(path): no such file or folder" }
    }

    static func expand(_ paths: [String]) throws -> [String] {
        var result: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw Missing(path: path) }
            if !isDirectory.boolValue {
                result.append(path)
                continue
            }
            let found = FileManager.default.enumerator(atPath: path)?
                .compactMap { $0 as? String }
                .filter { $0.hasSuffix(".txt") || $0.hasSuffix(".md") } ?? []
            let prefix = path.hasSuffix("/") ? path : path + "/"
            result.append(contentsOf: found.sorted().map { prefix + $0 })
        }
        return result
    }

    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw Missing(path: path) }
        return [UInt8](data)
    }
}

/// `--index DIR`, shared by every command that opens an index.
struct IndexLocation: ParsableArguments {
    static let defaultPath = "index-data/.index"

    @Option(name: .long, help: "The index folder.")
    var index: String = IndexLocation.defaultPath
}

/// `--index DIR` given once or more, and `--shards FILE`: the indexes `search` and `serve`
/// answer over as one.
struct ShardLocations: ParsableArguments {
    @Option(name: .long, help: "The index folder; give it again (--index A --index B) to search several shards as one index.")
    var index: [String] = []

    @Option(name: .long, help: "A shard-set file: one index folder per line (relative to the file's folder; # starts a comment).")
    var shards: String?

    /// The folders: `--index` ones, then the file's; the default index when neither is given.
    func directories() throws -> [String] {
        var folders = index
        if let shards {
            guard let data = FileManager.default.contents(atPath: shards) else { throw ValidationError("\(shards): cannot read the shard-set file") }
            let base = URL(fileURLWithPath: shards).deletingLastPathComponent().path
            for (n, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0].trimmingCharacters(in: .whitespaces)
                guard !line.isEmpty else { continue }
                guard !line.contains("\r") else { throw ValidationError("\(shards):\(n + 1): a carriage return in a folder name") }
                folders.append(line.hasPrefix("/") ? line : base + "/" + line)
            }
            if folders.count == index.count { throw ValidationError("\(shards): names no index folder") }
        }
        return folders.isEmpty ? [IndexLocation.defaultPath] : folders
    }
}

/// Runs `body`, turning the errors users can cause into a message on standard error and exit
/// status `code`, never a stack trace.
func reportingErrors<T>(code: Int32 = 1, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        printError("\(error)" + hint(for: error))
        throw ExitCode(code)
    }
}

/// What to type next, for the library errors a command line can answer.
func hint(for error: any Error) -> String {
    switch error {
    case let SearchError.index(inner): hint(for: inner)
    case let DupesError.index(inner): hint(for: inner)
    case let IndexError.notFound(path): " (build one with: tongwen index PATH --index \(path))"
    case IndexError.analyzerMismatch: " (tongwen index PATH --index NEW_FOLDER)"
    default: "\(error)".hasSuffix("give the encoding explicitly") ? " (--encoding NAME)" : ""
    }
}

/// Whether standard error is a terminal (progress bars only there).
var standardErrorIsTerminal: Bool { isatty(2) == 1 }

/// `1 file`, `2 files`: a count with its noun, plural when it is not one.
func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
