/// A parsed path template: the syntax HTTP API route keys and REST resource paths share.
///
/// `/` has no segments. Every other template is `/`-separated non-empty segments, each a literal, a
/// `{name}` variable (one whole segment) or, last only, a greedy `{name+}` variable. Names are ASCII letters,
/// digits, `_`, `-` and `.`, and unique within a template.
struct RoutePattern: Sendable {
    /// One segment of a template.
    enum Segment: Sendable, Equatable {
        /// Matches exactly this raw text.
        case literal(Substring)
        /// `{name}`: matches one non-empty segment.
        case variable(String)
        /// `{name+}`: matches the rest of the path, one or more segments.
        case greedy(String)
    }

    /// Which API type's syntax rules apply to literal segments and which wording errors use.
    enum Dialect: Sendable {
        /// HTTP API route keys: literals are visible ASCII except `{`, `}`, `?` and `#`.
        case httpRoute
        /// REST resource paths: literals use only `A-Z a-z 0-9 _ - . , :` (the OpenAPI import rule).
        case restResource
    }

    /// Why a template was rejected.
    struct Invalid: Error {
        /// A short description, used as ``RouteKeyError/reason``.
        var reason: String
    }

    /// The segments, left to right.
    private(set) var segments: [Segment]

    /// Parses a template.
    /// - Parameters:
    ///   - path: the template text, starting with `/`.
    ///   - dialect: the API type's rules.
    /// - Throws: ``Invalid`` naming the first problem.
    init(parsing path: Substring, dialect: Dialect) throws(Invalid) {
        guard path.first == "/" else { throw Invalid(reason: "path must start with '/'") }
        self.segments = []
        if path.count == 1 { return }
        guard path.last != "/" else { throw Invalid(reason: "path must not end with '/'") }
        let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        var names: Set<String> = []
        for part in parts {
            guard !part.isEmpty else { throw Invalid(reason: "path has an empty segment ('//')") }
            if let previous = self.segments.last, case .greedy(let name) = previous {
                throw Invalid(reason: Self.greedyNotLast(name: name, dialect: dialect))
            }
            let segment = try Self.parseSegment(part, dialect: dialect)
            switch segment {
            case .literal:
                break
            case .variable(let name), .greedy(let name):
                guard names.insert(name).inserted else {
                    throw Invalid(reason: "duplicate path variable name '\(name)'")
                }
            }
            self.segments.append(segment)
        }
    }

    /// Whether the template ends with a greedy variable.
    var isGreedy: Bool {
        if case .greedy = self.segments.last { return true }
        return false
    }

    /// Extracts the variable values for a matched request.
    /// - Parameters:
    ///   - request: the request segments, from ``RouteTrie/segments(of:)``, that this template matched.
    ///   - path: the request path the segments are slices of.
    /// - Returns: `(name, raw value)` per variable, in template order.
    func parameters(in request: [Substring], path: String) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        for (position, segment) in self.segments.enumerated() where position < request.count {
            switch segment {
            case .literal:
                continue
            case .variable(let name):
                result.append((name, String(request[position])))
            case .greedy(let name):
                if let last = request.last {
                    result.append((name, String(path[request[position].startIndex..<last.endIndex])))
                }
            }
        }
        return result
    }

    // MARK: - Segments

    private static func parseSegment(_ part: Substring, dialect: Dialect) throws(Invalid) -> Segment {
        let hasBrace = part.utf8.contains { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "}") }
        guard hasBrace else {
            try self.checkLiteral(part, dialect: dialect)
            return .literal(part)
        }
        var inner = part.dropFirst().dropLast()
        guard part.first == "{", part.last == "}", part.count >= 2,
            !inner.utf8.contains(where: { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "}") })
        else {
            throw Invalid(reason: "path variable '\(part)' must be a whole segment, as in '/{name}'")
        }
        let greedy = inner.last == "+"
        if greedy { inner = inner.dropLast() }
        guard !inner.isEmpty, inner.utf8.allSatisfy(Self.isNameByte) else {
            throw Invalid(
                reason: "invalid path variable name in '\(part)' (use A-Z a-z 0-9 _ - . and a final '+' for greedy)"
            )
        }
        return greedy ? .greedy(String(inner)) : .variable(String(inner))
    }

    private static func checkLiteral(_ part: Substring, dialect: Dialect) throws(Invalid) {
        for scalar in part.unicodeScalars {
            let allowed: Bool
            switch dialect {
            case .httpRoute:
                allowed = scalar.isASCII && scalar.value > 0x20 && scalar.value < 0x7F && scalar != "?" && scalar != "#"
            case .restResource:
                allowed = scalar.isASCII && (Self.isNameByte(UInt8(scalar.value)) || scalar == "," || scalar == ":")
            }
            guard allowed else {
                let hint = dialect == .restResource ? " (allowed: A-Z a-z 0-9 _ - . , :)" : ""
                throw Invalid(
                    reason: "invalid character '\(scalar.escaped(asASCII: true))' in path segment '\(part)'\(hint)"
                )
            }
        }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."):
            true
        default:
            false
        }
    }

    private static func greedyNotLast(name: String, dialect: Dialect) -> String {
        switch dialect {
        case .httpRoute: "greedy path variable {\(name)+} must be the last segment"
        case .restResource: "a proxy resource ({\(name)+}) cannot have children"
        }
    }
}
