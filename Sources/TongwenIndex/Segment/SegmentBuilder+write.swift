import Dispatch

extension SegmentBuilder {
    /// Writes several builders' documents as one segment (fsynced, not yet part of any commit):
    /// the first builder's documents first, then the next one's, renumbered after them. Their
    /// dictionaries are merged by key; a term's doc stream is each builder's entries in turn, the
    /// first entry of each after the first rebased, its positions the builders' streams in turn.
    static func write(_ builders: [SegmentBuilder], to files: SegmentFiles) throws(IndexError) -> Int {
        let writer = try SegmentFilesWriter(files)
        var bases: [Int32] = []
        var next = 0
        for builder in builders {
            bases.append(Int32(next))
            next += builder.documentCount
        }
        var sorted = [[(id: Int, key: [UInt8])]](repeating: [], count: builders.count)
        sorted.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out, builders = builders
            DispatchQueue.concurrentPerform(iterations: builders.count) { j in out[j] = builders[j].sortedTerms() }
        }
        let lists = builders.map(\.lists)
        var cursors = [Int](repeating: 0, count: builders.count)
        var docs: [UInt8] = [], positions: [UInt8] = []
        while let key = Self.smallestKey(sorted, cursors) {
            docs.removeAll(keepingCapacity: true)
            positions.removeAll(keepingCapacity: true)
            var docFreq = 0
            var last: Int32 = -1
            for j in builders.indices where cursors[j] < sorted[j].count && sorted[j][cursors[j]].key == key {
                let id = sorted[j][cursors[j]].id
                Self.appendRebased(lists[j].docs[id], base: bases[j], after: last, to: &docs)
                positions += lists[j].positions[id]
                docFreq += Int(lists[j].states[id].docFreq)
                last = bases[j] + lists[j].states[id].previousDoc
                cursors[j] += 1
            }
            try writer.addTerm(key: key, docFreq: docFreq, docs: docs, positions: positions)
        }
        for builder in builders {
            for (i, record) in builder.records.enumerated() {
                let span = builder.textSpans[i]
                let result = builder.text.withUnsafeBytes { all in
                    Result { () throws(IndexError) in
                        try writer.addDocument(record, compressedText: UnsafeRawBufferPointer(rebasing: all[span.offset..<(span.offset + span.compressed)]),
                                               fingerprints: builder.fingerprints[builder.fingerprintSpans[i]])
                    }
                }
                try result.get()
            }
        }
        return try writer.finish()
    }

    /// The least key at the builders' cursors, if any is left.
    private static func smallestKey(_ sorted: [[(id: Int, key: [UInt8])]], _ cursors: [Int]) -> [UInt8]? {
        var least: [UInt8]?
        for (j, terms) in sorted.enumerated() where cursors[j] < terms.count {
            if least.map({ precedes(terms[cursors[j]].key, $0) }) ?? true { least = terms[cursors[j]].key }
        }
        return least
    }

    /// Appends a doc stream whose documents are numbered from `base`, after a stream ending at
    /// document `last`: only its first delta changes.
    static func appendRebased(_ stream: [UInt8], base: Int32, after last: Int32, to output: inout [UInt8]) {
        guard base != 0 || last != -1 else { output += stream; return }
        var i = 0, delta: UInt32 = 0, shift: UInt32 = 0
        while true {
            let byte = stream[i]
            i += 1
            delta |= UInt32(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        let first = Int32(delta) - 1 + base
        appendVInt(&output, UInt32(first - last))
        output += stream[i...]
    }
}
