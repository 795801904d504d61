import ArgumentParser
import Foundation
import TongwenAnalysis

/// The `tongwen` command line: one small struct per subcommand, in Commands/.
@main
struct Tongwen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tongwen",
        abstract: "Full-text search for Chinese speeches in Traditional and Simplified script.",
        subcommands: [SearchCommand.self, ShowCommand.self, ServeCommand.self, DupesCommand.self, DupesStageCommand.self, IndexCommand.self, RemoveCommand.self, StatsCommand.self, CheckCommand.self, AnalyzeCommand.self]
    )

    /// `TONGWEN_OPENCC_DIR` names another folder of prepared OpenCC dictionaries; then the commands run.
    static func main() async {
        if let directory = ProcessInfo.processInfo.environment["TONGWEN_OPENCC_DIR"], !directory.isEmpty {
            VariantDictionaries.use(directory: directory)
        }
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
