import CCompressionShim
import Foundation
import TongwenAnalysis
import TongwenIndex

/// A file to ingest: where it is, and the id prefix it gets (its path relative to the given root).
public struct SourceFile: Sendable, Equatable {
    public enum Format: Sendable { case text, markdown, jsonLines }
    public enum Compression: Sendable { case none, gzip, xz }

    public var path: String
    /// Path relative to the root it was found under, without a `.gz`/`.xz` suffix.
    public var relativePath: String
    public var format: Format
    public var compression: Compression

    public init(path: String, relativePath: String, format: Format, compression: Compression) {
        self.path = path
        self.relativePath = relativePath
        self.format = format
        self.compression = compression
    }
}

/// A file, line or document that could not be ingested, with where.
public struct IngestFailure: Error, Sendable, CustomStringConvertible {
    public var path: String
    /// 1-based line for JSON Lines input.
    public var line: Int?
    public var message: String

    public var description: String { line.map { "\(path):\($0): \(message)" } ?? "\(path): \(message)" }
}

/// Turns files and folders into documents. `.txt`/`.md` files are one speech each (id = path
/// relative to the given root, title = first non-empty line); `.jsonl` files hold one object per
/// line with `id`, `text` and optional `title` and other string fields kept as metadata. Any of
/// them may be `.gz` or `.xz` compressed.
public enum Ingest {
    /// Expands `paths` (files or folders, recursively) into the files to ingest, sorted.
    /// - Throws: ``IngestFailure`` for a path that does not exist, or a folder that cannot be read.
    public static func scan(_ paths: [String]) throws(IngestFailure) -> [SourceFile] {
        var unreadable: [IngestFailure] = []
        let files = try scan(paths, unreadable: &unreadable)
        if let first = unreadable.first { throw first }
        return files
    }

