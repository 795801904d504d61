/// File names of a segment and of the index folder (see OnDiskFormat.md).
struct SegmentFiles: Sendable {
    let directory: String
    let id: UInt64
    let name: String
    let documents: String
    let text: String
    let terms: String
    let postings: String
    let positions: String
    let fingerprints: String

    init(directory: String, id: UInt64) {
        self.directory = directory
        self.id = id
        name = "seg-" + String(id, radix: 16).leftPadded(to: 8)
        let base = directory + "/" + name
        documents = base + ".docs"
        text = base + ".text"
        terms = base + ".terms"
        postings = base + ".post"
        positions = base + ".posi"
        fingerprints = base + ".fing"
    }

    var all: [String] { [documents, text, terms, postings, positions, fingerprints] }

    func deletes(generation: UInt64) -> String { directory + "/" + deletesName(generation: generation) }

    func deletesName(generation: UInt64) -> String {
        name + "-" + String(generation, radix: 16).leftPadded(to: 8) + ".dels"
    }

    /// The segment id in a file name of ours (`seg-0000002a.post` → 42), or nil.
    static func id(ofFile name: String) -> UInt64? {
        guard name.hasPrefix("seg-"), name.utf8.count >= 12 else { return nil }
        return UInt64(String(name.dropFirst(4).prefix(8)), radix: 16)
    }

    static func manifest(_ directory: String) -> String { directory + "/manifest" }
    static func manifestTemp(_ directory: String) -> String { directory + "/manifest.tmp" }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
