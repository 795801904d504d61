/// What a term's dictionary entry says: how many documents and where its postings are.
public struct TermInfo: Equatable, Sendable {
    /// Documents in the term's doc stream (deleted ones included).
    public var docFreq: Int
    var postings: Range<Int>
    var positions: Range<Int>

    /// Bytes of the term's positions stream.
    public var positionsByteCount: Int { positions.count }
    /// Bytes of the term's postings and positions: what reading it all costs.
    public var byteCount: Int { postings.count + positions.count }
}
