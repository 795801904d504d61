/// Which documents of a segment are deleted: one bit per document, set = deleted.
struct DeletionSet: Equatable {
    private(set) var bits: [UInt64]
    let documentCount: Int
    private(set) var count = 0

    init(documentCount: Int) {
        self.documentCount = documentCount
        bits = Array(repeating: 0, count: (documentCount + 63) / 64)
    }

    @inline(__always)
    func contains(_ doc: Int) -> Bool { bits[doc >> 6] >> UInt64(doc & 63) & 1 != 0 }

    mutating func insert(_ doc: Int) {
        if contains(doc) { return }
        bits[doc >> 6] |= 1 << UInt64(doc & 63)
        count += 1
    }

    func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 8 + bits.count * 8)
        w.u32(UInt32(documentCount))
        w.u32(UInt32(count))
        for word in bits { w.u64(word) }
        return FileFrame.frame(.deletes, w.bytes)
    }

    static func read(_ path: String, documentCount: Int) throws(IndexError) -> DeletionSet {
        let file = try MappedFile(path: path)
        let payload = try FileFrame.verify(file.bytes, kind: .deletes, file: path)
        var r = ByteReader(file.bytes, file: path, start: payload.lowerBound, end: payload.upperBound)
        let docs = Int(try r.u32())
        guard docs == documentCount else { throw r.corrupt("deletes cover \(docs) documents, segment has \(documentCount)", at: payload.lowerBound) }
        let expected = Int(try r.u32())
        var set = DeletionSet(documentCount: docs)
        for i in 0..<set.bits.count {
            let at = r.offset
            let word = try r.u64()
            if i == set.bits.count - 1, docs % 64 != 0, word >> UInt64(docs % 64) != 0 {
                throw r.corrupt("deletion bits set past the last document", at: at)
            }
            set.bits[i] = word
            set.count += word.nonzeroBitCount
        }
        guard set.count == expected else { throw r.corrupt("deletion count \(expected) does not match the bits (\(set.count))", at: payload.lowerBound + 4) }
        guard r.isAtEnd else { throw r.corrupt("trailing bytes") }
        return set
    }
}
