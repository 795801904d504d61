import Foundation

/// The point in time (uptime nanoseconds) a search must finish by.
struct Deadline {
    let limit: UInt64?
    let milliseconds: Double

    init(_ timeout: Double?) {
        milliseconds = timeout ?? 0
        limit = timeout.map { DispatchTime.now().uptimeNanoseconds + UInt64(max(0, $0) * 1e6) }
    }

    func check() throws(SearchError) {
        if let limit, DispatchTime.now().uptimeNanoseconds > limit { throw .timeout(milliseconds: milliseconds) }
    }
}
