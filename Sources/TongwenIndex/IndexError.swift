#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything that can go wrong with an index, with the file and offset where it applies.
public enum IndexError: Error, Equatable, CustomStringConvertible {
    /// A file's bytes are not what the format says: bad magic, checksum mismatch, truncation,
    /// an out-of-range value. `offset` is the byte offset in `file` where it was noticed.
    case corrupt(file: String, offset: Int, detail: String)
    /// A file written by a format version this build cannot read.
    case unsupportedVersion(file: String, found: UInt32, supported: ClosedRange<UInt32>)
    /// Another process holds the writer lock.
    case locked(path: String, holder: String)
    /// The index was built with another ICU version or normalization table.
    case analyzerMismatch(detail: String)
    /// The folder holds files but no index: nothing is written there.
    case notAnIndex(path: String, entry: String)
    /// A system call failed.
    case io(path: String, operation: String, errno: Int32)
    /// No index at the path.
    case notFound(path: String)
    /// A document id that is not in the index.
    case unknownDocument(String)
    /// A value the caller passed that the index cannot take (e.g. an empty document id).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .corrupt(file, offset, detail):
            return "index file \(file) is corrupt at byte offset \(offset): \(detail)"
        case let .unsupportedVersion(file, found, supported):
            return "index file \(file) has format version \(found); this build reads \(supported.lowerBound)–\(supported.upperBound). Rebuild the index."
        case let .locked(path, holder):
            return "the index at \(path) is being written by another process (\(holder)); wait for it to finish"
        case let .notAnIndex(path, entry):
            return "\(path) is not a Tongwen index and not empty (it holds '\(entry)'): give an empty or new folder, or an existing index"
        case let .analyzerMismatch(detail):
            return "the index was built with a different analyzer: \(detail). Rebuild it into a new folder."
        case let .io(path, operation, errno):
            return "\(operation) \(path) failed: \(String(cString: strerror(errno)))"
        case let .notFound(path):
            return "no index at \(path)"
        case let .unknownDocument(id):
            return "no document with id '\(id)' in the index"
        case let .invalidArgument(message):
            return message
        }
    }
}
