#if canImport(Glibc)
import Glibc
#endif

/// A file another module keeps beside the index (a cache such as the duplicate finder's state):
/// framed and checksummed like the index's own files (kind `SIDE`), written to a temporary name,
/// fsynced and renamed over the old one, so a reader sees the old file or the new one. Side files
/// are not part of any commit: the writer's garbage collection never touches them, and a
/// missing or damaged one reads as absent, so it can only cost a recomputation.
public enum SideFile {
    /// Replaces `directory/name` with `payload`.
    public static func write(_ payload: [UInt8], directory: String, name: String) throws(IndexError) {
        let path = directory + "/" + name
        let temp = path + ".tmp-\(getpid())"
        do {
            try FileSystem.writeDurably(temp, [FileFrame.frame(.sideFile, payload)])
            try FileSystem.renameDurably(temp, path, directory: directory)
        } catch {
            FileSystem.remove(temp)
            throw error
        }
    }

    /// The payload of `directory/name`, or nil when it is missing or fails its checksum.
    public static func read(directory: String, name: String) -> [UInt8]? {
        let path = directory + "/" + name
        guard FileSystem.exists(path), let file = try? MappedFile(path: path),
              let payload = try? FileFrame.verify(file.bytes, kind: .sideFile, file: path) else { return nil }
        return Array(file.bytes[payload])
    }
}
