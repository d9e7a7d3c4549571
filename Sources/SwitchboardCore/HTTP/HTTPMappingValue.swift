/// The value side of an HTTP API parameter mapping, compiled once.
///
/// Three shapes, as AWS documents them (`http-api-parameter-mapping`):
/// - static text, e.g. `application/json`;
/// - one reference making up the whole value, e.g. `$request.header.header1`, `$context.requestId`;
/// - `${…}` references mixed with text, e.g. `${request.path.name} ${request.path.id}`.
///
/// References: `$request.header.<n>`, `$request.querystring.<n>`, `$request.body`, `$request.body.<jsonpath>`
/// (no `..` or filters), `$request.path`, `$request.path.<param>`, `$context.<var>`, `$stageVariables.<var>`,
/// `$response.header.<n>`, `$response.body`, `$response.body.<jsonpath>`.
package struct HTTPMappingValue: Sendable, Equatable {
    /// A value source.
    package enum Reference: Sendable, Equatable {
        /// `$request.header.<name>`.
        case requestHeader(String)
        /// `$request.querystring.<name>`.
        case requestQueryString(String)
        /// `$request.body` (empty path: the raw body) or `$request.body.<jsonpath>`.
        case requestBody(JSONPath)
        /// `$request.path`.
        case requestPath
        /// `$request.path.<name>`.
        case requestPathParameter(String)
        /// `$context.<name>`.
        case context(String)
        /// `$stageVariables.<name>`.
        case stageVariable(String)
        /// `$response.header.<name>`.
        case responseHeader(String)
        /// `$response.body` (empty path: the raw body) or `$response.body.<jsonpath>`.
        case responseBody(JSONPath)

        /// Whether the reference reads the request (`$request.*`).
        package var readsRequest: Bool {
            switch self {
            case .requestHeader, .requestQueryString, .requestBody, .requestPath, .requestPathParameter: true
            default: false
            }
        }

        /// Whether the reference reads the integration response (`$response.*`).
        package var readsResponse: Bool {
            switch self {
            case .responseHeader, .responseBody: true
            default: false
            }
        }
    }

    /// A piece of a value.
    package enum Part: Sendable, Equatable {
        /// Static text.
        case literal(String)
        /// A reference.
        case reference(Reference)
    }

    /// Why a value does not compile.
    package struct ParseError: Error, Sendable, Equatable {
        /// A human-readable reason.
        package var message: String
    }

    /// The compiled parts, in order.
    package let parts: [Part]

    /// Makes a value from its parts.
    /// - Parameter parts: The parts.
    package init(parts: [Part]) {
        self.parts = parts
    }

    /// Compiles a mapping value.
    /// - Parameter text: The configured value.
    /// - Throws: ``ParseError`` for an unknown or malformed reference or an unterminated `${`.
    package init(parsing text: String) throws(ParseError) {
        if text.firstRange(of: "${") != nil {
            self.parts = try Self.parseBraced(text)
        } else if text.hasPrefix("$") {
            self.parts = [.reference(try Self.reference(text))]
        } else {
            self.parts = text.isEmpty ? [] : [.literal(text)]
        }
    }

    /// Every reference in the value.
    package var references: [Reference] {
        self.parts.compactMap { part in
            if case .reference(let reference) = part { return reference }
            return nil
        }
    }

    // MARK: - Evaluation

    /// Parsed bodies, shared by all rules of one `apply`.
    struct BodyCache {
        var request: JSONValue??
        var response: JSONValue??
    }

    /// Evaluates the value.
    /// - Parameters:
    ///   - resolver: Supplies the referenced values.
    ///   - cache: Parsed bodies, filled on first use.
    /// - Returns: The value, or `nil` when any reference has no value (the mapping is then skipped).
    func evaluate(resolver: some ParameterMappingResolver, cache: inout BodyCache) -> String? {
        var output = ""
        for part in self.parts {
            switch part {
            case .literal(let text):
                output += text
            case .reference(let reference):
                guard let value = Self.resolve(reference, resolver: resolver, cache: &cache) else { return nil }
                output += value
            }
        }
        return output
    }

    private static func resolve(
        _ reference: Reference,
        resolver: some ParameterMappingResolver,
        cache: inout BodyCache
    ) -> String? {
        switch reference {
        case .requestHeader(let name): return resolver.requestHeader(name)
        case .requestQueryString(let name): return resolver.requestQueryString(name)
        case .requestPath: return resolver.requestPath()
        case .requestPathParameter(let name): return resolver.requestPathParameter(name)
        case .context(let name): return resolver.contextVariable(name)
        case .stageVariable(let name): return resolver.stageVariable(name)
        case .responseHeader(let name): return resolver.responseHeader(name)
        case .requestBody(let path):
            if path.isEmpty { return resolver.requestBodyText() }
            if cache.request == nil { cache.request = .some(resolver.requestBodyJSON()) }
            return (cache.request ?? nil).flatMap { path.evaluate(on: $0) }?.selectionString
        case .responseBody(let path):
            if path.isEmpty { return resolver.responseBodyText() }
            if cache.response == nil { cache.response = .some(resolver.responseBodyJSON()) }
            return (cache.response ?? nil).flatMap { path.evaluate(on: $0) }?.selectionString
        }
    }

    // MARK: - Parsing

    private static func parseBraced(_ text: String) throws(ParseError) -> [Part] {
        var parts: [Part] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${") {
            if open.lowerBound > rest.startIndex {
                parts.append(.literal(String(rest[..<open.lowerBound])))
            }
            let inner = rest[open.upperBound...]
            guard let close = inner.firstIndex(of: "}") else {
                throw ParseError(message: "unterminated '${' in '\(text)'")
            }
            parts.append(.reference(try Self.reference("$" + inner[..<close])))
            rest = inner[inner.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        return parts
    }

    private static func reference(_ text: String) throws(ParseError) -> Reference {
        if text == "$request.path" { return .requestPath }
        if text == "$request.body" { return .requestBody(JSONPath()) }
        if text == "$response.body" { return .responseBody(JSONPath()) }
        let named: [(prefix: String, make: (String) -> Reference)] = [
            ("$request.header.", { .requestHeader($0) }),
            ("$request.querystring.", { .requestQueryString($0) }),
            ("$request.path.", { .requestPathParameter($0) }),
            ("$context.", { .context($0) }),
            ("$stageVariables.", { .stageVariable($0) }),
            ("$response.header.", { .responseHeader($0) }),
        ]
        for (prefix, make) in named where text.hasPrefix(prefix) {
            let name = String(text.dropFirst(prefix.count))
            guard !name.isEmpty else { throw ParseError(message: "missing name after '\(prefix)'") }
            return make(name)
        }
        for (prefix, isRequest) in [("$request.body.", true), ("$response.body.", false)] where text.hasPrefix(prefix) {
            let path: JSONPath
            do {
                path = try JSONPath(parsing: String(text.dropFirst(prefix.count)))
            } catch {
                throw ParseError(message: "invalid JSONPath in '\(text)': \(error.reason)")
            }
            return isRequest ? .requestBody(path) : .responseBody(path)
        }
        throw ParseError(message: "unsupported expression '\(text)'")
    }
}
