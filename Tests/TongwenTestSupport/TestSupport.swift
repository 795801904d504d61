import Foundation

/// Where test data lives: the repo's `index-data/` and the shared corpus beside the repo.
public enum TestData {
    /// The package root (this file is Tests/TongwenTestSupport/TestSupport.swift).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let indexData = packageRoot.appendingPathComponent("index-data")
    public static let sharedCorpus = packageRoot.appendingPathComponent("../shared/corpus").standardizedFileURL
    public static let seeds = sharedCorpus.appendingPathComponent("seeds")

    /// True when `../shared/corpus/seeds` exists; tests that need it are skipped otherwise.
    public static var hasSeeds: Bool { FileManager.default.fileExists(atPath: seeds.path) }
    public static var hasSharedCorpus: Bool { FileManager.default.fileExists(atPath: sharedCorpus.path) }

    /// Every regular file below `folder` with one of `extensions`, sorted by path.
    public static func files(in folder: URL, extensions: Set<String> = ["txt", "md"]) -> [URL] {
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        let urls = (walker?.compactMap { $0 as? URL } ?? []).filter { extensions.contains($0.pathExtension) }
        return urls.sorted { $0.path < $1.path }
    }

    public static func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }
}

/// A small deterministic generator (SplitMix64) so property tests are reproducible by seed.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random speech-like text in both scripts, with Latin words, digits and pinyin annotations.
public enum RandomText {
    static let han = Array("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理世车点书专万报张铁资车务质思院政区报共两济结队员族导种区达历达华种结论产进实门龙东马鸟爱边习认体话严条时长们问无国与义动会实当几将对发开关书种众这们经时现样与过难长还没进见为说车门会产马时发场从动无实样当们国还这说开对时经会现业业体对会们应业长时过现员农书东边马爱".unicodeScalars.map { String($0) })
    static let traditional = Array("國會說這們時發現進開對動實當幾將經與過難長還沒見為車門產馬場從無樣東體業應員農書邊愛義處變".unicodeScalars.map { String($0) })
    static let latin = ["Swift", "ICU", "abc", "GDP", "2019", "５Ｇ", "ＷＨＯ", "covid", "x86", "Ｔｏｎｇｗｅｎ"]
    static let punctuation = ["，", "。", "！", "？", "；", "、", " ", "\n", "（", "）", "(2)", "“", "”"]
    static let annotations = ["(shè)", "(chuàng)", "（jiàn）", "(guó)"]

    public static func make(_ rng: inout SeededGenerator, length: Int) -> String {
        var parts: [String] = []
        var afterHan = false
        while parts.count < length {
            let r = Int.random(in: 0..<100, using: &rng)
            switch r {
            case 0..<60:
                parts.append(han.randomElement(using: &rng)!); afterHan = true
            case 60..<75:
                parts.append(traditional.randomElement(using: &rng)!); afterHan = true
            case 75..<82:
                parts.append(latin.randomElement(using: &rng)!); afterHan = false
            case 82..<85 where afterHan:
                parts.append(annotations.randomElement(using: &rng)!)
            default:
                parts.append(punctuation.randomElement(using: &rng)!); afterHan = false
            }
        }
        return parts.joined()
    }
}


/// Blocking work (sockets, child processes) on a thread of its own. Swift Testing runs tests on
/// the cooperative pool, which has one thread per core; a test that blocks one (or a server
/// handler that waits behind tests queued on it) would stall everything else.
public enum OwnThread {
    public static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: work()) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
