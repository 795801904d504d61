import ArgumentParser
import TongwenIndex

/// `tongwen check`: verify every checksum and structural invariant.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Verify every file's checksum and the index's structure; exit 1 at the first fault.")

    @OptionGroup var location: IndexLocation

    func run() throws {
        let report = try reportingErrors { try IndexChecker.check(location.index) }
        let deleted = report.deletedDocuments > 0 ? " (\(report.deletedDocuments) deleted, not yet merged away)" : ""
        print("ok: \(counted(report.files, "file")), \(counted(report.segments, "segment")), \(counted(report.documents, "document"))\(deleted), "
              + "\(counted(report.terms, "term")), \(counted(report.postings, "posting")), \(counted(report.positions, "position"))")
    }
}