    /// The same, collecting the folders inside `paths` that cannot be read (with the reason)
    /// into `unreadable` instead of stopping there.
    public static func scan(_ paths: [String], unreadable: inout [IngestFailure]) throws(IngestFailure) -> [SourceFile] {
        var result: [SourceFile] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw IngestFailure(path: path, message: "no such file or folder")
            }
            if !isDirectory.boolValue {
                let name = (path as NSString).lastPathComponent
                if let file = classify(path: path, relative: name) { result.append(file) } else {
                    throw IngestFailure(path: path, message: "not a .txt, .md or .jsonl file (optionally .gz or .xz)")
                }
                continue
            }
            let base = path.hasSuffix("/") ? String(path.dropLast()) : path
            var found: [String] = []
            walk(base, relative: "", into: &found, unreadable: &unreadable)
            for relative in found.sorted() {
                if let file = classify(path: base + "/" + relative, relative: relative) { result.append(file) }
            }
        }
        return result
    }

    /// The files named by `relativePaths` under `root`, in the order given, ids relative to
    /// `root` as if the folder had been scanned: how one shard of a larger corpus is indexed
    /// (`tongwen index --files-from LIST --root DIR`).
    /// - Throws: ``IngestFailure`` for a path that is absolute, leaves `root`, or is not a file to ingest.
    public static func scan(relativePaths: [String], root: String) throws(IngestFailure) -> [SourceFile] {
        let base = root.hasSuffix("/") ? String(root.dropLast()) : root
        var result: [SourceFile] = []
        for relative in relativePaths {
            let path = base + "/" + relative
            guard !relative.hasPrefix("/"), !relative.split(separator: "/").contains("..") else {
                throw IngestFailure(path: relative, message: "not a path inside \(root)")
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw IngestFailure(path: path, message: "no such file")
            }
            guard let file = classify(path: path, relative: relative) else {
                throw IngestFailure(path: path, message: "not a .txt, .md or .jsonl file (optionally .gz or .xz)")
            }
            result.append(file)
        }
        return result
    }

    /// Every entry below `folder` (relative paths), following links to folders, recording folders
    /// that cannot be opened.
    private static func walk(_ folder: String, relative: String, into found: inout [String], unreadable: inout [IngestFailure]) {
        guard let dir = opendir(folder) else {
            unreadable.append(IngestFailure(path: folder, message: "cannot read the folder: \(reason(errno))"))
            return
        }
        var entries: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { entries.append(name) }
        }
        closedir(dir)
        for name in entries {
            let path = folder + "/" + name, inner = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                walk(path, relative: inner, into: &found, unreadable: &unreadable)
            } else {
                found.append(inner)
            }
        }
    }

    /// `strerror` with the errno's name, e.g. "Permission denied (EACCES)".
    static func reason(_ code: Int32) -> String {
        let names: [Int32: String] = [EACCES: "EACCES", ENOENT: "ENOENT", EISDIR: "EISDIR", ELOOP: "ELOOP", EIO: "EIO", EPERM: "EPERM", EMFILE: "EMFILE"]
        return String(cString: strerror(code)) + (names[code].map { " (\($0))" } ?? "")
    }

    static func classify(path: String, relative: String) -> SourceFile? {
        var name = relative
        var compression = SourceFile.Compression.none
        if name.hasSuffix(".gz") { compression = .gzip; name.removeLast(3) } else if name.hasSuffix(".xz") { compression = .xz; name.removeLast(3) }
        let format: SourceFile.Format
        if name.hasSuffix(".txt") { format = .text } else if name.hasSuffix(".md") { format = .markdown } else if name.hasSuffix(".jsonl") { format = .jsonLines } else { return nil }
        return SourceFile(path: path, relativePath: name, format: format, compression: compression)
    }

    /// The file's bytes as stored (still compressed for `.gz`/`.xz`).
    public static func readRaw(_ file: SourceFile) throws(IngestFailure) -> [UInt8] {
        let fd = open(file.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw IngestFailure(path: file.path, message: "cannot read the file: \(reason(errno))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { SwiftGlibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { throw IngestFailure(path: file.path, message: "cannot read the file: \(reason(errno))") }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
        }
    }

    /// The file's bytes, decompressed.
    public static func read(_ file: SourceFile) throws(IngestFailure) -> [UInt8] {
        try decompress(file, try readRaw(file))
    }

    /// Decompresses bytes read by ``readRaw(_:)``.
    public static func decompress(_ file: SourceFile, _ bytes: [UInt8]) throws(IngestFailure) -> [UInt8] {
        switch file.compression {
        case .none: return bytes
        case .gzip: return try decompress(bytes, kind: 1, path: file.path)
        case .xz: return try decompress(bytes, kind: 2, path: file.path)
        }
    }

    static func decompress(_ input: [UInt8], kind: Int32, path: String) throws(IngestFailure) -> [UInt8] {
        guard let stream = CCompressionShim_streamOpen(kind) else { throw IngestFailure(path: path, message: "cannot start the decompressor") }
        defer { CCompressionShim_streamClose(stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var offset = 0
        while true {
            var consumed = 0
            var done: Int32 = 0
            var errorOffset: UInt64 = 0
            let produced = input.withUnsafeBufferPointer { inBuf in
                chunk.withUnsafeMutableBufferPointer { out in
                    CCompressionShim_streamDecode(stream, inBuf.baseAddress.map { $0 + offset }, inBuf.count - offset, 1,
                                                  out.baseAddress, out.count, &consumed, &done, &errorOffset)
                }
            }
            if produced < 0 {
                throw IngestFailure(path: path, message: "corrupt \(kind == 1 ? "gzip" : "xz") data at compressed byte offset \(errorOffset)")
            }
            output.append(contentsOf: chunk[0..<Int(produced)])
            offset += consumed
            if done != 0 { return output }
            if produced == 0 && consumed == 0 {
                throw IngestFailure(path: path, message: "truncated \(kind == 1 ? "gzip" : "xz") data at compressed byte offset \(offset)")
            }
        }
    }

    /// The id a `.txt`/`.md` file's document gets, known before decoding (nil for JSON Lines),
    /// so that an unchanged file can be skipped without decoding it.
    public static func documentId(of file: SourceFile) -> String? {
        file.format == .jsonLines ? nil : file.relativePath
    }

    /// The documents in a file, each a document or a failure with its line. A `.txt`/`.md`
    /// document's content hash is `fileHash`, the hash of the file as stored (see ``readRaw(_:)``),
    /// so an unchanged compressed file is recognized without decompressing it.
    public static func documents(in file: SourceFile, bytes: [UInt8], fileHash: UInt64, encoding: String? = nil) -> [Result<IndexDocument, IngestFailure>] {
        switch file.format {
        case .text, .markdown:
            return [Result { () throws(IngestFailure) in try textDocument(file, bytes, hash: fileHash, encoding: encoding) }]
        case .jsonLines:
            return jsonLines(file, bytes)
        }
    }

    static func textDocument(_ file: SourceFile, _ bytes: [UInt8], hash: UInt64, encoding: String?) throws(IngestFailure) -> IndexDocument {
        let decoded: TextDecoder.Decoded
        do { decoded = try TextDecoder.decode(bytes, encoding: encoding, source: file.path) } catch {
            throw IngestFailure(path: file.path, message: strippedSource(error.description, file.path))
        }
        guard decoded.text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
            throw IngestFailure(path: file.path, message: "empty document (no text)")
        }
        var metadata = ["path": file.relativePath]
        if let date = dateFromPath(file.relativePath) { metadata["date"] = date }
        if decoded.encoding != "UTF-8" { metadata["encoding"] = decoded.encoding }
        return IndexDocument(id: file.relativePath, title: title(of: decoded.text, markdown: file.format == .markdown),
                             text: decoded.text, source: file.path, metadata: metadata, contentHash: hash)
    }

    static func strippedSource(_ message: String, _ path: String) -> String {
        message.hasPrefix(path + ": ") ? String(message.dropFirst(path.count + 2)) : message
    }

    /// The first non-empty line, without Markdown heading marks, at most 120 characters. Scans
    /// only as far as that line.
    static func title(of text: String, markdown: Bool) -> String {
        var line = String.UnicodeScalarView()
        var length = 0
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\r" || scalar == "\u{2028}" {
                var t = String(line).trimmingCharacters(in: .whitespaces)
                if markdown { t = String(t.drop { $0 == "#" }).trimmingCharacters(in: .whitespaces) }
                if !t.isEmpty { return String(t.prefix(120)) }
                line = String.UnicodeScalarView()
                length = 0
            } else if length < 4096 {
                line.append(scalar)
                length += 1
            }
        }
        var t = String(line).trimmingCharacters(in: .whitespaces)
        if markdown { t = String(t.drop { $0 == "#" }).trimmingCharacters(in: .whitespaces) }
        return String(t.prefix(120))
    }

    /// A date in a file name: `20220924` or `2022-09-24` → `2022-09-24`, `report_2019` → `2019`.
    static func dateFromPath(_ path: String) -> String? {
        let name = (path as NSString).lastPathComponent
        let digits = name.split { !$0.isNumber }.map(String.init)
        for run in digits where run.count == 8 {
            let y = Int(run.prefix(4))!, m = Int(run.dropFirst(4).prefix(2))!, d = Int(run.suffix(2))!
            if (1900...2099).contains(y), (1...12).contains(m), (1...31).contains(d) {
                return "\(run.prefix(4))-\(run.dropFirst(4).prefix(2))-\(run.suffix(2))"
            }
        }
        if digits.count >= 3, digits[0].count == 4, digits[1].count == 2, digits[2].count == 2,
           let y = Int(digits[0]), (1900...2099).contains(y), let m = Int(digits[1]), (1...12).contains(m), let d = Int(digits[2]), (1...31).contains(d) {
            return "\(digits[0])-\(digits[1])-\(digits[2])"
        }
        if let run = digits.first(where: { $0.count == 4 }), let y = Int(run), (1900...2099).contains(y) { return run }
        return nil
    }

    static let knownFields: Set<String> = ["id", "text", "title"]

    static func jsonLines(_ file: SourceFile, _ bytes: [UInt8]) -> [Result<IndexDocument, IngestFailure>] {
        var results: [Result<IndexDocument, IngestFailure>] = []
        var lineNumber = 0
        var start = 0
        let skip = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        start = skip
        while start < bytes.count {
            lineNumber += 1
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let line = bytes[start..<end]
            start = end + 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            func fail(_ message: String) { results.append(.failure(IngestFailure(path: file.path, line: lineNumber, message: message))) }
            guard String(validating: line, as: UTF8.self) != nil else { fail("not valid UTF-8"); continue }
            let object: Any
            do { object = try JSONSerialization.jsonObject(with: Data(line), options: []) } catch {
                fail("invalid JSON: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? "cannot parse")")
                continue
            }
            guard let fields = object as? [String: Any] else { fail("expected a JSON object"); continue }
            guard let id = fields["id"] as? String, !id.isEmpty else { fail("missing \"id\" (a non-empty string)"); continue }
            guard let text = fields["text"] as? String else { fail("missing \"text\" (a string) for id \(id)"); continue }
            guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else { fail("empty \"text\" for id \(id)"); continue }
            var metadata: [String: String] = [:]
            for (key, value) in fields where !knownFields.contains(key) {
                if let s = value as? String { metadata[key] = s } else if let n = value as? NSNumber { metadata[key] = n.stringValue }
            }
            let title = (fields["title"] as? String) ?? Self.title(of: text, markdown: false)
            results.append(.success(IndexDocument(id: id, title: title, text: text, source: file.path, metadata: metadata,
                                                  contentHash: contentHash(line))))
        }
        return results
    }
}
