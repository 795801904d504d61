import CICUShim

/// Bytes → text. UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK and Big5, detected
/// with ICU's charset detector and converted with ICU's converters; or a forced encoding.
public enum TextDecoder {
    /// Decoded text and the encoding it was read as.
    public struct Decoded: Sendable, Equatable {
        public var text: String
        /// Canonical encoding name: `UTF-8`, `UTF-16LE`, `UTF-16BE`, `GB18030`, `Big5`, or the forced name.
        public var encoding: String
    }

    /// Decodes `bytes`. With `encoding` nil the encoding is detected; a name forces it.
    /// - Parameter source: names the input in errors (a path, or `<argument>`).
    /// - Throws: ``AnalysisError/undecodable(source:offset:detail:)`` naming the first bad byte.
    public static func decode(_ bytes: [UInt8], encoding: String? = nil, source: String) throws(AnalysisError) -> Decoded {
        if let encoding {
            return try decodeForced(bytes, encoding: encoding, source: source)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return try decodeUTF8(bytes[3...], source: source, offsetBase: 3)
        }
        if bytes.starts(with: [0xFF, 0xFE]) {
            return try decodeICU(bytes, charset: "UTF-16LE", skip: 2, source: source)
        }
        if bytes.starts(with: [0xFE, 0xFF]) {
            return try decodeICU(bytes, charset: "UTF-16BE", skip: 2, source: source)
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return Decoded(text: text, encoding: "UTF-8")
        }
        let utf8Offset = firstInvalidUTF8Offset(bytes[...]) ?? 0
        // Not UTF-8: ask ICU's detector, and accept only the Chinese legacy encodings it names
        // that decode the whole file cleanly. Other encodings must be forced.
        var attempts: [String] = []
        for charset in detectChineseCharsets(bytes) {
            do {
                let decoded = try decodeICU(bytes, charset: charset, skip: 0, source: source)
                if let bad = implausibleScalar(in: decoded.text) {
                    attempts.append("\(charset) gives U+\(String(bad, radix: 16, uppercase: true))")
                    continue
                }
                return decoded
            } catch let .undecodable(_, offset, _) {
                attempts.append("\(charset) fails at byte \(offset)")
            }
        }
        let tried = attempts.isEmpty ? "" : "; " + attempts.joined(separator: ", ")
        throw .undecodable(
            source: source, offset: utf8Offset,
            detail: "not valid UTF-8 and not recognised as GB18030 or Big5\(tried); give the encoding explicitly")
    }

    private static func decodeForced(_ bytes: [UInt8], encoding: String, source: String) throws(AnalysisError) -> Decoded {
        switch String(encoding.lowercased().map { $0 == "_" ? "-" : $0 }) {
        case "utf-8", "utf8":
            let skip = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            return try decodeUTF8(bytes[skip...], source: source, offsetBase: skip)
        case "utf-16", "utf16":
            if bytes.starts(with: [0xFE, 0xFF]) { return try decodeICU(bytes, charset: "UTF-16BE", skip: 2, source: source) }
            let skip = bytes.starts(with: [0xFF, 0xFE]) ? 2 : 0
            return try decodeICU(bytes, charset: "UTF-16LE", skip: skip, source: source)
        case "gbk", "gb2312", "gb-2312", "cp936", "gb18030":
            return try decodeICU(bytes, charset: "GB18030", skip: 0, source: source)
        case "big5", "big-5", "cp950":
            return try decodeICU(bytes, charset: "Big5", skip: 0, source: source)
        default:
            return try decodeICU(bytes, charset: encoding, skip: 0, source: source)
        }
    }

    private static func decodeUTF8(_ bytes: ArraySlice<UInt8>, source: String, offsetBase: Int) throws(AnalysisError) -> Decoded {
        if let text = String(validating: bytes, as: UTF8.self) {
            return Decoded(text: text, encoding: "UTF-8")
        }
        let offset = (firstInvalidUTF8Offset(bytes) ?? 0)
        throw .undecodable(source: source, offset: offset, detail: "invalid UTF-8")
    }

    private static func decodeICU(_ bytes: [UInt8], charset: String, skip: Int, source: String) throws(AnalysisError) -> Decoded {
        let input = bytes[skip...]
        // Every legacy byte decodes to at most two UTF-16 units.
        var output = [UInt16](repeating: 0, count: input.count * 2 + 2)
        var err: Int32 = 0
        var errorOffset: Int32 = -1
        let written = input.withUnsafeBufferPointer { buffer in
            CICUShim_decode(charset, buffer.baseAddress, Int32(buffer.count), &output, Int32(output.count), &errorOffset, &err)
        }
        if CICUShim_isFailure(err) != 0 {
            let name = String(cString: CICUShim_errorName(err))
            if errorOffset < 0 {
                if name == "U_FILE_ACCESS_ERROR" { throw .unknownEncoding(charset) }
                throw .icu(call: "ucnv_toUnicode(\(charset))", code: err, name: name)
            }
            throw .undecodable(source: source, offset: Int(errorOffset) + skip, detail: "invalid \(charset) (\(name))")
        }
        return Decoded(text: String(decoding: output[0..<Int(written)], as: UTF16.self), encoding: charset)
    }

    /// ICU's legacy converters map some stray bytes to control or private-use characters rather
    /// than failing; a detected (not forced) decoding that yields one is rejected.
    static func implausibleScalar(in text: String) -> UInt32? {
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D && v != 0x0C) || (0x7F...0x9F).contains(v)
                || (0xE000...0xF8FF).contains(v) || v == 0xFFFD {
                return v
            }
        }
        return nil
    }

    /// ICU's detector's candidates among GB18030 and Big5, most confident first.
    static func detectChineseCharsets(_ bytes: [UInt8]) -> [String] {
        var names = [CChar](repeating: 0, count: 32 * 16)
        var confidences = [Int32](repeating: 0, count: 16)
        var err: Int32 = 0
        let count = bytes.withUnsafeBufferPointer {
            CICUShim_detectCharsets($0.baseAddress, Int32($0.count), &names, &confidences, 16, &err)
        }
        var result: [String] = []
        for i in 0..<Int(count) {
            let name = String(decoding: names[(32 * i)..<(32 * i + 32)].prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if (name == "GB18030" || name == "Big5"), !result.contains(name) { result.append(name) }
        }
        for fallback in ["GB18030", "Big5"] where !result.contains(fallback) { result.append(fallback) }
        return result
    }

    /// The offset (relative to the slice's start) of the first byte that is not valid UTF-8.
    static func firstInvalidUTF8Offset(_ bytes: ArraySlice<UInt8>) -> Int? {
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let b = bytes[i]
            let need: Int
            var minimum: UInt32
            var value: UInt32
            switch b {
            case 0x00...0x7F: i += 1; continue
            case 0xC2...0xDF: need = 1; value = UInt32(b & 0x1F); minimum = 0x80
            case 0xE0...0xEF: need = 2; value = UInt32(b & 0x0F); minimum = 0x800
            case 0xF0...0xF4: need = 3; value = UInt32(b & 0x07); minimum = 0x10000
            default: return i - bytes.startIndex
            }
            if i + need >= end { return i - bytes.startIndex }
            for k in 1...need {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { return i - bytes.startIndex }
                value = value << 6 | UInt32(c & 0x3F)
            }
            if value < minimum || value > 0x10FFFF || (0xD800...0xDFFF).contains(value) { return i - bytes.startIndex }
            i += need + 1
        }
        return nil
    }
}
