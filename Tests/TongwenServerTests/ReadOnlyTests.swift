import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TongwenDupes
import TongwenIndex
import TongwenSearch
@testable import TongwenServer
import TongwenTestSupport

/// Read paths never write into the index folder: after `collapse=true`, `/duplicates` and a
/// collapsed search, every file has the same bytes, none is added, and ranking is unchanged.
@Suite struct ReadOnlyTests {
    static func checksums(_ directory: String) throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            files[name] = Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
        }
        return files
    }

    @Test func duplicatesAndCollapsingWriteNothing() async throws {
        let fixture = try ServerFixture()
        let before = try Self.checksums(fixture.directory)
        let ranking = try Searcher.open(fixture.directory).search("文明", options: SearchOptions(limit: 20, snippets: false)).hits.map(\.id)
        try await fixture.app().test(.router) { client in
            for uri in ["/search?q=\(encoded("文明"))&collapse=true", "/duplicates", "/search?q=\(encoded("城市"))&collapse=1"] {
                try await client.execute(uri: uri, method: .get) { response in #expect(response.status == .ok, "\(uri)") }
            }
        }
        let searcher = try Searcher.open(fixture.directory)
        var options = SearchOptions(limit: 20, snippets: false)
        options.collapse = try DupesCache.report(for: searcher.snapshot).nearDuplicateClusters
        _ = try searcher.search("文明", options: options)
        #expect(try Self.checksums(fixture.directory) == before)
        #expect(try Searcher.open(fixture.directory).search("文明", options: SearchOptions(limit: 20, snippets: false)).hits.map(\.id) == ranking)
    }
}
