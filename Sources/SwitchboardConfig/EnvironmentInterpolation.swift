internal import Yams

/// Replaces `${NAME}` and `${NAME:-default}` in YAML scalars with values from the environment.
///
/// Only names of the form `[A-Z_][A-Z0-9_]*` are environment variables. Anything else inside `${…}`
/// (`${stageVariables.backend}`, `${request.body.x}`) and `$context…` references are left for request time.
/// `${NAME:-default}` uses `default` when `NAME` is unset or empty, as a POSIX shell does; `${NAME}` with
/// `NAME` unset is a diagnostic.
struct EnvironmentInterpolation {
    /// The result of interpolating one string.
    struct Result: Equatable {
        /// The string with every known variable replaced (unset ones by nothing).
        var value: String
        /// Names referenced without a default that are not set, in order of appearance.
        var missing: [String]
    }

    /// The variables.
    let environment: [String: String]

    /// Interpolates one string.
    func interpolate(_ text: String) -> Result {
        guard text.contains("${") else { return Result(value: text, missing: []) }
        var output = ""
        var missing: [String] = []
        var rest = Substring(text)
        while let start = rest.firstRange(of: "${") {
            output += rest[..<start.lowerBound]
            let body = rest[start.upperBound...]
            guard let close = body.firstIndex(of: "}") else {
                output += rest[start.lowerBound...]
                rest = rest[rest.endIndex...]
                break
            }
            let inner = body[..<close]
            rest = body[body.index(after: close)...]
            let name: Substring
            let fallback: Substring?
            if let separator = inner.firstRange(of: ":-") {
                name = inner[..<separator.lowerBound]
                fallback = inner[separator.upperBound...]
            } else {
                name = inner
                fallback = nil
            }
            guard Self.isVariableName(name) else {
                output += "${" + inner + "}"
                continue
            }
            let value = self.environment[String(name)]
            if let fallback {
                output += (value?.isEmpty ?? true) ? String(fallback) : (value ?? "")
            } else if let value {
                output += value
            } else {
                missing.append(String(name))
            }
        }
        output += rest
        return Result(value: output, missing: missing)
    }

    /// Whether `name` matches `[A-Z_][A-Z0-9_]*`.
    static func isVariableName(_ name: Substring) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || ("A"..."Z").contains(first) else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    /// Interpolates every scalar of a document (keys and values), reporting unset variables.
    ///
    /// A scalar that changed becomes a double-quoted string, so an empty or `null` value from the
    /// environment is never read as YAML null.
    /// - Parameters:
    ///   - node: The document or a part of it.
    ///   - path: The node's key path.
    ///   - reader: Receives a diagnostic for each unset variable.
    /// - Returns: The node with variables replaced; positions are kept.
    func apply(to node: Node, path: String, reader: inout YAMLReader) -> Node {
        switch node {
        case .scalar(let scalar):
            let result = self.interpolate(scalar.string)
            for name in result.missing {
                reader.report("environment variable \(name) is not set", at: node, path: path)
            }
            if !result.missing.isEmpty {
                // The value is incomplete: "expected an integer" and the like would only repeat the problem.
                reader.silence(path)
            }
            guard result.value != scalar.string || !result.missing.isEmpty else { return node }
            return .scalar(Node.Scalar(result.value, .implicit, .doubleQuoted, scalar.mark))
        case .mapping(let mapping):
            var pairs: [(Node, Node)] = []
            for (key, value) in mapping {
                let newKey = self.apply(to: key, path: path, reader: &reader)
                let keyName = newKey.scalar?.string ?? "?"
                pairs.append((newKey, self.apply(to: value, path: YAMLReader.join(path, keyName), reader: &reader)))
            }
            return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
        case .sequence(let sequence):
            let items = sequence.enumerated().map { index, item in
                self.apply(to: item, path: YAMLReader.join(path, index: index), reader: &reader)
            }
            return .sequence(Node.Sequence(items, sequence.tag, sequence.style, sequence.mark))
        case .alias:
            return node
        }
    }
}
