/// What the document configurations (``Variants/documentConfigs``) can change, learned from their
/// text dictionaries so that most text needs no OpenCC call (Debian's OpenCC converts about
/// 2 MB/s):
/// - **relevant phrases**: a phrase entry that gives some character another normal form (計畫 →
///   计划), changes length, or holds a character whose own conversion would give another normal
///   form (the phrase then decides). A run holding none converts character by character.
/// - **direct** alternates: each character's own conversion, normalized, where it differs.
/// Also the phrase entries' **reverse** (the normalized value → the key), for showing users how
/// documents may write a query.
struct Triggers: Sendable {
    private let hasDirect: [UInt64]
    private let directTable: [UInt32: [UInt32]]
    /// Relevant keys of tw2s's first step (Taiwan variants), matched on the original text, and of
    /// the Traditional → Simplified step, matched on the text after the first step's characters.
    private let firstStep: PhraseSet
    private let secondStep: PhraseSet
    private let taiwanCharacters: CharacterMap
    /// Phrase entries whose value normalizes differently from their key, by the value's first
    /// normalized code point: (normalized value, original key).
    let reverse: [UInt32: [(value: [UInt32], key: String)]]
    private let reverseFirsts: [UInt64]

    /// Whether some ``reverse`` entry starts with `c` (a bit test before the dictionary).
    @inline(__always)
    func mayStartReverse(_ c: UInt32) -> Bool { Bits.test(reverseFirsts, c) }

    @inline(__always)
    func direct(_ c: UInt32) -> [UInt32]? { Bits.test(hasDirect, c) ? directTable[c] : nil }

    /// Whether `c` may start a relevant phrase (as itself or as its Taiwan-step form) or has a
    /// table alternate: a run with no such character needs nothing.
    @inline(__always)
    func isInteresting(_ c: UInt32) -> Bool { Bits.test(interesting, c) }
    private let interesting: [UInt64]

    /// Whether the run of original characters holds a relevant phrase.
    func needsConversion(_ run: [UInt32]) -> Bool {
        for i in run.indices {
            if firstStep.starts(run, at: i, map: nil) { return true }
            if secondStep.starts(run, at: i, map: taiwanCharacters) { return true }
        }
        return false
    }

    static func shared(_ dictionaries: VariantDictionaries, _ table: NormalizationTable) throws(AnalysisError) -> Triggers {
        try cache.value(for: dictionaries) { () throws(AnalysisError) in try Triggers(dictionaries, table) }
    }

    private static let cache = DictionaryCache<Triggers>()

    private init(_ dictionaries: VariantDictionaries, _ table: NormalizationTable) throws(AnalysisError) {
        let n = Normalizer(table)
        // Step 2 (both configs): TSPhrases, then the character tables (TSCharactersExt wins ties).
        let phrases2 = try Dictionary(dictionaries, "TSPhrases.txt")
        var chars2: [UInt32: UInt32] = [:]
        for name in ["TSCharacters.txt", "TSCharactersExt.txt"] {
            for e in try Dictionary(dictionaries, name).entries where e.key.count == 1 && e.value.count == 1 { chars2[e.key[0]] = e.value[0] }
        }
        // Step 1 of tw2s: Taiwan variants back to OpenCC's standard forms.
        let phrases1 = try Dictionary(dictionaries, "TWVariantsRevPhrases.txt")
        var chars1: [UInt32: UInt32] = [:]
        for e in try Dictionary(dictionaries, "TWVariantsRev.txt").entries where e.key.count == 1 && e.value.count == 1 { chars1[e.key[0]] = e.value[0] }

        func ownChanges(_ c: UInt32) -> Bool { n(chars2[c] ?? c) != n(c) }
        var second: [[UInt32]] = []
        for e in phrases2.entries where e.key.count != e.value.count || zip(e.key, e.value).contains(where: { n($0) != n($1) }) || e.key.contains(where: ownChanges) {
            second.append(e.key)
        }
        var first: [[UInt32]] = []
        for e in phrases1.entries where e.key.count != e.value.count || e.key != e.value {
            first.append(e.key)
        }
        firstStep = PhraseSet(first)
        secondStep = PhraseSet(second)
        taiwanCharacters = CharacterMap(chars1)

        var hasDirect = [UInt64](repeating: 0, count: 0x110000 / 64)
        var direct: [UInt32: [UInt32]] = [:]
        for c in Set(chars2.keys).union(chars1.keys) {
            let t2s = chars2[c] ?? c, v1 = chars1[c] ?? c, tw2s = chars2[v1] ?? v1
            for converted in [t2s, tw2s] {
                guard let a = n.single(converted), a != n.single(c), !(direct[c]?.contains(a) ?? false) else { continue }
                direct[c, default: []].append(a)
                Bits.set(&hasDirect, c)
            }
        }
        self.hasDirect = hasDirect
        self.directTable = direct
        var interesting = hasDirect
        for key in first + second where !key.isEmpty { Bits.set(&interesting, key[0]) }
        for c in chars1.keys { Bits.set(&interesting, c) }
        self.interesting = interesting
        var reverse: [UInt32: [(value: [UInt32], key: String)]] = [:]
        for e in phrases2.entries + phrases1.entries where e.key.count > 1 {
            let from = e.key.flatMap(n.all), to = e.value.flatMap(n.all)
            if from != to, let first = to.first { reverse[first, default: []].append((to, String(String.UnicodeScalarView(e.key.compactMap(Unicode.Scalar.init))))) }
        }
        self.reverse = reverse
        var reverseFirsts = [UInt64](repeating: 0, count: 0x110000 / 64)
        for c in reverse.keys { Bits.set(&reverseFirsts, c) }
        self.reverseFirsts = reverseFirsts
    }

