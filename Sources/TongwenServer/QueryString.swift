/// Strict `application/x-www-form-urlencoded` decoding of a URL's query string: `+` is a space,
/// `%XX` a byte, and the bytes of every name and value must be UTF-8. Anything else is an error
/// naming the parameter, so bad input gets a 400, never a guess.
enum QueryString {
    struct Failure: Error {
        var message: String
        var parameter: String?
    }

    static func parse(_ raw: String?) throws(Failure) -> [String: String] {
        var result: [String: String] = [:]
        guard let raw, !raw.isEmpty else { return result }
        for pair in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decode(parts[0], parameter: nil)
            let value = parts.count > 1 ? try decode(parts[1], parameter: name) : ""
            if result[name] == nil { result[name] = value }
        }
        return result
    }

    static func decode(_ text: Substring, parameter: String?) throws(Failure) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        let utf8 = Array(text.utf8)
        var i = 0
        while i < utf8.count {
            let b = utf8[i]
            if b == UInt8(ascii: "+") {
                bytes.append(0x20)
                i += 1
            } else if b == UInt8(ascii: "%") {
                guard i + 2 < utf8.count, let hi = hex(utf8[i + 1]), let lo = hex(utf8[i + 2]) else {
                    throw Failure(message: "invalid percent-escape at character \(i + 1) of \(parameter.map { "parameter '\($0)'" } ?? "a parameter name")",
                                  parameter: parameter)
                }
                bytes.append(hi << 4 | lo)
                i += 3
            } else {
                bytes.append(b)
                i += 1
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self), !decoded.unicodeScalars.contains("\u{FFFD}") else {
            throw Failure(message: "\(parameter.map { "parameter '\($0)'" } ?? "a parameter name") is not valid UTF-8", parameter: parameter)
        }
        return decoded
    }

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
