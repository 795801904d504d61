import ArgumentParser
import TongwenIndex

/// `tongwen check`: verify every checksum and structural invariant.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Verify every file's checksum and the index's structure; exit 1 at the first fault.")

    @OptionGroup var location: IndexLocation

    func run() throws {
        let report = try reportingErrors { try IndexChecker.check(location.index) }
        print("ok: \(report.files) files, \(report.segments) segments, \(report.documents) documents, \(report.terms) terms, \(report.postings) postings, \(report.positions) positions")
    }
}
