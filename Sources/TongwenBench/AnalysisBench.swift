import CICUShim
import TongwenAnalysis

/// Issue "analysis pipeline": the whole analysis stage (decode + clean + normalize + segment, with
/// offsets) against raw ICU word break (UTF-8 → UTF-16 + walk every boundary and its rule
/// status) over the same bytes, interleaved rounds on one core, median round reported.
enum AnalysisBench {
    /// Returns the analysis stage's MB/s.
    static func run(corpus: Corpus, rounds: Int) -> Double {
        let analyzer = try! Analyzer()
        let breaker = try! WordBreaker()
        var rawTimes: [Double] = [], analysisTimes: [Double] = []
        var rawSegments = 0, tokens = 0, failures = 0
        for _ in 0..<max(1, rounds) {
            var start = Clock.now
            rawSegments = rawWordBreak(corpus, breaker)
            rawTimes.append(Clock.since(start))

            start = Clock.now
            (tokens, failures) = analysis(corpus, analyzer)
            analysisTimes.append(Clock.since(start))
        }
        let raw = Figures.median(rawTimes), full = Figures.median(analysisTimes)
        let bytes = corpus.totalBytes
        print("analysis:")
        print("  raw ICU word break   \(Figures.rate(bytes, raw)) MB/s  (\(rawSegments) segments)")
        print("  analysis stage       \(Figures.rate(bytes, full)) MB/s  (\(tokens) tokens, \(failures) files failed)")
        print("  ratio analysis / raw ICU: \(Figures.ratio(raw / full))  (target ≥ 0.70)")
        return Double(bytes) / 1e6 / full
    }

    static func rawWordBreak(_ corpus: Corpus, _ breaker: WordBreaker) -> Int {
        var utf16 = [UInt16](repeating: 0, count: 1 << 20)
        var segments = 0
        for file in corpus.files {
            if utf16.count < file.bytes.count + 1 { utf16 = [UInt16](repeating: 0, count: file.bytes.count + 1) }
            var err: Int32 = 0
            let length = file.bytes.withUnsafeBufferPointer {
                CICUShim_utf8ToUTF16($0.baseAddress, Int32($0.count), &utf16, Int32(utf16.count), &err)
            }
            utf16.withUnsafeBufferPointer { buffer in
                try! breaker.segments(UnsafeBufferPointer(rebasing: buffer[0..<Int(length)])) { _, _, status in
                    if status >= 0 { segments += 1 }
                }
            }
        }
        return segments
    }

    static func analysis(_ corpus: Corpus, _ analyzer: Analyzer) -> (tokens: Int, failures: Int) {
        var tokens = 0, failures = 0
        for file in corpus.files {
            do {
                let decoded = try TextDecoder.decode(file.bytes, source: file.path)
                tokens += try analyzer.analyze(decoded.text).segments.count
            } catch {
                failures += 1
            }
        }
        return (tokens, failures)
    }
}
