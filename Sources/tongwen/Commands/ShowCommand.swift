import ArgumentParser
import Foundation
import TongwenIndex
import TongwenSearch

/// `tongwen show ID`: a stored document, as indexed.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a stored document (metadata and original text).")

    @Argument(help: "The document id (as search shows it).")
    var id: String

    @OptionGroup var location: IndexLocation

    @Flag(help: "Print JSON: id, title, metadata, text.")
    var json = false

    func run() throws {
        let (record, text) = try reportingErrors { () throws -> (StoredDocument, String) in
            let snapshot = try IndexSnapshot.open(location.index)
            guard let global = try snapshot.find(id) else { throw IndexError.unknownDocument(id) }
            return (try snapshot.document(global), try snapshot.text(global))
        }
        if json {
            print(try JSONOutput.line(DocumentResponse(record, text: text)))
            return
        }
        print("id:       \(record.id)")
        print("title:    \(record.title)")
        let width = max(8, (record.metadata.map(\.key.count).max() ?? 0) + 2)
        for (key, value) in record.metadata { print("\(key):".padding(toLength: width, withPad: " ", startingAt: 0) + value) }
        print("")
        print(text)
    }
}
