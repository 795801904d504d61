import Foundation
import TongwenAnalysis
import TongwenIndex

/// The duplicate finder's pairwise stages split into parts that run apart (Spark tasks:
/// `scripts/spark/dupes_shards.py`), with only the grouping of fingerprints by hash between them
/// done elsewhere (Spark's shuffle). A part is a contiguous range of the snapshot's live
/// documents (``range(part:of:count:)``).
///
/// 1. ``prepare(_:part:of:units:emit:)``: stage 1 for one part's documents. Their comparison
///    units go into a units file; their fingerprints come out as lines
///    `hash TAB doc TAB position TAB part` (doc: the global document number).
/// 2. Elsewhere: the lines grouped by hash, hashes seen at least twice kept, and part k given
///    every occurrence (`hash TAB doc TAB position`) of each kept hash that occurs in part k.
/// 3. ``pairs(_:part:of:units:seeds:output:)``: stages 2–3 for the pairs whose first document
///    is in part k. They run from those seeds and every part's units file, and the result is a
///    ``DupesState`` that holds only those pairs.
/// 4. ``report(_:pairs:progress:)``: the parts' states joined in part order are the state a whole
///    run saves, so the report is an incremental run's with nothing new. It equals, byte for
///    byte, ``DupesFinder/run(_:options:incremental:save:progress:)`` over the same snapshot.
///
/// Units file (a side file, framed and checksummed as ``SideFile`` writes it):
/// ```
/// Version(u32) K(u32) W(u32) Part(u32) Parts(u32) DocumentCount(u32) First(u32) Count(u32)
/// (ContentHash(u64) Length(u32) Distinct(u32)) × Count
/// Unit(u16) × ΣLength
/// ```
/// Only default options run in parts (the report the server and `--collapse` use).
public enum DupesStages {
    static let version: UInt32 = 1

    /// The documents of part `part` of `parts` over `count` documents.
    public static func range(part: Int, of parts: Int, count: Int) -> Range<Int> {
        (count * part / parts)..<(count * (part + 1) / parts)
    }

    /// The file name of part `part` of `parts` with `suffix` ("units", "pairs").
    public static func fileName(part: Int, of parts: Int, _ suffix: String) -> String {
        String(format: "part-%05d-of-%05d.", part, parts) + suffix
    }

    /// Stage 1 for part `part` of `parts` of `snapshot`: the units file in folder `units`, and the
    /// fingerprint lines handed to `emit` a block of bytes at a time.
    public static func prepare(_ snapshot: IndexSnapshot, part: Int, of parts: Int, units: String,
                               emit: ([UInt8]) -> Void) throws(DupesError) {
        let source = try DupesSource(snapshot)
        try check(part: part, of: parts)
        let docs = range(part: part, of: parts, count: source.count)
        let analyzers = try DupesCorpus.analyzerPair()
        var header = ByteWriter(), body = ByteWriter()
        for v in [version, UInt32(Winnowing.k), UInt32(Winnowing.w), UInt32(part), UInt32(parts), UInt32(source.count),
                  UInt32(docs.lowerBound), UInt32(docs.count)] { header.u32(v) }
        for block in stride(from: docs.lowerBound, to: docs.upperBound, by: DupesCorpus.block) {
            let made = try parallelMap(min(DupesCorpus.block, docs.upperBound - block)) { (i, worker) throws(DupesError) in
                let doc = block + i
                let analyzed = try DupesCorpus.analyze(doc, source, analyzers[worker], late: false)
                var fingerprints = analyzed.fingerprints
                if fingerprints == nil { fingerprints = try source.fingerprints(doc) }
                return (analyzed, lines(fingerprints ?? [], doc: doc, part: part))
            }
            for (i, (analyzed, text)) in made.enumerated() {
                header.u64(source.contentHashes[block + i])
                header.u32(UInt32(analyzed.units.count))
                header.u32(UInt32(analyzed.distinct))
                for u in analyzed.units { withUnsafeBytes(of: u.littleEndian) { body.append($0) } }
                emit(text)
            }
        }
        header.append(body.bytes)
        do { try SideFile.write(header.bytes, directory: units, name: fileName(part: part, of: parts, "units")) } catch {
            throw .index(error)
        }
    }

