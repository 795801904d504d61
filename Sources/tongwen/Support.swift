import ArgumentParser
import Foundation

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data(("tongwen: " + message + "\n").utf8))
}

/// JSON output with a stable key order (the order the types declare).
enum JSONOutput {
    static func line(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
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
