/// A compiled API Gateway selection expression, such as a WebSocket `routeSelectionExpression`
/// (`${request.body.service}/${request.body.action}`) or a route or response key such as `\$default`.
///
/// Grammar:
/// - `$name` — an unwrapped variable; the name runs over `[A-Za-z0-9_.\-\[\]'"*@]`, except trailing dots.
/// - `${name}` — a braced variable, ending at the first `}` outside quotes.
/// - `\$` — a literal `$`; any other backslash is literal.
/// - A `$` not followed by a name character or `{` is literal.
///
/// Static text and any number of variables can be mixed. The expression is parsed once; evaluation only
/// concatenates parts.
package struct SelectionExpression: Sendable, Equatable {
    /// One piece of an expression.
    package enum Part: Sendable, Equatable {
        /// Static text, with escapes already removed.
        case literal(String)
        /// A variable reference.
        case variable(SelectionVariable)
    }

    /// The expression as written.
    package let source: String
    /// The parts in order. Adjacent static text is merged into one `.literal`.
    package let parts: [Part]
    /// The value of an expression without variables (`\$default` is `$default`), otherwise `nil`.
    package let staticValue: String?
    /// `true` when some variable reads the request body, so callers know to parse it.
    package let referencesRequestBody: Bool

    /// Parses an expression.
    ///
    /// - Parameter source: The expression text.
    /// - Throws: `SelectionExpressionError` for an unterminated `${`, an empty `${}`, an unknown variable or
    ///   an invalid body path.
    package init(parsing source: String) throws(SelectionExpressionError) {
        let bytes = Array(source.utf8)
        var parts: [Part] = []
        var literal: [UInt8] = []

        func flushLiteral() {
            guard !literal.isEmpty else { return }
            parts.append(.literal(String(decoding: literal, as: UTF8.self)))
            literal.removeAll(keepingCapacity: true)
        }

        var position = 0
        while position < bytes.count {
            let byte = bytes[position]
            let next: UInt8? = position + 1 < bytes.count ? bytes[position + 1] : nil
            if byte == UInt8(ascii: "\\"), next == UInt8(ascii: "$") {
                literal.append(UInt8(ascii: "$"))
                position += 2
                continue
            }
            if byte == UInt8(ascii: "$"), next == UInt8(ascii: "{") {
                let nameStart = position + 2
                let close = try Self.closingBrace(in: bytes, from: nameStart, dollar: position)
                guard close > nameStart else {
                    throw SelectionExpressionError(offset: position, reason: "empty variable name '${}'")
                }
                let name = String(decoding: bytes[nameStart..<close], as: UTF8.self)
                flushLiteral()
                parts.append(.variable(try SelectionVariable.parse(name, nameOffset: nameStart)))
                position = close + 1
                continue
            }
            if byte == UInt8(ascii: "$"), let next, Self.isNameCharacter(next) {
                let nameStart = position + 1
                var end = nameStart
                while end < bytes.count, Self.isNameCharacter(bytes[end]) {
                    end += 1
                }
                while end > nameStart, bytes[end - 1] == UInt8(ascii: ".") {
                    end -= 1
                }
                if end > nameStart {
                    let name = String(decoding: bytes[nameStart..<end], as: UTF8.self)
                    flushLiteral()
                    parts.append(.variable(try SelectionVariable.parse(name, nameOffset: nameStart)))
                    position = end
                    continue
                }
            }
            literal.append(byte)
            position += 1
        }
        flushLiteral()

        self.source = source
        self.parts = parts
        self.staticValue = Self.staticValue(of: parts)
        self.referencesRequestBody = parts.contains { part in
            if case .variable(.requestBody) = part { return true }
            return false
        }
    }

    /// Evaluates the expression.
    ///
    /// - Parameter resolve: Returns a variable's value, or `nil` when it is unavailable.
    /// - Returns: The static text and variable values concatenated; an unavailable variable contributes `""`.
    package func evaluate(_ resolve: (SelectionVariable) -> String?) -> String {
        if let staticValue = self.staticValue { return staticValue }
        var output = ""
        for part in self.parts {
            switch part {
            case .literal(let text):
                output += text
            case .variable(let variable):
                if let value = resolve(variable) { output += value }
            }
        }
        return output
    }

    /// Evaluates the expression for route selection, where only the request body is known.
    ///
    /// - Parameter body: The parsed message body, or `nil` when it is not JSON.
    /// - Returns: The result, with each `request.body` variable replaced by the selection string of the value
    ///   at its path (`""` when missing) and every other variable replaced by `""`.
    package func evaluate(body: JSONValue?) -> String {
        if let staticValue = self.staticValue { return staticValue }
        var output = ""
        for part in self.parts {
            switch part {
            case .literal(let text):
                output += text
            case .variable(.requestBody(let path)):
                if let body, let value = path.evaluate(on: body) {
                    output += value.selectionString
                }
            case .variable:
                break
            }
        }
        return output
    }

    // MARK: - Parsing helpers

    /// `[A-Za-z0-9_.\-\[\]'"*@]`.
    private static func isNameCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"),
            UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "*"),
            UInt8(ascii: "@"):
            return true
        default:
            return false
        }
    }

    /// The index of the `}` closing a `${`, skipping quoted text such as `['a}b']`.
    private static func closingBrace(
        in bytes: [UInt8],
        from start: Int,
        dollar: Int
    ) throws(SelectionExpressionError) -> Int {
        var quote: UInt8?
        var position = start
        while position < bytes.count {
            let byte = bytes[position]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                quote = byte
            } else if byte == UInt8(ascii: "}") {
                return position
            }
            position += 1
        }
        throw SelectionExpressionError(offset: dollar, reason: "unterminated '${'")
    }

    private static func staticValue(of parts: [Part]) -> String? {
        var value = ""
        for part in parts {
            guard case .literal(let text) = part else { return nil }
            value += text
        }
        return value
    }
}
