/// Merges segments into one without re-analyzing anything: documents are renumbered in input
/// order (deleted ones dropped), stored text is copied compressed, fingerprints as stored, and each term's doc streams are
/// re-encoded with the new ids while its positions are copied byte for byte. The inputs' pages are
/// released from the resident set as the merge goes, so merging a large index costs little memory.
enum SegmentMerger {
    static func merge(_ inputs: [(SegmentReader, DeletionSet?)], into files: SegmentFiles) throws(IndexError) {
        let writer = try SegmentFilesWriter(files)
        var maps: [[Int]] = []
        var next = 0
        for (reader, deleted) in inputs {
            var map = [Int](repeating: -1, count: reader.documentCount)
            for doc in 0..<reader.documentCount where !(deleted?.contains(doc) ?? false) {
                let (record, offset, length) = try reader.documentWithText(doc)
                try writer.addDocument(record, compressedText: reader.compressedText(offset: offset, length: length),
                                       fingerprints: try reader.fingerprintBytes(doc))
                map[doc] = next
                next += 1
                if doc % 256 == 255 { reader.releaseResidentPages() }
            }
            reader.releaseResidentPages()
            maps.append(map)
        }

        var terms = try MergedTerms(inputs.map(\.0))
        var docs: [UInt8] = []
        var positions: [UInt8] = []
        var merged = 0
        while let (key, entries) = try terms.next() {
            merged += 1
            if merged % 8192 == 0 { for (reader, _) in inputs { reader.releaseResidentPages() } }
            let positional = TermKind(rawValue: key[0])?.hasPositions ?? true
            docs.removeAll(keepingCapacity: true)
            positions.removeAll(keepingCapacity: true)
            var docFreq = 0
            var previous = -1
            for (i, info) in entries {
                let reader = inputs[i].0
                let stream = reader.positionsBytes(info)
                var postings = try reader.postings(info, positional: positional)
                while let (doc, tf, range) = try postings.next() {
                    let new = maps[i][doc]
                    guard new >= 0 else { continue }
                    appendVInt(&docs, UInt32(new - previous))
                    appendVInt(&docs, UInt32(tf))
                    if positional {
                        guard range.upperBound <= stream.count else {
                            throw .corrupt(file: reader.files.positions, offset: reader.positionsPayload.lowerBound + info.positions.lowerBound,
                                           detail: "positions beyond the term's stream")
                        }
                        appendVInt(&docs, UInt32(range.count))
                        positions.append(contentsOf: UnsafeRawBufferPointer(rebasing: stream[range]))
                    }
                    previous = new
                    docFreq += 1
                }
            }
            if docFreq > 0 {
                try writer.addTerm(key: key, docFreq: docFreq, docs: docs, positions: positions)
            }
        }
        _ = try writer.finish()
    }
}
