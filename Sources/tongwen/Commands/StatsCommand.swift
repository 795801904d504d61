import ArgumentParser
import Foundation
import TongwenIndex

/// `tongwen stats`: what the index holds and what it costs on disk.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Show documents, terms, segments and bytes per file kind.")

    @OptionGroup var location: IndexLocation

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let stats = try reportingErrors { try IndexStatistics(IndexSnapshot.open(location.index)) }
        if json {
            print(try JSONOutput.line(stats))
            return
        }
        func mb(_ n: Int) -> String {
            n >= 1_000_000 ? String(format: "%.2f MB", Double(n) / 1e6) : String(format: "%.1f KB", Double(n) / 1e3)
        }
        print("index:        \(location.index) (commit \(stats.generation), ICU \(stats.icuVersion), table \(stats.normalizationTable), OpenCC \(stats.openccVersion))")
        print("documents:    \(stats.documents) (\(stats.deletedDocuments) deleted, not yet merged away)")
        print("segments:     \(stats.segments)")
        print("terms:        \(stats.terms) (Han characters \(stats.hanCharacterTerms), character pairs \(stats.hanBigramTerms), Han words \(stats.hanWordTerms), other words \(stats.otherWordTerms), "
            + "symbols \(stats.symbolTerms), character+symbol pairs \(stats.hanSymbolTerms), alternates \(stats.alternateTerms), pairs with alternates \(stats.alternatePairTerms))")
        for (kind, bytes) in stats.bytesByKind.sorted(by: { $0.key < $1.key }) {
            print("  \(kind.padding(toLength: 12, withPad: " ", startingAt: 0)) \(mb(bytes))")
        }
        print("raw text:     \(mb(stats.rawTextBytes))")
        print("index size:   \(mb(stats.indexBytes)) (\(String(format: "%.2f", stats.ratio)) × raw); without stored text \(mb(stats.indexBytesWithoutText)) (\(String(format: "%.2f", stats.ratioWithoutText)) × raw)")
        print("search index: \(mb(stats.searchIndexBytes)) (\(String(format: "%.2f", stats.searchRatio)) × raw): without stored text and fingerprints")
    }
}
