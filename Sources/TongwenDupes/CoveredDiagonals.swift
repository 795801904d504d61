extension PassageFinder {
    /// A diagonal of a document pair: position in a − position in b.
    struct DiagonalKey: Equatable {
        var a: Int32, b: Int32, diagonal: Int32

        /// A multiplicative mix (the table is private and its keys are ours: no need for a keyed hash).
        var mixed: UInt64 {
            var h = UInt64(UInt32(bitPattern: a)) &* 0x9E37_79B9_7F4A_7C15
            h ^= UInt64(UInt32(bitPattern: b)) &* 0xC2B2_AE3D_27D4_EB4F
            h ^= UInt64(UInt32(bitPattern: diagonal)) &* 0x1656_67B1_9E37_79F9
            return h ^ (h >> 31)
        }
    }

    /// The maximal matches found so far on each diagonal of each document pair, as lists chained
    /// through flat arrays (about 30 bytes a match), the lists' heads in an open-addressing table
    /// (a `Dictionary` spent a fifth of the seeding stage hashing its keys).
    struct CoveredDiagonals {
        private var keys: [DiagonalKey] = []
        /// Per slot of `keys`, its list's last match, or -1 for an empty slot.
        private var heads: [Int32] = []
        private var used = 0
        private var lower: [Int32] = [], upper: [Int32] = [], previous: [Int32] = []

        /// Whether a match on diagonal `key` already holds position `p` of its first document.
        func covers(_ key: DiagonalKey, _ p: Int32) -> Bool {
            guard !heads.isEmpty else { return false }
            var i = heads[slot(key)]
            while i >= 0 {
                if lower[Int(i)] <= p && p < upper[Int(i)] { return true }
                i = previous[Int(i)]
            }
            return false
        }

        mutating func add(_ key: DiagonalKey, _ range: Range<Int32>) {
            if 2 * (used + 1) > heads.count { grow() }
            let s = slot(key)
            if heads[s] < 0 { used += 1 }
            keys[s] = key
            previous.append(heads[s])
            lower.append(range.lowerBound)
            upper.append(range.upperBound)
            heads[s] = Int32(lower.count - 1)
        }

        /// The slot holding `key`, or the empty one where it would go (linear probing).
        private func slot(_ key: DiagonalKey) -> Int {
            let mask = heads.count - 1
            var s = Int(truncatingIfNeeded: key.mixed) & mask
            while heads[s] >= 0 && keys[s] != key { s = (s + 1) & mask }
            return s
        }

        private mutating func grow() {
            let (oldKeys, oldHeads) = (keys, heads)
            let capacity = max(64, 2 * heads.count)
            keys = [DiagonalKey](repeating: DiagonalKey(a: 0, b: 0, diagonal: 0), count: capacity)
            heads = [Int32](repeating: -1, count: capacity)
            for (key, head) in zip(oldKeys, oldHeads) where head >= 0 {
                let s = slot(key)
                keys[s] = key
                heads[s] = head
            }
        }
    }
}