    /// A few characters mapped to others, with a bitset in front of the dictionary.
    struct CharacterMap: Sendable {
        private let bits: [UInt64]
        private let map: [UInt32: UInt32]

        init(_ map: [UInt32: UInt32]) {
            var bits = [UInt64](repeating: 0, count: 0x110000 / 64)
            for c in map.keys { Bits.set(&bits, c) }
            self.bits = bits
            self.map = map
        }

        @inline(__always)
        subscript(_ c: UInt32) -> UInt32? { Bits.test(bits, c) ? map[c] : nil }
    }

    /// Phrase keys by their first character, for finding any of them in a run.
    struct PhraseSet: Sendable {
        private let firsts: [UInt64]
        private let byFirst: [UInt32: [[UInt32]]]

        init(_ keys: [[UInt32]]) {
            var firsts = [UInt64](repeating: 0, count: 0x110000 / 64)
            var byFirst: [UInt32: [[UInt32]]] = [:]
            for key in keys where !key.isEmpty {
                Bits.set(&firsts, key[0])
                byFirst[key[0], default: []].append(key)
            }
            self.firsts = firsts
            self.byFirst = byFirst
        }

        /// Whether a key starts at `i` of `run` (each character first mapped by `map`, if given).
        @inline(__always)
        func starts(_ run: [UInt32], at i: Int, map: CharacterMap?) -> Bool {
            @inline(__always) func at(_ j: Int) -> UInt32 { map?[run[j]] ?? run[j] }
            let c = at(i)
            guard Bits.test(firsts, c), let keys = byFirst[c] else { return false }
            for key in keys where i + key.count <= run.count {
                var k = 1
                while k < key.count && at(i + k) == key[k] { k += 1 }
                if k == key.count { return true }
            }
            return false
        }
    }

    /// A text dictionary: `key<TAB>value[ value…]` lines; each key with its first value. Parsed
    /// from the bytes directly (STPhrases has 49,000 lines; this runs on a query's first use).
    struct Dictionary {
        var entries: [(key: [UInt32], value: [UInt32])] = []

        init(_ dictionaries: VariantDictionaries, _ name: String) throws(AnalysisError) {
            let path = dictionaries.directory + "/" + name
            guard let bytes = FileBytes.read(path) else { throw .dictionariesMissing(searched: [path]) }
            bytes.withUnsafeBufferPointer { b in
                var i = 0
                var key: [UInt32] = [], value: [UInt32] = []
                var field = 0  // 0 key, 1 first value, 2 the rest of the line
                while i < b.count {
                    let byte = b[i]
                    if byte == 0x0A {
                        if field > 0 && !key.isEmpty && !value.isEmpty { entries.append((key, value)) }
                        key = []; value = []; field = 0
                        i += 1
                    } else if byte == 0x09 {
                        field = 1; i += 1
                    } else if byte == 0x20 {
                        if field == 1 { field = 2 }
                        i += 1
                    } else {
                        let c = decodeScalar(b, i)
                        if field == 0 { key.append(c) } else if field == 1 { value.append(c) }
                        i += UTF8Scalar.length(lead: byte)
                    }
                }
                if field > 0 && !key.isEmpty && !value.isEmpty { entries.append((key, value)) }
            }
        }
    }
}

/// Which query conversions (``Variants/queryConfigs``) can give a query another normal form,
/// from the dictionary entries whose keys occur in it, so that OpenCC is called only for those
/// (a conversion replaces only substrings some entry of its steps matches):
/// - `t2s` where a Traditional → Simplified entry occurs that gives some character another
///   normal form (or changes length);
/// - `tw2s` only where a Taiwan-variant entry (`TWVariantsRev…`) occurs that changes anything:
///   without one its first step changes nothing and it converts exactly as `t2s`;
/// - `s2tw` where a Simplified → Traditional entry occurs that changes a normal form, or one
///   whose value holds a character the Taiwan- or Hong Kong-variant step changes (or such a
///   character itself, left as it is); `s2hk` only in that second case: otherwise both are the
///   Simplified → Traditional step's normal form, and `s2tw` gives it.
/// The text's own characters are matched, as OpenCC matches them.
struct QueryTriggers: Sendable {
    private let toSimplified: Triggers.PhraseSet
    private let taiwanVariants: Triggers.PhraseSet
    private let toTraditional: Triggers.PhraseSet
    private let regionalSteps: Triggers.PhraseSet

