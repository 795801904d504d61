#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file-system operations the index needs, each durable where it must be.
enum FileSystem {
    /// Writes `chunks` to a new file at `path` and fsyncs it. The file must not exist.
    static func writeDurably(_ path: String, _ chunks: [[UInt8]]) throws(IndexError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, operation: "create", errno: errno) }
        defer { close(fd) }
        for chunk in chunks {
            try writeAll(fd, chunk, path)
        }
        guard fsync(fd) == 0 else { throw .io(path: path, operation: "fsync", errno: errno) }
    }

    static func writeAll(_ fd: Int32, _ chunk: [UInt8], _ path: String) throws(IndexError) {
        var written = 0
        while written < chunk.count {
            let n = chunk.withUnsafeBytes { write(fd, $0.baseAddress! + written, chunk.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "write", errno: errno)
            }
            written += n
        }
    }

    /// Atomically replaces `destination` with `source` and makes the rename durable.
    static func renameDurably(_ source: String, _ destination: String, directory: String) throws(IndexError) {
        guard rename(source, destination) == 0 else { throw .io(path: destination, operation: "rename", errno: errno) }
        try syncDirectory(directory)
    }

    static func syncDirectory(_ directory: String) throws(IndexError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: directory, operation: "open", errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .io(path: directory, operation: "fsync", errno: errno) }
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates `path` and any missing parents.
    static func makeDirectory(_ path: String) throws(IndexError) {
        if isDirectory(path) { return }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + part
            if isDirectory(prefix) { continue }
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw .io(path: prefix, operation: "mkdir", errno: errno) }
        }
    }

    static func list(_ directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func remove(_ path: String) { unlink(path) }

    static func size(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }
}
