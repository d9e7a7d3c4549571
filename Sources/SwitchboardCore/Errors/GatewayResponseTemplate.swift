/// A gateway-response body template, compiled once.
///
/// Gateway-response templates are not processed by VTL: they only substitute variables. Recognized:
/// `$context.error.messageString` (the message as a quoted JSON string), `$context.error.message` (raw),
/// `$context.error.responseType`, `$context.error.validationErrorString`, `$context.requestId`, any other
/// `$context.<name>` (names of letters, digits and `_`, joined by `.`), `$stageVariables.<name>`,
/// `$stageVariables['<name>']`, and the braced forms `${context.<name>}` and `${stageVariables.<name>}`. A variable
/// without a value renders as the empty string; everything else, including `$` not followed by a variable and
/// VTL directives, is copied as written.
package struct GatewayResponseTemplate: Sendable, Equatable {
    /// A piece of a template.
    package enum Part: Sendable, Equatable {
        /// Static text.
        case literal(String)
        /// `$context.error.message`.
        case errorMessage
        /// `$context.error.messageString`.
        case errorMessageString
        /// `$context.error.responseType`.
        case errorResponseType
        /// `$context.error.validationErrorString`.
        case errorValidationErrorString
        /// `$context.requestId`.
        case requestId
        /// Any other `$context.<name>`.
        case context(String)
        /// `$stageVariables.<name>`.
        case stageVariable(String)
    }

    /// The compiled parts.
    package let parts: [Part]

    /// The template AWS uses when none is configured: `{"message":$context.error.messageString}`.
    package static let `default` = GatewayResponseTemplate(#"{"message":$context.error.messageString}"#)

    /// Compiles a template. Never fails: what is not a variable stays literal text.
    /// - Parameter source: The template text.
    package init(_ source: String) {
        var parts: [Part] = []
        var literal: [UInt8] = []
        let bytes = Array(source.utf8)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "$"), let (part, next) = Self.variable(in: bytes, at: index) else {
                literal.append(bytes[index])
                index += 1
                continue
            }
            if !literal.isEmpty {
                parts.append(.literal(String(decoding: literal, as: UTF8.self)))
                literal.removeAll(keepingCapacity: true)
            }
            parts.append(part)
            index = next
        }
        if !literal.isEmpty { parts.append(.literal(String(decoding: literal, as: UTF8.self))) }
        self.parts = parts
    }

    /// Renders the template.
    /// - Parameters:
    ///   - error: The error being rendered.
    ///   - context: The request-side values.
    /// - Returns: The body text.
    package func render(error: GatewayError, context: some GatewayResponseContext) -> String {
        var output = ""
        for part in self.parts {
            switch part {
            case .literal(let text): output += text
            case .errorMessage: output += error.message
            case .errorMessageString: JSONValue.appendQuoted(error.message, to: &output)
            case .errorResponseType: output += error.type?.rawValue ?? ""
            case .errorValidationErrorString: output += context.validationErrorString ?? ""
            case .requestId: output += context.requestId
            case .context(let name): output += context.contextVariable(name) ?? ""
            case .stageVariable(let name): output += context.stageVariable(name) ?? ""
            }
        }
        return output
    }

    // MARK: - Parsing

    /// Recognizes a variable starting at `bytes[start] == "$"`.
    private static func variable(in bytes: [UInt8], at start: Int) -> (Part, Int)? {
        let rest = bytes[(start + 1)...]
        if rest.starts(with: "{".utf8) {
            guard let close = rest.firstIndex(of: UInt8(ascii: "}")) else { return nil }
            let inner = Array(bytes[(start + 2)..<close])
            guard let (part, end) = Self.reference(in: inner, at: 0), end == inner.count else { return nil }
            return (part, close + 1)
        }
        guard let (part, end) = Self.reference(in: Array(rest), at: 0) else { return nil }
        return (part, start + 1 + end)
    }

    /// Recognizes `context.<name>`, `stageVariables.<name>` or `stageVariables['<name>']` at `offset`.
    private static func reference(in bytes: [UInt8], at offset: Int) -> (Part, Int)? {
        let tail = bytes[offset...]
        if tail.starts(with: "context.".utf8) {
            let nameStart = offset + "context.".utf8.count
            let nameEnd = Self.dottedNameEnd(in: bytes, from: nameStart)
            guard nameEnd > nameStart else { return nil }
            let name = String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)
            return (Self.contextPart(name), nameEnd)
        }
        if tail.starts(with: "stageVariables.".utf8) {
            let nameStart = offset + "stageVariables.".utf8.count
            var nameEnd = nameStart
            while nameEnd < bytes.count, Self.isNameByte(bytes[nameEnd]) { nameEnd += 1 }
            guard nameEnd > nameStart else { return nil }
            return (.stageVariable(String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)), nameEnd)
        }
        if tail.starts(with: "stageVariables['".utf8) {
            let nameStart = offset + "stageVariables['".utf8.count
            guard let quote = bytes[nameStart...].firstIndex(of: UInt8(ascii: "'")), quote > nameStart,
                quote + 1 < bytes.count, bytes[quote + 1] == UInt8(ascii: "]")
            else { return nil }
            return (.stageVariable(String(decoding: bytes[nameStart..<quote], as: UTF8.self)), quote + 2)
        }
        return nil
    }

    private static func contextPart(_ name: String) -> Part {
        switch name {
        case "error.message": .errorMessage
        case "error.messageString": .errorMessageString
        case "error.responseType": .errorResponseType
        case "error.validationErrorString": .errorValidationErrorString
        case "requestId": .requestId
        default: .context(name)
        }
    }

    /// The end of `name(.name)*` starting at `start`; a trailing `.` is not part of the name.
    private static func dottedNameEnd(in bytes: [UInt8], from start: Int) -> Int {
        var end = start
        var index = start
        while index < bytes.count {
            if Self.isNameByte(bytes[index]) {
                index += 1
                end = index
            } else if bytes[index] == UInt8(ascii: "."), index > start, index + 1 < bytes.count,
                Self.isNameByte(bytes[index + 1])
            {
                index += 1
            } else {
                break
            }
        }
        return end
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }
}