    /// The query configurations worth calling for `text`, in ``Variants/queryConfigs`` order.
    func configs(for text: String) -> [String] {
        let scalars = text.unicodeScalars.map(\.value)
        var t2s = false, tw2s = false, s2t = false, regional = false
        for i in scalars.indices {
            t2s = t2s || toSimplified.starts(scalars, at: i, map: nil)
            tw2s = tw2s || taiwanVariants.starts(scalars, at: i, map: nil)
            s2t = s2t || toTraditional.starts(scalars, at: i, map: nil)
            regional = regional || regionalSteps.starts(scalars, at: i, map: nil)
        }
        var configs: [String] = []
        if t2s { configs.append("t2s") }
        if tw2s { configs.append("tw2s") }
        if s2t || regional { configs.append("s2tw") }
        if regional { configs.append("s2hk") }
        return configs
    }

    static func shared(_ dictionaries: VariantDictionaries, _ table: NormalizationTable) throws(AnalysisError) -> QueryTriggers {
        try cache.value(for: dictionaries) { () throws(AnalysisError) in try QueryTriggers(dictionaries, table) }
    }

    private static let cache = DictionaryCache<QueryTriggers>()

    private typealias Entry = (key: [UInt32], value: [UInt32])

    private init(_ dictionaries: VariantDictionaries, _ table: NormalizationTable) throws(AnalysisError) {
        let n = Normalizer(table)
        func entries(_ names: [String]) throws(AnalysisError) -> [Entry] {
            var all: [Entry] = []
            for name in names { all += try Triggers.Dictionary(dictionaries, name).entries }
            return all
        }
        func same(_ a: UInt32, _ b: UInt32) -> Bool {
            if let x = table.single(a), let y = table.single(b) { return x == y }
            return n.all(a) == n.all(b)
        }
        /// Whether the entry changes a normal form, or with `anyChange` any character (changing
        /// length counts as both).
        func changes(_ e: Entry, anyChange: Bool = false) -> Bool {
            e.key.count != e.value.count || zip(e.key, e.value).contains { anyChange ? $0 != $1 : !same($0, $1) }
        }
        /// The key characters where a step's entries change a normal form (every key character
        /// where an entry changes length): what the step changes in the text it is given.
        func changed(_ entries: [Entry]) -> Set<UInt32> {
            var found = Set<UInt32>()
            for e in entries {
                if e.key.count != e.value.count { found.formUnion(e.key); continue }
                for (k, v) in zip(e.key, e.value) where !same(k, v) { found.insert(k) }
            }
            return found
        }
        let simplifying = try entries(["TSPhrases.txt", "TSCharacters.txt", "TSCharactersExt.txt"])
        let taiwanRev = try entries(["TWVariantsRevPhrases.txt", "TWVariantsRev.txt"])
        let traditional = try entries(["STPhrases.txt", "STPhrases_GeneratedFromRegionalPhrases.txt", "STCharacters.txt"])
        let regional = changed(try entries(["TWVariantsPhrases.txt", "TWVariants.txt"]))
            .union(changed(try entries(["HKVariantsPhrases.txt", "HKVariants.txt"])))
        toSimplified = Triggers.PhraseSet(simplifying.filter { changes($0) }.map(\.key))
        taiwanVariants = Triggers.PhraseSet(taiwanRev.filter { changes($0, anyChange: true) }.map(\.key))
        toTraditional = Triggers.PhraseSet(traditional.filter { changes($0) }.map(\.key))
        // What may put a character the regional steps change into the Traditional text: an
        // entry whose value holds one, or the character itself where no entry converts it.
        regionalSteps = Triggers.PhraseSet(traditional.filter { $0.value.contains(where: regional.contains) }.map(\.key) + regional.map { [$0] })
    }
}

/// A table built once per process from one set of dictionaries (rebuilt if they change).
final class DictionaryCache<Value: Sendable>: @unchecked Sendable {
    private let lock = PlainLock()
    private var entry: (VariantDictionaries, Value)?

    func value(for dictionaries: VariantDictionaries, _ build: () throws(AnalysisError) -> Value) throws(AnalysisError) -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let entry, entry.0 == dictionaries { return entry.1 }
        let built = try build()
        entry = (dictionaries, built)
        return built
    }
}
