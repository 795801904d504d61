import Foundation
import Testing
@testable import TongwenIndex
import TongwenTestSupport

/// The format a release wrote stays readable, or is refused clearly: `Fixtures/index-vN` are
/// indexes checked in as `scripts/make-format-fixture` wrote them (analyzer version N, from
/// `Fixtures/format-sources`, one document removed). The current version's must open, pass
/// `check` and hold exactly its documents; an older one must be refused with
/// `analyzerMismatch`, never misread. Nothing here writes into the fixtures.
@Suite struct FormatFixtureTests {
    static let fixtures = TestData.packageRoot.appendingPathComponent("Tests/TongwenIndexTests/Fixtures")

    /// (version, folder) of every checked-in fixture.
    static var indexes: [(version: UInt32, path: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []
        return names.compactMap { name in
            guard name.hasPrefix("index-v"), let version = UInt32(name.dropFirst("index-v".count)) else { return nil }
            return (version, fixtures.appendingPathComponent(name).path)
        }.sorted { $0.version < $1.version }
    }

    /// Every file's bytes, to show the test wrote nothing.
    static func contents(_ folder: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            result[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        return result
    }

    @Test func theCurrentVersionHasAFixture() {
        #expect(Self.indexes.contains { $0.version == Manifest.analyzerVersion },
                "no Fixtures/index-v\(Manifest.analyzerVersion): run scripts/make-format-fixture and add a History entry to OnDiskFormat.md")
    }

    @Test func theCurrentFixtureOpensChecksAndHoldsItsDocuments() throws {
        guard let fixture = Self.indexes.first(where: { $0.version == Manifest.analyzerVersion }) else { return }
        let before = try Self.contents(fixture.path)
        let opened = Result { () throws(IndexError) in try IndexSnapshot.open(fixture.path) }
        if case let .failure(.analyzerMismatch(detail)) = opened {
            // Written with another ICU or OpenCC than this machine's: refused, and saying why.
            #expect(!detail.isEmpty)
            print("FormatFixtureTests: the fixture is refused on this machine (\(detail)); rebuild it with scripts/make-format-fixture to read it here")
            return
        }
        let snapshot = try opened.get()
        let report = try IndexChecker.check(fixture.path)
        #expect(report.documents == 3 && report.deletedDocuments == 1)
        var ids: [String: String] = [:]
        for global in snapshot.liveDocuments {
            let record = try snapshot.document(global)
            ids[record.id] = try snapshot.text(global)
        }
        #expect(Set(ids.keys) == ["tw-report.txt", "cn-report.md", "news-1"])
        #expect(ids["tw-report.txt"]?.contains("計畫") == true)
        let news = try #require(try snapshot.find("news-1"))
        #expect(try snapshot.document(news).metadata.contains { $0.key == "speaker" && $0.value == "主播" })
        #expect(try snapshot.find("news-2") == nil)
        // The alternate that lets 计划 find 計畫 is where the format says.
        let tw = try #require(try snapshot.find("tw-report.txt"))
        let segment = try #require(snapshot.segments.first { tw >= $0.docBase && tw < $0.docBase + $0.reader.documentCount })
        #expect(try segment.reader.lookup(termKey(.hanVariant, "划")) != nil)
        #expect(try Self.contents(fixture.path) == before)
    }

    @Test func olderFixturesAreRefusedClearly() throws {
        for fixture in Self.indexes where fixture.version < Manifest.analyzerVersion {
            let error = #expect(throws: IndexError.self) { try IndexSnapshot.open(fixture.path) }
            guard case .analyzerMismatch? = error else { Issue.record("index-v\(fixture.version): expected .analyzerMismatch, got \(String(describing: error))"); continue }
        }
    }
}
