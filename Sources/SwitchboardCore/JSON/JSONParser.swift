extension JSONValue {
    /// Parses one JSON text (RFC 8259, strict).
    ///
    /// The input must be exactly one value with optional surrounding whitespace. Strings must be valid UTF-8
    /// with valid escapes (surrogate pairs must be complete); numbers must follow the JSON grammar and keep
    /// their raw text. Nesting deeper than `maxDepth` is rejected; the parser never recurses, so no input
    /// can overflow the stack. A repeated object key keeps its first position and its last value.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 encoded JSON. Contiguous collections (`[UInt8]`, NIO's `ByteBufferView`, a native
    ///     string's `utf8`) are read in place.
    ///   - maxDepth: The maximum number of nested arrays and objects.
    /// - Returns: The parsed value.
    /// - Throws: `JSONParseError` naming the byte offset and the reason.
    package static func parse<Bytes: Collection>(
        _ bytes: Bytes,
        maxDepth: Int = 512
    ) throws(JSONParseError) -> JSONValue where Bytes.Element == UInt8 {
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            JSONParser.parse(buffer, maxDepth: maxDepth)
        }
        if let contiguous {
            return try contiguous.get()
        }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { JSONParser.parse($0, maxDepth: maxDepth) }.get()
    }

    /// Parses one JSON text (RFC 8259, strict) held in a string.
    ///
    /// - Parameters:
    ///   - string: The JSON text.
    ///   - maxDepth: The maximum number of nested arrays and objects.
    /// - Returns: The parsed value.
    /// - Throws: `JSONParseError` naming the UTF-8 byte offset and the reason.
    package static func parse(_ string: String, maxDepth: Int = 512) throws(JSONParseError) -> JSONValue {
        try self.parse(string.utf8, maxDepth: maxDepth)
    }
}

/// A non-recursive RFC 8259 parser over a contiguous UTF-8 buffer.
///
/// Open containers are tracked in `frames`; finished values wait on `values` (and object keys on `keys`)
/// until their container closes.
struct JSONParser {
    private struct Frame {
        var isObject: Bool
        var valueStart: Int
        var keyStart: Int
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var position = 0
    private var values: [JSONValue] = []
    private var keys: [String] = []
    private var frames: [Frame] = []

    private init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) -> Result<JSONValue, JSONParseError> {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
        do throws(JSONParseError) {
            return .success(try parser.parseDocument())
        } catch {
            return .failure(error)
        }
    }

    // MARK: - Structure

