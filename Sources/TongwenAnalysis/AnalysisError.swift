/// Everything that can go wrong in the analysis pipeline, with what and where.
public enum AnalysisError: Error, Equatable, CustomStringConvertible {
    /// An ICU call failed; `name` is ICU's error name (e.g. `U_FILE_ACCESS_ERROR`).
    case icu(call: String, code: Int32, name: String)
    /// Bytes that could not be decoded. `offset` is the byte offset of the first bad sequence.
    case undecodable(source: String, offset: Int, detail: String)
    /// An encoding name ICU does not know.
    case unknownEncoding(String)
    /// No prepared OpenCC dictionaries in any of these folders (`scripts/install-deps` writes them).
    case dictionariesMissing(searched: [String])
    /// OpenCC could not open a configuration.
    case opencc(config: String, message: String)

    public var description: String {
        switch self {
        case let .icu(call, code, name):
            return "ICU error in \(call): \(name) (\(code))"
        case let .undecodable(source, offset, detail):
            return "\(source): cannot decode at byte offset \(offset): \(detail)"
        case let .dictionariesMissing(searched):
            return "no OpenCC dictionaries in \(searched.joined(separator: " or ")); scripts/install-deps prepares them (or set TONGWEN_OPENCC_DIR)"
        case let .opencc(config, message):
            return "OpenCC cannot open \(config): \(message)"
        case let .unknownEncoding(name):
            return "unknown encoding '\(name)' (try utf-8, utf-16le, utf-16be, gb18030, big5)"
        }
    }
}
