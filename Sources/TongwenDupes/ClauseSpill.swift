#if canImport(Glibc)
import Glibc
#endif

/// Every document's distinct clauses (stage 6's input), which stage 1 makes as it reads the
/// document: kept in an unlinked temporary file (`tmpfile`, so nothing is left behind, and never
/// in the index folder) until stage 6 reads them back, so that the pairwise stages and the
/// clustering, where a run's memory peaks, do not hold them (16 bytes per clause, about 0.4 GB for
/// a 1 GB archive). Held in memory when no temporary file can be made or written.
final class ClauseSpill {
    private var file: UnsafeMutablePointer<FILE>?
    private var counts: [Int] = []
    private var held: [[StockPhrases.Clause]] = []

    /// A spill to `file` (an unlinked temporary file by default; nil keeps the clauses in memory).
    init(file: UnsafeMutablePointer<FILE>? = tmpfile()) { self.file = file }

    deinit { if let file { fclose(file) } }

    /// Keeps the next document's clauses. Each is flushed, so that a failed write (a full disk)
    /// is noticed at once: what is in the file then comes back to memory, and the rest stays there.
    func append(_ clauses: [StockPhrases.Clause]) {
        if let file {
            let written = clauses.withUnsafeBufferPointer { fwrite($0.baseAddress, MemoryLayout<StockPhrases.Clause>.stride, $0.count, file) }
            if written == clauses.count, fflush(file) == 0 { return counts.append(clauses.count) }
            held = readAll()
        }
        held.append(clauses)
    }

    /// The clauses of every document, in the order they were appended; afterwards it is empty.
    /// (Documents the file cannot give back, which a readable temporary file never does, have none.)
    func readAll() -> [[StockPhrases.Clause]] {
        guard let file else { return take() }
        defer { (self.file, counts) = (nil, []) }
        defer { fclose(file) }
        rewind(file)
        return counts.map { count in
            let list = [StockPhrases.Clause](unsafeUninitializedCapacity: count) { buffer, initialized in
                initialized = count == 0 ? 0 : fread(buffer.baseAddress, MemoryLayout<StockPhrases.Clause>.stride, count, file)
            }
            return list.count == count ? list : []
        }
    }

    private func take() -> [[StockPhrases.Clause]] {
        defer { (held, counts) = ([], []) }
        return held
    }
}
