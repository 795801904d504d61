/// Per-term postings under construction: each term's doc stream and positions stream as LEB128
/// deltas in its own byte buffers (the layout of OnDiskFormat.md's postings), plus each term's state.
struct PostingLists {
    struct TermState {
        var previousDoc: Int32 = -1
        var docFreq: Int32 = 0
    }

    private(set) var docs: [[UInt8]] = []
    private(set) var positions: [[UInt8]] = []
    private(set) var states: [TermState] = []
    private(set) var bytes = 0

    /// Adds document `doc`'s occurrences, grouped by term; `mapping` takes the grouping thread's
    /// term ids to this segment's (nil: they are this segment's), `kinds` are the segment's terms' kinds.
    mutating func add(doc: Int32, _ occurrences: Occurrences, mapping: [Int32]?, kinds: [TermKind]) {
        while states.count < kinds.count {
            states.append(TermState())
            docs.append([])
            positions.append([])
        }
        var added = 0
        occurrences.positions.withUnsafeBufferPointer { bytes in
            states.withUnsafeMutableBufferPointer { states in
                docs.withUnsafeMutableBufferPointer { docs in
                    positions.withUnsafeMutableBufferPointer { positions in
                        var start = 0
                        for (n, local) in occurrences.terms.enumerated() {
                            let id = Int(mapping?[Int(local)] ?? local)
                            let end = Int(occurrences.positionEnds[n])
                            let before = docs[id].count
                            appendVInt(&docs[id], UInt32(doc - states[id].previousDoc))
                            appendVInt(&docs[id], UInt32(occurrences.frequencies[n]))
                            if kinds[id].hasPositions {
                                appendVInt(&docs[id], UInt32(end - start))
                                positions[id].append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
                            }
                            added += docs[id].count - before + end - start
                            states[id].previousDoc = doc
                            states[id].docFreq += 1
                            start = end
                        }
                    }
                }
            }
        }
        bytes += added
    }
}

/// One document's (term, position) occurrences grouped by term, made on the thread that
/// analyzed it so the segment's thread only copies bytes: its distinct terms in order of first
/// occurrence, each one's frequency and its positions as LEB128 deltas from 0 (none for terms
/// without positions).
struct Occurrences: Sendable {
    var terms: [Int32] = []
    var frequencies: [Int32] = []
    /// Where each term's position bytes end in `positions`.
    var positionEnds: [Int32] = []
    var positions: [UInt8] = []

    /// Groups `terms`/`positions` (in position order within each kind) of ids whose kinds are
    /// `kinds`; `slots` is scratch, all -1, as long as `kinds` (left all -1).
    init(terms: [Int32], positions: [Int32], kinds: [TermKind], slots: inout [Int32]) {
        if slots.count < kinds.count { slots += repeatElement(-1, count: kinds.count - slots.count) }
        var slotOf = [Int32](repeating: 0, count: terms.count)
        for (k, id) in terms.enumerated() {
            if slots[Int(id)] < 0 {
                slots[Int(id)] = Int32(self.terms.count)
                self.terms.append(id)
                frequencies.append(0)
            }
            let slot = slots[Int(id)]
            slotOf[k] = slot
            frequencies[Int(slot)] += 1
        }
        // Occurrences by term (a counting sort that keeps their order), then each term's deltas.
        var next = [Int32](repeating: 0, count: self.terms.count + 1)
        for (slot, f) in frequencies.enumerated() { next[slot + 1] = next[slot] + f }
        var order = [Int32](repeating: 0, count: terms.count)
        for k in terms.indices {
            let slot = Int(slotOf[k])
            order[Int(next[slot])] = Int32(k)
            next[slot] += 1
        }
        positionEnds.reserveCapacity(self.terms.count)
        self.positions.reserveCapacity(2 * terms.count)
        var k = 0
        for (slot, id) in self.terms.enumerated() {
            let count = Int(frequencies[slot])
            if kinds[Int(id)].hasPositions {
                var last: Int32 = 0
                for o in order[k..<(k + count)] {
                    appendVInt(&self.positions, UInt32(positions[Int(o)] - last))
                    last = positions[Int(o)]
                }
            }
            k += count
            positionEnds.append(Int32(self.positions.count))
            slots[Int(id)] = -1
        }
    }
}