    private mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        self.skipWhitespace()
        valueLoop: while true {
            guard self.position < self.bytes.count else { throw self.failure("unexpected end of input") }
            let byte = self.bytes[self.position]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = byte == UInt8(ascii: "{")
                guard self.frames.count < self.maxDepth else {
                    throw self.failure("nesting is deeper than the limit of \(self.maxDepth)")
                }
                self.position += 1
                self.skipWhitespace()
                if self.position < self.bytes.count,
                    self.bytes[self.position] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
                {
                    self.position += 1
                    self.values.append(isObject ? .object(JSONObject()) : .array([]))
                } else {
                    self.frames.append(
                        Frame(isObject: isObject, valueStart: self.values.count, keyStart: self.keys.count)
                    )
                    if isObject {
                        try self.parseMemberKey()
                    }
                    continue valueLoop
                }
            case UInt8(ascii: "\""):
                self.values.append(.string(try self.parseString()))
            case UInt8(ascii: "t"):
                try self.expectLiteral("true")
                self.values.append(.bool(true))
            case UInt8(ascii: "f"):
                try self.expectLiteral("false")
                self.values.append(.bool(false))
            case UInt8(ascii: "n"):
                try self.expectLiteral("null")
                self.values.append(.null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                self.values.append(.number(try self.parseNumber()))
            default:
                throw self.unexpected(byte)
            }

            // A value just ended: continue or close the innermost container.
            while true {
                self.skipWhitespace()
                guard let frame = self.frames.last else { break valueLoop }
                guard self.position < self.bytes.count else { throw self.failure("unexpected end of input") }
                let next = self.bytes[self.position]
                if next == UInt8(ascii: ",") {
                    self.position += 1
                    self.skipWhitespace()
                    if frame.isObject {
                        try self.parseMemberKey()
                    }
                    continue valueLoop
                }
                guard next == (frame.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    throw self.failure(
                        frame.isObject ? "expected ',' or '}' in object" : "expected ',' or ']' in array"
                    )
                }
                self.position += 1
                self.closeContainer()
            }
        }
        guard self.position == self.bytes.count else { throw self.failure("unexpected data after the JSON value") }
        guard self.values.count == 1, let value = self.values.first else {
            throw self.failure("internal error: unbalanced value stack")
        }
        return value
    }

    private mutating func closeContainer() {
        let frame = self.frames.removeLast()
        if frame.isObject {
            var object = JSONObject()
            object.reserveCapacity(self.keys.count - frame.keyStart)
            for (key, value) in zip(self.keys[frame.keyStart...], self.values[frame.valueStart...]) {
                object[key] = value
            }
            self.keys.removeSubrange(frame.keyStart...)
            self.values.removeSubrange(frame.valueStart...)
            self.values.append(.object(object))
        } else {
            let elements = Array(self.values[frame.valueStart...])
            self.values.removeSubrange(frame.valueStart...)
            self.values.append(.array(elements))
        }
    }

    private mutating func parseMemberKey() throws(JSONParseError) {
        guard self.position < self.bytes.count, self.bytes[self.position] == UInt8(ascii: "\"") else {
            throw self.failure("expected a string key")
        }
        self.keys.append(try self.parseString())
        self.skipWhitespace()
        guard self.position < self.bytes.count, self.bytes[self.position] == UInt8(ascii: ":") else {
            throw self.failure("expected ':' after an object key")
        }
        self.position += 1
        self.skipWhitespace()
    }

    // MARK: - Scalars

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        let start = literal.utf8Start
        guard self.position + count <= self.bytes.count else { throw self.failure("invalid literal") }
        for offset in 0..<count where self.bytes[self.position + offset] != start[offset] {
            throw self.failure("invalid literal")
        }
        self.position += count
    }

    private mutating func parseNumber() throws(JSONParseError) -> String {
        let start = self.position
        if self.bytes[self.position] == UInt8(ascii: "-") {
            self.position += 1
        }
        if self.byte(at: self.position) == UInt8(ascii: "0") {
            self.position += 1
            if Self.isDigit(self.byte(at: self.position)) { throw self.failure("leading zeros are not allowed") }
        } else if Self.isDigit(self.byte(at: self.position)) {
            self.skipDigits()
        } else {
            throw self.failure("expected a digit")
        }
        if self.byte(at: self.position) == UInt8(ascii: ".") {
            self.position += 1
            guard Self.isDigit(self.byte(at: self.position)) else {
                throw self.failure("expected a digit after the decimal point")
            }
            self.skipDigits()
        }
        let exponent = self.byte(at: self.position)
        if exponent == UInt8(ascii: "e") || exponent == UInt8(ascii: "E") {
            self.position += 1
            let sign = self.byte(at: self.position)
            if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                self.position += 1
            }
            guard Self.isDigit(self.byte(at: self.position)) else {
                throw self.failure("expected a digit in the exponent")
            }
            self.skipDigits()
        }
        return String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.position]), as: UTF8.self)
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        let quote = self.position
        self.position += 1
        let start = self.position
        while self.position < self.bytes.count {
            let byte = self.bytes[self.position]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: self.bytes[start..<self.position])
                self.position += 1
                return String(decoding: slice, as: UTF8.self)
            } else if byte == UInt8(ascii: "\\") {
                return try self.parseEscapedString(start: start, quote: quote)
            } else if byte < 0x20 {
                throw self.failure("unescaped control character in string")
            } else if byte < 0x80 {
                self.position += 1
            } else {
                self.position += try self.validateUTF8Sequence()
            }
        }
        throw JSONParseError(offset: quote, reason: "unterminated string")
    }

    /// Continues a string from its first backslash, collecting the unescaped UTF-8 bytes.
    private mutating func parseEscapedString(start: Int, quote: Int) throws(JSONParseError) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(self.position - start + 16)
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: self.bytes[start..<self.position]))
        while self.position < self.bytes.count {
            let byte = self.bytes[self.position]
            if byte == UInt8(ascii: "\"") {
                self.position += 1
                return String(decoding: buffer, as: UTF8.self)
            } else if byte == UInt8(ascii: "\\") {
                try self.appendEscape(into: &buffer)
            } else if byte < 0x20 {
                throw self.failure("unescaped control character in string")
            } else if byte < 0x80 {
                buffer.append(byte)
                self.position += 1
            } else {
                let length = try self.validateUTF8Sequence()
                buffer.append(
                    contentsOf: UnsafeBufferPointer(rebasing: self.bytes[self.position..<self.position + length])
                )
                self.position += length
            }
        }
        throw JSONParseError(offset: quote, reason: "unterminated string")
    }

    private mutating func appendEscape(into buffer: inout [UInt8]) throws(JSONParseError) {
        let escapeStart = self.position
        guard self.position + 1 < self.bytes.count else { throw self.failure("unterminated escape sequence") }
        let simple: UInt8
        switch self.bytes[self.position + 1] {
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        case UInt8(ascii: "/"): simple = 0x2F
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"):
            self.position += 2
            var scalarValue = UInt32(try self.readHex4())
            if (0xD800...0xDBFF).contains(scalarValue) {
                guard self.byte(at: self.position) == UInt8(ascii: "\\"),
                    self.byte(at: self.position + 1) == UInt8(ascii: "u")
                else { throw JSONParseError(offset: escapeStart, reason: "unpaired high surrogate") }
                self.position += 2
                let low = UInt32(try self.readHex4())
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw JSONParseError(offset: escapeStart, reason: "unpaired high surrogate")
                }
                scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalarValue) {
                throw JSONParseError(offset: escapeStart, reason: "unpaired low surrogate")
            }
            guard let scalar = Unicode.Scalar(scalarValue) else {
                throw JSONParseError(offset: escapeStart, reason: "invalid unicode escape")
            }
            UTF8.encode(scalar) { buffer.append($0) }
            return
        default:
            throw self.failure("invalid escape sequence")
        }
        buffer.append(simple)
        self.position += 2
    }

    private mutating func readHex4() throws(JSONParseError) -> UInt16 {
        guard self.position + 4 <= self.bytes.count else { throw self.failure("incomplete \\u escape") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = self.bytes[self.position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw self.failure("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt16(digit)
            self.position += 1
        }
        return value
    }

    /// Checks the multi-byte UTF-8 sequence at `position` (well-formed, shortest form, no surrogates,
    /// at most U+10FFFF) and returns its length.
    private func validateUTF8Sequence() throws(JSONParseError) -> Int {
        let lead = self.bytes[self.position]
        let second = self.byte(at: self.position + 1)
        let length: Int
        let secondRange: ClosedRange<UInt8>
        switch lead {
        case 0xC2...0xDF: (length, secondRange) = (2, 0x80...0xBF)
        case 0xE0: (length, secondRange) = (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (length, secondRange) = (3, 0x80...0xBF)
        case 0xED: (length, secondRange) = (3, 0x80...0x9F)
        case 0xF0: (length, secondRange) = (4, 0x90...0xBF)
        case 0xF1...0xF3: (length, secondRange) = (4, 0x80...0xBF)
        case 0xF4: (length, secondRange) = (4, 0x80...0x8F)
        default: throw self.failure("invalid UTF-8")
        }
        guard secondRange.contains(second) else { throw self.failure("invalid UTF-8") }
        for offset in 2..<length where !(0x80...0xBF).contains(self.byte(at: self.position + offset)) {
            throw self.failure("invalid UTF-8")
        }
        return length
    }

    // MARK: - Helpers

    /// The byte at `offset`, or 0 past the end (0 never continues a valid token).
    private func byte(at offset: Int) -> UInt8 {
        offset < self.bytes.count ? self.bytes[offset] : 0
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func skipDigits() {
        while self.position < self.bytes.count, Self.isDigit(self.bytes[self.position]) {
            self.position += 1
        }
    }

    private mutating func skipWhitespace() {
        while self.position < self.bytes.count {
            switch self.bytes[self.position] {
            case 0x20, 0x09, 0x0A, 0x0D: self.position += 1
            default: return
            }
        }
    }

    private func failure(_ reason: String) -> JSONParseError {
        JSONParseError(offset: self.position, reason: reason)
    }

    private func unexpected(_ byte: UInt8) -> JSONParseError {
        if byte >= 0x21 && byte < 0x7F {
            return self.failure("unexpected character '\(Character(Unicode.Scalar(byte)))'")
        }
        return self.failure("unexpected byte 0x\(String(byte, radix: 16, uppercase: true))")
    }
}