    /// One document's fingerprint lines.
    private static func lines(_ fingerprints: [Winnowing.Fingerprint], doc: Int, part: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(fingerprints.count * 28)
        for f in fingerprints {
            out.append(contentsOf: "\(f.hash)\t\(doc)\t\(f.position)\t\(part)\n".utf8)
        }
        return out
    }

    private static func check(part: Int, of parts: Int) throws(DupesError) {
        guard parts >= 1, (0..<parts).contains(part) else { throw .stage("part \(part) of \(parts): a part is 0…parts − 1, parts ≥ 1") }
    }

    /// Stages 2–3 for part `part` of `parts`: the pairs whose first document is in the part,
    /// from `seeds` (that part's occurrences, as step 2 groups them) and every part's units file
    /// in folder `units`. The part's state is written as the side file `fileName(part:of:"pairs")`
    /// in folder `output`.
    public static func pairs(_ snapshot: IndexSnapshot, part: Int, of parts: Int, units: String, seeds: SeedLines,
                             output: String) throws(DupesError) {
        try check(part: part, of: parts)
        let source = try DupesSource(snapshot)
        var all: [[Unit]] = [], distinct: [Int] = []
        for k in 0..<parts { try loadUnits(units, part: k, of: parts, source: source, into: &all, distinct: &distinct) }
        let corpus = try DupesCorpus.loaded(source, units: all, distinct: distinct)
        for s in seeds.seeds where Int(s.doc) >= source.count || Int(s.position) + Winnowing.k > all[Int(s.doc)].count {
            throw .stage("seeds: document \(s.doc) position \(s.position) is outside the \(source.count) documents' units")
        }
        var table = try SeedTable(expected: seeds.seeds.count) { visit in seeds.seeds.forEach(visit) }
        let (pairs, near) = try corpus.pairs(&table, first: range(part: part, of: parts, count: source.count))
        let state = DupesState(documents: source.keys, pairs: pairs, nearPairs: near)
        do { try SideFile.write(state.encoded(), directory: output, name: fileName(part: part, of: parts, "pairs")) } catch {
            throw .index(error)
        }
    }

    /// Part `part`'s units file appended to `units` and `distinct`, checked against `source`.
    private static func loadUnits(_ folder: String, part: Int, of parts: Int, source: DupesSource,
                                  into units: inout [[Unit]], distinct: inout [Int]) throws(DupesError) {
        let name = fileName(part: part, of: parts, "units"), path = folder + "/" + name
        guard let bytes = SideFile.read(directory: folder, name: name) else {
            throw .stage("\(path): missing or damaged (run the prepare stage of part \(part) again)")
        }
        let docs = range(part: part, of: parts, count: source.count)
        let read = bytes.withUnsafeBytes { raw in
            Result { () throws(IndexError) in
                var r = ByteReader(raw, file: path)
                let expected = [version, UInt32(Winnowing.k), UInt32(Winnowing.w), UInt32(part), UInt32(parts), UInt32(source.count),
                                UInt32(docs.lowerBound), UInt32(docs.count)]
                for (field, value) in expected.enumerated() where try r.u32() != value {
                    throw r.corrupt("header field \(field) is not \(value): made by another version, part count or index")
                }
                var lengths: [Int] = []
                for doc in docs {
                    guard try r.u64() == source.contentHashes[doc] else { throw r.corrupt("document \(doc) changed since the prepare stage") }
                    lengths.append(Int(try r.u32()))
                    distinct.append(Int(try r.u32()))
                }
                for length in lengths {
                    let bytes = try r.bytes(2 * length)
                    units.append((0..<length).map { i in bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian })
                }
                guard r.isAtEnd else { throw r.corrupt("bytes after the units") }
            }
        }
        if case let .failure(error) = read { throw .index(error) }
    }

