// tongwen-crash-writer CORPUS INDEX RAM_MB [STEP:N]
//
// The crash tests' writer: indexes CORPUS into INDEX (with --prune) through the library's Indexer,
// exactly as `tongwen index` does, and with STEP:N SIGKILLs itself at the N-th commit step named
// STEP (add, flush, deletes, manifest, collect, merge). It is built for the tests only; the
// shipped binary has no kill hook.
import Foundation
@_spi(Testing) import TongwenIndex
import TongwenIngest

let arguments = CommandLine.arguments
guard arguments.count >= 4, let ramMB = Double(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: tongwen-crash-writer CORPUS INDEX RAM_MB [STEP:N]\n".utf8))
    exit(2)
}
do {
    let writer = try IndexWriter(directory: arguments[2], ramBudget: Int(ramMB * 1_048_576))
    if arguments.count > 4 {
        let parts = arguments[4].split(separator: ":")
        guard parts.count == 2, let target = Int(parts[1]) else { exit(2) }
        let step = String(parts[0])
        var seen = 0
        writer.onCommitStep = { name in
            guard name == step else { return }
            seen += 1
            if seen == target { kill(getpid(), SIGKILL) }
        }
    }
    let summary = try Indexer(writer: writer).index([arguments[1]], prune: true)
    exit(summary.failed == 0 ? 0 : 1)
} catch {
    FileHandle.standardError.write(Data("tongwen-crash-writer: \(error)\n".utf8))
    exit(1)
}
