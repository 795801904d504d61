import TongwenIndex

/// A search that could not run: a malformed query (with its column), or an index fault.
public enum SearchError: Error, CustomStringConvertible, Sendable {
    case query(QueryError)
    /// A filter given apart from the query (the server's `date=` …) is malformed.
    case filter(String, QueryError)
    /// The search ran past its deadline.
    case timeout(milliseconds: Double)
    case index(IndexError)

    public var description: String {
        switch self {
        case let .query(error): return error.description
        case let .filter(name, error): return "\(name): \(error.message)"
        case let .timeout(ms): return "the search took longer than \(Int(ms)) ms and was stopped; make the query more specific"
        case let .index(error): return error.description
        }
    }
}
