import ArgumentParser
import TongwenIndex

/// `tongwen remove ID…`: delete documents by id and commit.
struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove documents from the index by id.")

    @Argument(help: "Document ids (as `tongwen search` shows them).")
    var ids: [String]

    @OptionGroup var location: IndexLocation

    func validate() throws {
        if ids.isEmpty { throw ValidationError("give at least one document id") }
    }

    func run() throws {
        let missing = try reportingErrors { () throws -> [String] in
            let writer = try IndexWriter(directory: location.index)
            let missing = ids.filter { !writer.remove($0) }
            try writer.commit()
            return missing
        }
        print("removed \(counted(ids.count - missing.count, "document"))")
        for id in missing { printError("no document with id '\(id)' in the index") }
        if !missing.isEmpty { throw ExitCode(1) }
    }
}
