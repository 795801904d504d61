import ArgumentParser
import Foundation
import TongwenServer

/// `tongwen serve`: the read-only HTTP query server and its search page.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the index over HTTP (JSON API and a search page at /).",
        discussion: """
            Endpoints (GET):
              /search?q=&limit=&offset=&snippets=&collapse=&variants=&title=&speaker=&venue=&source=&path=&date=
                  ranked hits as JSON; collapse=true folds near-duplicate versions into one hit
              /documents/{id}   a stored document: JSON, or a reader page for a browser (?q= highlights)
              /duplicates       the duplicate-boilerplate report (saved by `tongwen dupes --save`, else computed)
              /analyze?text=    the analysis of a text
              /stats, /health   figures about the index; liveness
              /                 the search page
            New commits of the index are picked up without a restart. Stops cleanly on SIGINT or SIGTERM.
            """
    )

    @OptionGroup var location: ShardLocations

    @Option(help: "Address to bind (loopback by default).")
    var host = "127.0.0.1"

    @Option(parsing: .unconditional, help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Option(name: .customLong("timeout"), parsing: .unconditional, help: "Stop a search after this many milliseconds (503).")
    var timeout = 2_000.0

    @Option(name: .customLong("max-limit"), parsing: .unconditional, help: "The largest page a request may ask for.")
    var maxLimit = 100

    func validate() throws {
        if !(0...65_535).contains(port) { throw ValidationError("--port must be 0…65535") }
        if !(timeout > 0) { throw ValidationError("--timeout must be positive") }
        if maxLimit < 1 { throw ValidationError("--max-limit must be at least 1") }
    }

    func run() async throws {
        // Every search worker and the cheap lane get a ready analyzer.
        let directories = try location.directories()
        let handle = try reportingErrors { try IndexHandle(shards: directories, warmAnalyzers: ServerConfiguration().searchWorkers + 1) }
        var configuration = ServerConfiguration(host: host, port: port)
        configuration.queryTimeoutMilliseconds = timeout
        configuration.maxLimit = maxLimit
        let index = directories.count == 1 ? directories[0] : "\(directories.count) shards"
        let app = buildApplication(configuration, handle: handle) { address in
            let line = "tongwen: serving \(index) (\(handle.searcher.snapshot.documentCount) documents) at \(address)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        try await app.runService()
        print("tongwen: stopped")
    }
}
