import CCompressionShim

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams one framed file (header, payload, footer with CRC-32) to disk through a buffer, then
/// fsyncs it. Payload offsets handed out are relative to the payload's start.
final class FramedFileWriter {
    let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var crc: UInt32 = 0
    private var written = 0
    private var finished = false

    init(path: String, kind: FileFrame.Kind) throws(IndexError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, operation: "create", errno: errno) }
        buffer.reserveCapacity(1 << 20)
        buffer.append(contentsOf: FileFrame.header(kind))
    }

    deinit { if !finished { close(fd) } }

    /// Bytes of payload written so far.
    var payloadOffset: Int { written + buffer.count - FileFrame.headerSize }

    func write(_ bytes: UnsafeRawBufferPointer) throws(IndexError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try drain() }
    }

    func write(_ bytes: [UInt8]) throws(IndexError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try drain() }
    }

    private func drain() throws(IndexError) {
        crc = buffer.withUnsafeBufferPointer { CCompressionShim_crc32(crc, $0.baseAddress, $0.count) }
        try FileSystem.writeAll(fd, buffer, path)
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes the footer, fsyncs and closes. Returns the file's size.
    @discardableResult
    func finish() throws(IndexError) -> Int {
        try drain()
        let footer = FileFrame.footer(crcBefore: crc)
        try FileSystem.writeAll(fd, footer, path)
        written += footer.count
        finished = true
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .io(path: path, operation: "fsync", errno: errno) }
        return written
    }
}
