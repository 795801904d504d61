import Foundation
import TongwenIndex
import TongwenIngest

/// Builds indexes for tests through the library's ``Indexer``, as `tongwen index` does.
public enum IndexBuilding {
    /// A file, document or index fault met while building a test index.
    public struct Failed: Error, CustomStringConvertible {
        public var failures: [String]
        public var description: String { failures.joined(separator: "\n") }
    }

    /// Indexes `files` (ids relative to `root`) into `directory` and commits; any failure throws.
    public static func index(_ files: [URL], root: URL, into directory: String) throws {
        let sources = try files.map { url -> SourceFile in
            guard let file = try Ingest.scan([url.path]).first else { throw Failed(failures: ["\(url.path): not indexable"]) }
            return SourceFile(path: file.path, relativePath: String(url.path.dropFirst(root.path.count + 1)),
                              format: file.format, compression: file.compression)
        }
        var indexer = Indexer(writer: try IndexWriter(directory: directory))
        let failures = Failures()
        indexer.onFailure = { failures.list.append("\($0)") }
        _ = try indexer.index(files: sources)
        if !failures.list.isEmpty { throw Failed(failures: failures.list) }
    }

    private final class Failures { var list: [String] = [] }
}
