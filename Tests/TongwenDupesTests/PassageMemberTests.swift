import Testing
@testable import TongwenDupes

/// Copies of one passage never overlap inside a document: a sub-span that joined a cluster on its
/// own is united with the region it overlaps.
struct PassageMemberTests {
    func region(_ doc: Int, _ range: Range<Int>) -> PassageFinder.Region {
        PassageFinder.Region(doc: doc, start: range.lowerBound, end: range.upperBound, coreStart: range.lowerBound, coreEnd: range.upperBound)
    }

    @Test func overlappingCopiesInOneDocumentBecomeOne() {
        let joined = PassageReport.disjoint([region(1, 12741..<12777), region(0, 50..<90), region(1, 12731..<12772), region(1, 13000..<13040), region(2, 0..<40)])
        #expect(joined.map { [$0.doc, $0.start, $0.end] } == [[0, 50, 90], [1, 12731, 12777], [1, 13000, 13040], [2, 0, 40]])
        #expect(joined[1].core == 12731..<12777)
        // Touching copies stay two.
        #expect(PassageReport.disjoint([region(0, 0..<40), region(0, 40..<80)]).count == 2)
    }
}
