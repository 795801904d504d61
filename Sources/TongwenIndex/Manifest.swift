/// The index's root of truth, replaced atomically on every commit (write `manifest.tmp`, fsync,
/// rename over `manifest`, fsync the folder). Readers take a snapshot by reading it once.
struct Manifest: Equatable {
    struct Segment: Equatable {
        var id: UInt64
        var documentCount: Int
        var deletedCount: Int
        /// 0 when nothing in the segment is deleted; else the generation of its `.dels` file.
        var deletesGeneration: UInt64
    }

    /// Bump when the analysis rules change in a way that changes tokens (cleaning rules, term kinds)
    /// or fingerprints (the comparison text, `Winnowing`'s k, w and hash). 2: `.fing` files.
    /// 3: cross-strait alternates (`V` terms, variant-folded fingerprints) and the OpenCC fields.
    static let analyzerVersion: UInt32 = 6

    var generation: UInt64 = 0
    var icuVersion: String
    var tableChecksum: UInt64
    var analyzerVersion: UInt32 = Manifest.analyzerVersion
    /// The OpenCC dictionaries' `VERSION` line and checksum (``VariantDictionaries``).
    var openccVersion: String = ""
    var openccChecksum: UInt64 = 0
    var nextSegmentId: UInt64 = 1
    var segments: [Segment] = []

    var liveDocuments: Int { segments.reduce(0) { $0 + $1.documentCount - $1.deletedCount } }

    func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.u64(generation)
        w.string(icuVersion)
        w.u64(tableChecksum)
        w.u32(analyzerVersion)
        w.string(openccVersion)
        w.u64(openccChecksum)
        w.u64(nextSegmentId)
        w.vint(segments.count)
        for s in segments {
            w.u64(s.id)
            w.vint(s.documentCount)
            w.vint(s.deletedCount)
            w.u64(s.deletesGeneration)
        }
        return FileFrame.frame(.manifest, w.bytes)
    }

    static func read(_ directory: String) throws(IndexError) -> Manifest {
        let path = SegmentFiles.manifest(directory)
        guard FileSystem.exists(path) else { throw .notFound(path: directory) }
        let file = try MappedFile(path: path)
        let payload = try FileFrame.verify(file.bytes, kind: .manifest, file: path)
        var r = ByteReader(file.bytes, file: path, start: payload.lowerBound, end: payload.upperBound)
        var m = Manifest(icuVersion: "", tableChecksum: 0)
        m.generation = try r.u64()
        m.icuVersion = try r.string()
        m.tableChecksum = try r.u64()
        m.analyzerVersion = try r.u32()
        guard m.analyzerVersion == Manifest.analyzerVersion else {
            throw .analyzerMismatch(detail: "analyzer rules version \(m.analyzerVersion) built it, this build has \(Manifest.analyzerVersion)")
        }
        m.openccVersion = try r.string()
        m.openccChecksum = try r.u64()
        m.nextSegmentId = try r.u64()
        let count = try r.count(max: r.remaining / 4, "segment count")
        for _ in 0..<count {
            let at = r.offset
            let id = try r.u64()
            let docs = try r.count(max: Int(Int32.max), "document count")
            let deleted = try r.count(max: docs, "deleted count")
            let generation = try r.u64()
            guard id < m.nextSegmentId else { throw r.corrupt("segment id \(id) ≥ next id \(m.nextSegmentId)", at: at) }
            m.segments.append(Segment(id: id, documentCount: docs, deletedCount: deleted, deletesGeneration: generation))
        }
        guard r.isAtEnd else { throw r.corrupt("trailing bytes after the segment list") }
        return m
    }

    func write(_ directory: String) throws(IndexError) {
        let temp = SegmentFiles.manifestTemp(directory)
        try FileSystem.writeDurably(temp, [encoded()])
        try FileSystem.renameDurably(temp, SegmentFiles.manifest(directory), directory: directory)
    }
}
