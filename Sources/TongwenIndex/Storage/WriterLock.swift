#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The single-writer lock: an OS advisory lock (flock) on `LOCK` in the index folder. The kernel
/// drops it when the holder exits, however it exits, so a killed writer never blocks the next.
final class WriterLock {
    static let fileName = "LOCK"
    private let fd: Int32

    init(directory: String) throws(IndexError) {
        let path = directory + "/" + Self.fileName
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, operation: "open", errno: errno) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let e = errno
            var buffer = [UInt8](repeating: 0, count: 64)
            let n = pread(fd, &buffer, 64, 0)
            close(fd)
            if e == EWOULDBLOCK {
                let holder = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : "unknown process"
                throw .locked(path: directory, holder: holder)
            }
            throw .io(path: path, operation: "flock", errno: e)
        }
        self.fd = fd
        let note = Array("pid \(getpid())".utf8)
        _ = ftruncate(fd, 0)
        _ = note.withUnsafeBytes { pwrite(fd, $0.baseAddress, note.count, 0) }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