    /// The report from the parts' states in folder `pairs` (every `part-K-of-N.pairs` of one N):
    /// clustering and every later stage, as a whole run over `snapshot` does them.
    public static func report(_ snapshot: IndexSnapshot, pairs folder: String, progress: (String) -> Void = { _ in }) throws(DupesError) -> DupesReport {
        progress("reading the documents' ids")
        let source = try DupesSource(snapshot)
        let parts = try partCount(folder)
        var merged = DupesState(documents: source.keys, pairs: PassageFinder.PairResults(), nearPairs: [])
        for k in 0..<parts {
            let name = fileName(part: k, of: parts, "pairs")
            guard let state = DupesState.load(folder, name: name) else { throw .stage("\(folder)/\(name): missing, damaged or from another version") }
            guard state.documents == merged.documents else { throw .stage("\(folder)/\(name): made over other documents than this index's") }
            merged.pairs.alignments += state.pairs.alignments
            merged.pairs.shortMatches += state.pairs.shortMatches
            merged.nearPairs += state.nearPairs
        }
        return try DupesFinder.run(source, options: DupesOptions(), previous: merged, saving: false, progress: progress).report
    }

    /// N of the `part-K-of-N.pairs` files in `folder`, all of which must be there.
    private static func partCount(_ folder: String) throws(DupesError) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let counts = Set(names.compactMap { name -> Int? in
            guard name.hasPrefix("part-"), name.hasSuffix(".pairs"), let of = name.range(of: "-of-") else { return nil }
            return Int(name[of.upperBound..<name.index(name.endIndex, offsetBy: -6)])
        })
        guard counts.count == 1, let parts = counts.first, parts >= 1 else {
            throw .stage("\(folder): " + (counts.isEmpty ? "no part-K-of-N.pairs file" : "pairs files of different part counts \(counts.sorted())"))
        }
        for k in 0..<parts where !names.contains(fileName(part: k, of: parts, "pairs")) {
            throw .stage("\(folder): \(fileName(part: k, of: parts, "pairs")) is missing (run the pairs stage of part \(k))")
        }
        return parts
    }
}

/// Seed lines (`hash TAB doc TAB position`, one per line) read a block of bytes at a time, as
/// the pairs stage takes them from Spark's shuffle. A malformed line is an error naming its
/// line number.
public struct SeedLines {
    private(set) var seeds: [PassageFinder.Seed] = []
    private var partial: [UInt8] = []
    private var line = 0

    public init() {}

    /// Parses the complete lines of `bytes` (with what an earlier block left unfinished).
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(DupesError) {
        var start = 0
        for i in 0..<bytes.count where bytes[i] == 10 {
            if partial.isEmpty {
                try parse(UnsafeRawBufferPointer(rebasing: bytes[start..<i]))
            } else {
                partial.append(contentsOf: bytes[start..<i])
                let whole = partial
                partial = []
                try parse(whole)
            }
            start = i + 1
        }
        partial.append(contentsOf: bytes[start...])
    }

    /// Ends the input: a last line without its newline is parsed too.
    public mutating func finish() throws(DupesError) {
        guard !partial.isEmpty else { return }
        let whole = partial
        partial = []
        try parse(whole)
    }

    private mutating func parse(_ bytes: some Collection<UInt8>) throws(DupesError) {
        line += 1
        if bytes.isEmpty { return }
        var fields: [UInt64] = [], value: UInt64 = 0, digits = 0
        for (column, byte) in bytes.enumerated() {
            if byte == 9 {
                guard digits > 0 else { throw malformed(column) }
                fields.append(value)
                (value, digits) = (0, 0)
            } else if byte >= 48 && byte <= 57 && digits < 11 {
                value = value * 10 + UInt64(byte - 48)
                digits += 1
            } else if byte != 13 {
                throw malformed(column)
            }
        }
        guard digits > 0 else { throw malformed(bytes.count) }
        fields.append(value)
        guard fields.count == 3, fields[0] <= UInt64(UInt32.max), fields[1] <= UInt64(Int32.max), fields[2] <= UInt64(Int32.max) else {
            throw .stage("seeds line \(line): want hash, document and position (three numbers separated by tabs)")
        }
        seeds.append(.init(hash: UInt32(fields[0]), doc: Int32(fields[1]), position: Int32(fields[2])))
    }

    private func malformed(_ column: Int) -> DupesError {
        .stage("seeds line \(line), column \(column + 1): not a number (want hash TAB document TAB position)")
    }
}
