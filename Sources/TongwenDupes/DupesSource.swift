import TongwenAnalysis
import TongwenIndex

/// Where a run's documents come from: an index snapshot (texts decompressed and fingerprints
/// decoded when a stage asks for them) or texts in memory. The stages hold only the comparison
/// units of every document; a stage that needs a document's original text reads it again, one
/// document per worker at a time, so memory does not grow with the archive's bytes.
struct DupesSource {
    let ids: [String]
    let contentHashes: [UInt64]
    private let readText: (Int) throws(DupesError) -> String
    private let readFingerprints: (Int) throws(DupesError) -> [Winnowing.Fingerprint]?

    var count: Int { ids.count }

    /// Documents read between two releases of the index's resident pages.
    static let releaseEvery = 32

    /// Each document's identity in the incremental state.
    var keys: [DupesState.Key] { zip(ids, contentHashes).map { DupesState.Key(id: $0, contentHash: $1) } }

    /// Every live document of `snapshot`, with the fingerprints the index stores, in id order:
    /// the stages' results depend on the documents' order (which copy a large group's seeds
    /// start from), so one index and a shard set of the same documents, or two indexes built
    /// in different orders, give the same report.
    init(_ snapshot: IndexSnapshot) throws(DupesError) {
        var records: [(id: String, hash: UInt64, global: Int)] = []
        for global in snapshot.liveDocuments {
            do {
                let record = try snapshot.document(global)
                records.append((record.id, record.contentHash, global))
            } catch { throw .index(error) }
        }
        records.sort { $0.id < $1.id }
        let live = records.map(\.global)
        ids = records.map(\.id)
        contentHashes = records.map(\.hash)
        // Every pass reads the whole archive: the index pages it has read are let go as it goes.
        readText = { (doc: Int) throws(DupesError) -> String in
            if doc % Self.releaseEvery == 0 { snapshot.releaseResidentPages() }
            do throws(IndexError) { return try snapshot.text(live[doc]) } catch { throw .index(error) }
        }
        readFingerprints = { (doc: Int) throws(DupesError) -> [Winnowing.Fingerprint]? in
            if doc % Self.releaseEvery == 0 { snapshot.releaseResidentPages() }
            do throws(IndexError) { return try snapshot.fingerprints(live[doc]) } catch { throw .index(error) }
        }
    }

    /// Documents in memory, fingerprinted by the stages.
    init(_ documents: [DupesFinder.Input]) {
        ids = documents.map(\.id)
        contentHashes = documents.map(\.contentHash)
        readText = { (doc: Int) throws(DupesError) -> String in documents[doc].text }
        readFingerprints = { (doc: Int) throws(DupesError) -> [Winnowing.Fingerprint]? in documents[doc].fingerprints }
    }

    /// Document `doc`'s original text.
    func text(_ doc: Int) throws(DupesError) -> String { try readText(doc) }

    /// Document `doc`'s stored fingerprints (nil when the stages must compute them).
    func fingerprints(_ doc: Int) throws(DupesError) -> [Winnowing.Fingerprint]? { try readFingerprints(doc) }
}

/// One document read again for a late stage: its original bytes and its comparison text.
struct ReadDocument {
    let utf8: [UInt8]
    let text: DedupText
}

/// `body(i, worker)` on both cores, as ``parallelMap(_:_:)``, stopping at the first error (in
/// document order).
func parallelMap<T>(_ count: Int, throwing body: (Int, Int) throws(DupesError) -> T) throws(DupesError) -> [T] {
    let results = parallelMap(count) { i, worker in Result { () throws(DupesError) in try body(i, worker) } }
    var values: [T] = []
    values.reserveCapacity(count)
    for result in results {
        switch result {
        case let .success(value): values.append(value)
        case let .failure(error): throw error
        }
    }
    return values
}
