/// A mapping template, compiled once from configuration.
///
/// This is the variable-substitution subset of API Gateway's VTL that WebSocket MOCK, BROADCAST and
/// route-response templates need: `$context.x` / `${context.x}`, `$stageVariables.x`, `$input.body`,
/// `$input.json('$.path')`, `$input.path('$.path')` and `$input.params('name')`. Unknown references render as written, as VTL
/// does. The full VTL (directives, `$util`) arrives with REST APIs.
package struct MappingTemplate: Sendable, Equatable {
    /// A piece of a template.
    package enum Part: Sendable, Equatable {
        /// Static text.
        case literal(String)
        /// `$context.name`.
        case context(String)
        /// `$stageVariables.name`.
        case stageVariable(String)
        /// `$input.body`.
        case inputBody
        /// `$input.json('path')`: the value at the path, as JSON.
        case inputJSON(JSONPath)
        /// `$input.path('path')`: the value at the path, stringified.
        case inputPath(JSONPath)
        /// `$input.params('name')`: a request parameter, searched path → query string → header.
        case inputParam(String)
    }

    /// The compiled parts.
    package let parts: [Part]

    /// Whether the template is exactly `$input.body`, so the input can pass through untouched.
    package var isInputPassthrough: Bool { self.parts == [.inputBody] }

    /// Whether rendering needs the input parsed as JSON.
    package var needsJSONInput: Bool {
        self.parts.contains {
            switch $0 {
            case .inputJSON, .inputPath: true
            default: false
            }
        }
    }

    /// Compiles a template. Never fails: what is not understood is kept as literal text.
    /// - Parameter source: the template text.
    package init(_ source: String) {
        var parts: [Part] = []
        var literal = ""
        let chars = Array(source.unicodeScalars)
        var index = 0
        func flush() {
            if !literal.isEmpty {
                parts.append(.literal(literal))
                literal = ""
            }
        }
        while index < chars.count {
            let char = chars[index]
            guard char == "$", let (part, next) = Self.reference(in: chars, at: index) else {
                literal.unicodeScalars.append(char)
                index += 1
                continue
            }
            flush()
            parts.append(part)
            index = next
        }
        flush()
        self.parts = parts
    }

    /// Renders the template.
    /// - Parameters:
    ///   - context: resolves `$context` names (`connectionId`, `authorizer.principalId`, ...).
    ///   - stageVariables: the stage's variables.
    ///   - input: the input body.
    ///   - inputJSON: the input parsed as JSON, when ``needsJSONInput``.
    ///   - parameters: resolves `$input.params('name')` (path, then query string, then header).
    /// - Returns: the rendered text.
    package func render(
        context: (String) -> String?,
        stageVariables: [String: String],
        input: String,
        inputJSON: JSONValue?,
        parameters: (String) -> String? = { _ in nil }
    ) -> String {
        var output = ""
        for part in self.parts {
            switch part {
            case .literal(let text): output += text
            case .context(let name): output += context(name) ?? ""
            case .stageVariable(let name): output += stageVariables[name] ?? ""
            case .inputBody: output += input
            case .inputJSON(let path): output += inputJSON.flatMap { path.evaluate(on: $0) }?.serialized ?? ""
            case .inputPath(let path): output += inputJSON.flatMap { path.evaluate(on: $0) }?.selectionString ?? ""
            case .inputParam(let name): output += parameters(name) ?? ""
            }
        }
        return output
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-": true
        default: false
        }
    }

    /// Parses a reference starting at `$`; returns the part and the index after it.
    private static func reference(in chars: [Unicode.Scalar], at start: Int) -> (Part, Int)? {
        var index = start + 1
        var braced = false
        if index < chars.count, chars[index] == "!" { index += 1 }  // quiet reference: same rendering here
        if index < chars.count, chars[index] == "{" {
            braced = true
            index += 1
        }
        // Dotted name: segments of name characters separated by single dots.
        var name = ""
        while index < chars.count {
            let char = chars[index]
            if self.isNameScalar(char) {
                name.unicodeScalars.append(char)
                index += 1
            } else if char == ".", index + 1 < chars.count, self.isNameScalar(chars[index + 1]), !name.isEmpty {
                name.unicodeScalars.append(char)
                index += 1
            } else {
                break
            }
        }
        guard !name.isEmpty else { return nil }
        let part: Part
        if name == "input.json" || name == "input.path" {
            guard let (path, next) = self.quotedArgument(in: chars, at: index),
                let jsonPath = try? JSONPath(parsing: path)
            else { return nil }
            part = name == "input.json" ? .inputJSON(jsonPath) : .inputPath(jsonPath)
            index = next
        } else if name == "input.params" {
            guard let (parameter, next) = self.quotedArgument(in: chars, at: index) else { return nil }
            part = .inputParam(parameter)
            index = next
        } else if name == "input.body" {
            part = .inputBody
        } else if name.hasPrefix("context.") {
            part = .context(String(name.dropFirst("context.".count)))
        } else if name.hasPrefix("stageVariables.") {
            part = .stageVariable(String(name.dropFirst("stageVariables.".count)))
        } else {
            return nil
        }
        if braced {
            guard index < chars.count, chars[index] == "}" else { return nil }
            index += 1
        }
        return (part, index)
    }

    /// Parses `('text')` or `("text")`.
    private static func quotedArgument(in chars: [Unicode.Scalar], at start: Int) -> (String, Int)? {
        var index = start
        guard index < chars.count, chars[index] == "(" else { return nil }
        index += 1
        guard index < chars.count, chars[index] == "'" || chars[index] == "\"" else { return nil }
        let quote = chars[index]
        index += 1
        var text = ""
        while index < chars.count, chars[index] != quote {
            text.unicodeScalars.append(chars[index])
            index += 1
        }
        guard index + 1 < chars.count, chars[index + 1] == ")" else { return nil }
        return (text, index + 2)
    }
}
