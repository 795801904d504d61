import TongwenAnalysis
import TongwenIndex

/// A duplicate-finder run that could not complete: the index could not be read, the analyzer could
/// not start, or the report cache could not be written (with its path).
public enum DupesError: Error, CustomStringConvertible, Sendable {
    case index(IndexError)
    case analysis(AnalysisError)
    case cacheNotWritten(path: String, reason: String)

    public var description: String {
        switch self {
        case let .index(error): "\(error)"
        case let .analysis(error): "\(error)"
        case let .cacheNotWritten(path, reason): "\(path): the duplicates report could not be saved: \(reason)"
        }
    }
}
