import Foundation
import Synchronization

/// With `TONGWEN_DEBUG_TIMING=1` in the environment, prints the time each phase of a run took to
/// standard error (for finding where a slow run spends its time; silent otherwise).
enum DebugTiming {
    private static let enabled = ProcessInfo.processInfo.environment["TONGWEN_DEBUG_TIMING"] != nil
    private static let last = Mutex(Date())

    /// Marks the end of phase `label`.
    static func mark(_ label: @autoclosure () -> String) {
        guard enabled else { return }
        let elapsed = last.withLock { last in
            defer { last = Date() }
            return Date().timeIntervalSince(last)
        }
        FileHandle.standardError.write(Data("\(label()): \(String(format: "%.2f", elapsed)) s\n".utf8))
    }
}
