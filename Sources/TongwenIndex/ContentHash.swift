/// The content hash of source bytes: stable across runs and machines, 8 bytes per step
/// (multiply–xorshift over little-endian words, then the tail and the length).
public func contentHash(_ bytes: some Collection<UInt8>) -> UInt64 {
    if let hash = bytes.withContiguousStorageIfAvailable({ contentHash(UnsafeRawBufferPointer($0)) }) { return hash }
    return Array(bytes).withUnsafeBytes { contentHash($0) }
}

func contentHash(_ raw: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(raw.count)
    let words = raw.count / 8
    for i in 0..<words {
        let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
        h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 32
    }
    var tail: UInt64 = 0
    for i in (words * 8)..<raw.count { tail = tail << 8 | UInt64(raw[i]) }
    h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
    return h ^ (h >> 29)
}
