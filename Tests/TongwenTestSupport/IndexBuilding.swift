import Foundation
import TongwenIndex
import TongwenIngest

/// Builds indexes for tests the way `tongwen index` does.
public enum IndexBuilding {
    /// Indexes `files` (ids relative to `root`) into `directory` and commits.
    public static func index(_ files: [URL], root: URL, into directory: String) throws {
        let writer = try IndexWriter(directory: directory)
        var batch: [IndexDocument] = []
        for url in files {
            let relative = String(url.path.dropFirst(root.path.count + 1))
            guard let file = try Ingest.scan([url.path]).first else { continue }
            let source = SourceFile(path: file.path, relativePath: relative, format: file.format, compression: file.compression)
            let raw = try Ingest.readRaw(source)
            for document in Ingest.documents(in: source, bytes: try Ingest.decompress(source, raw), fileHash: contentHash(raw)) {
                batch.append(try document.get())
            }
            if batch.count >= 64 { _ = try writer.add(contentsOf: batch); batch = [] }
        }
        _ = try writer.add(contentsOf: batch)
        try writer.commit()
    }
}
