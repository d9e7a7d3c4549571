/// A simple (Goessner-style) JSONPath: a chain of member names and array indexes, as used by API Gateway in
/// `$request.body.a.b[0]`.
///
/// Accepted forms, with or without a leading `$` or `$.`: `a.b.c`, `$.a.b`, `a[0]`, `a['key with space']`,
/// `a["k"]`, `a.b[2].c`. Inside quotes a backslash escapes the next character. Wildcards, filters, slices,
/// recursive descent and negative indexes are not supported and are rejected. The empty path and `$` select
/// the whole document.
package struct JSONPath: Sendable, Equatable {
    /// One step of a path.
    package enum Segment: Sendable, Equatable {
        /// An object member.
        case key(String)
        /// An array element (zero-based, never negative).
        case index(Int)
    }

    /// The steps, outermost first. Empty for the whole document.
    package var segments: [Segment]

    /// Makes a path from its segments.
    ///
    /// - Parameter segments: The steps, outermost first.
    package init(segments: [Segment] = []) {
        self.segments = segments
    }

    /// `true` when the path selects the whole document.
    package var isEmpty: Bool { self.segments.isEmpty }

    /// Parses a path.
    ///
    /// - Parameter text: The path, for example `$.a.b[0]` or `a['key with space']`.
    /// - Throws: `JSONPathError` naming the byte offset and the reason.
    package init(parsing text: String) throws(JSONPathError) {
        var parser = Parser(bytes: Array(text.utf8))
        self.segments = try parser.parse()
    }

    /// Follows the path through `value`.
    ///
    /// - Parameter value: The document.
    /// - Returns: The selected value, or `nil` when a member or element is missing or a step meets the wrong
    ///   type (a key on a non-object, an index on a non-array).
    package func evaluate(on value: JSONValue) -> JSONValue? {
        var current = value
        for segment in self.segments {
            switch (segment, current) {
            case (.key(let key), .object(let object)):
                guard let next = object[key] else { return nil }
                current = next
            case (.index(let index), .array(let elements)):
                guard elements.indices.contains(index) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }
}

extension JSONPath: CustomStringConvertible {
    /// The canonical text of the path (`$.a['b c'][0]`), which parses back to the same path.
    package var description: String {
        var output = "$"
        for segment in self.segments {
            switch segment {
            case .index(let index):
                output += "[\(index)]"
            case .key(let key) where Self.isSimpleKey(key):
                output += "."
                output += key
            case .key(let key):
                output += "['"
                // Scalar by scalar: a quote or backslash followed by a combining mark is one `Character`, which
                // must still be escaped.
                for scalar in key.unicodeScalars {
                    if scalar == "'" || scalar == "\\" { output += "\\" }
                    output.unicodeScalars.append(scalar)
                }
                output += "']"
            }
        }
        return output
    }

    private static func isSimpleKey(_ key: String) -> Bool {
        !key.isEmpty && key != "*"
            && key.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "$"),
                    UInt8(ascii: "@"):
                    return true
                default:
                    return false
                }
            }
    }
}

// MARK: - Parsing

extension JSONPath {
    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        mutating func parse() throws(JSONPathError) -> [Segment] {
            var segments: [Segment] = []
            if self.bytes.first == UInt8(ascii: "$") {
                self.position = 1
                if self.position < self.bytes.count {
                    switch self.bytes[self.position] {
                    case UInt8(ascii: "."):
                        self.position += 1
                        segments.append(try self.parseBareKey())
                    case UInt8(ascii: "["):
                        break
                    default:
                        throw self.failure("expected '.' or '[' after '$'")
                    }
                }
            } else if let first = self.bytes.first, first != UInt8(ascii: "[") {
                segments.append(try self.parseBareKey())
            }
            while self.position < self.bytes.count {
                switch self.bytes[self.position] {
                case UInt8(ascii: "."):
                    self.position += 1
                    segments.append(try self.parseBareKey())
                case UInt8(ascii: "["):
                    segments.append(try self.parseBracket())
                default:
                    throw self.failure("expected '.' or '['")
                }
            }
            return segments
        }

        private mutating func parseBareKey() throws(JSONPathError) -> Segment {
            let start = self.position
            while self.position < self.bytes.count {
                let byte = self.bytes[self.position]
                if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "[") { break }
                if byte == UInt8(ascii: "]") { throw self.failure("unexpected ']'") }
                self.position += 1
            }
            guard self.position > start else {
                throw self.failure("expected a key (recursive descent '..' is not supported)")
            }
            let key = String(decoding: self.bytes[start..<self.position], as: UTF8.self)
            if key == "*" { throw JSONPathError(offset: start, reason: "wildcards are not supported") }
            return .key(key)
        }

        private mutating func parseBracket() throws(JSONPathError) -> Segment {
            let open = self.position
            self.position += 1
            guard self.position < self.bytes.count else { throw self.failure("unterminated '['") }
            let segment: Segment
            let first = self.bytes[self.position]
            if first == UInt8(ascii: "'") || first == UInt8(ascii: "\"") {
                segment = .key(try self.parseQuotedKey(quote: first))
            } else if first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") {
                let start = self.position
                while self.position < self.bytes.count, self.bytes[self.position] >= UInt8(ascii: "0"),
                    self.bytes[self.position] <= UInt8(ascii: "9")
                {
                    self.position += 1
                }
                guard let index = Int(String(decoding: self.bytes[start..<self.position], as: UTF8.self)) else {
                    throw JSONPathError(offset: start, reason: "index is too large")
                }
                segment = .index(index)
            } else if first == UInt8(ascii: "*") {
                throw self.failure("wildcards are not supported")
            } else if first == UInt8(ascii: "-") {
                throw self.failure("negative indexes are not supported")
            } else {
                throw self.failure("expected an index or a quoted key after '['")
            }
            guard self.position < self.bytes.count, self.bytes[self.position] == UInt8(ascii: "]") else {
                throw self.position < self.bytes.count
                    ? self.failure("expected ']'")
                    : JSONPathError(offset: open, reason: "unterminated '['")
            }
            self.position += 1
            return segment
        }

        private mutating func parseQuotedKey(quote: UInt8) throws(JSONPathError) -> String {
            let open = self.position
            self.position += 1
            var key: [UInt8] = []
            while self.position < self.bytes.count {
                let byte = self.bytes[self.position]
                if byte == quote {
                    self.position += 1
                    return String(decoding: key, as: UTF8.self)
                }
                if byte == UInt8(ascii: "\\"), self.position + 1 < self.bytes.count {
                    key.append(self.bytes[self.position + 1])
                    self.position += 2
                } else {
                    key.append(byte)
                    self.position += 1
                }
            }
            throw JSONPathError(offset: open, reason: "unterminated quoted key")
        }

        private func failure(_ reason: String) -> JSONPathError {
            JSONPathError(offset: self.position, reason: reason)
        }
    }
}
