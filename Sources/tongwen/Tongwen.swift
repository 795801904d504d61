import ArgumentParser

/// The `tongwen` command line: one small struct per subcommand, in Commands/.
@main
struct Tongwen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tongwen",
        abstract: "Full-text search for Chinese speeches in Traditional and Simplified script.",
        subcommands: [SearchCommand.self, ShowCommand.self, ServeCommand.self, DupesCommand.self, IndexCommand.self, RemoveCommand.self, StatsCommand.self, CheckCommand.self, AnalyzeCommand.self]
    )
}
