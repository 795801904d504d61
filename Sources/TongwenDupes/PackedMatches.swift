/// Matches held compactly while stage 3 runs (about 10 bytes each instead of 28): each field as
/// a LEB128 varint of its zigzagged difference from the previous match's (ends as lengths), so a
/// block of one document's alignments, sorted, costs a few bytes a match. Unpacked once the seed
/// table is gone (``DupesCorpus/joined(_:)``).
struct PackedMatches {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    init(_ matches: [PassageFinder.Match]) {
        bytes.reserveCapacity(32 * matches.count)
        var previous = PassageFinder.Match(a: 0, sa: 0, ea: 0, b: 0, sb: 0, eb: 0, matched: 0)
        for m in matches {
            put(m.a &- previous.a); put(m.b &- previous.b); put(m.sa &- previous.sa); put(m.sb &- previous.sb)
            put((m.ea &- m.sa) &- (previous.ea &- previous.sa))
            put((m.eb &- m.sb) &- (previous.eb &- previous.sb))
            put(m.matched &- previous.matched)
            previous = m
        }
        count = matches.count
        bytes = Array(bytes[...])  // exactly as long as it is: these are what a run holds most of
    }

    private mutating func put(_ difference: Int32) {
        var v = UInt32(bitPattern: (difference << 1) ^ (difference >> 31))
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Calls `body` with each match in order.
    func forEach(_ body: (PassageFinder.Match) -> Void) {
        bytes.withUnsafeBufferPointer { bytes in
            var i = 0
            func next() -> Int32 {
                var v: UInt32 = 0, shift: UInt32 = 0
                while true {
                    let byte = bytes[i]
                    i += 1
                    v |= UInt32(byte & 0x7F) << shift
                    if byte < 0x80 { break }
                    shift += 7
                }
                return Int32(bitPattern: v >> 1) ^ -Int32(bitPattern: v & 1)
            }
            var m = PassageFinder.Match(a: 0, sa: 0, ea: 0, b: 0, sb: 0, eb: 0, matched: 0)
            for _ in 0..<count {
                let (lengthA, lengthB) = (m.ea &- m.sa, m.eb &- m.sb)
                m.a &+= next(); m.b &+= next(); m.sa &+= next(); m.sb &+= next()
                m.ea = m.sa &+ lengthA &+ next()
                m.eb = m.sb &+ lengthB &+ next()
                m.matched &+= next()
                body(m)
            }
        }
    }
}
