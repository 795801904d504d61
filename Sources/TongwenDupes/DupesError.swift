import TongwenAnalysis
import TongwenIndex

/// A duplicate-finder run that could not complete: the index could not be read, the analyzer could
/// not start, the report cache could not be written (with its path), or a stage run apart was
/// given unusable input.
public enum DupesError: Error, CustomStringConvertible, Sendable {
    case index(IndexError)
    case analysis(AnalysisError)
    case cacheNotWritten(path: String, reason: String)
    /// A stage run apart (``DupesStages``) was given input it cannot use: what and where.
    case stage(String)

    public var description: String {
        switch self {
        case let .index(error): "\(error)"
        case let .analysis(error): "\(error)"
        case let .cacheNotWritten(path, reason): "\(path): the duplicates report could not be saved: \(reason)"
        case let .stage(message): message
        }
    }
}
