internal import Yams

/// A small typed reader over composed YAML nodes.
///
/// Every read names the key path of the value it reads (`apis[0].routes.$default.integration.type`). A value
/// of the wrong shape is recorded as a ``ConfigDiagnostic`` at the node's line and column and read as `nil`,
/// so decoding goes on and one pass reports every problem. The reader also remembers where each key path it
/// saw lives, so cross-reference checks that run after decoding can point at the right line.
struct YAMLReader {
    /// A 1-based line and column in the file.
    struct Location: Equatable {
        /// 1-based line.
        var line: Int
        /// 1-based column.
        var column: Int
    }

    /// The file name used in diagnostics.
    let file: String
    /// The problems found so far, in the order found.
    private(set) var diagnostics: [ConfigDiagnostic] = []
    /// Where each key path read so far starts.
    private var locations: [String: Location] = [:]
    /// Key paths whose value already has a diagnostic that makes any later one noise (an unset variable).
    private var silenced: Set<String> = []

    /// Creates a reader whose diagnostics name `file`.
    init(file: String) {
        self.file = file
    }

    /// The diagnostics ordered by line and column (stable for equal positions).
    var sortedDiagnostics: [ConfigDiagnostic] {
        self.diagnostics.enumerated().sorted { lhs, rhs in
            let left = (lhs.element.line, lhs.element.column, lhs.offset)
            let right = (rhs.element.line, rhs.element.column, rhs.offset)
            return left < right
        }.map(\.element)
    }

    // MARK: - Reporting

    /// Records a problem at a node's position.
    mutating func report(_ message: String, at node: Node, path: String) {
        self.report(message, at: Self.location(of: node), path: path)
    }

    /// Records a problem at a position, unless `path` was silenced.
    mutating func report(_ message: String, at location: Location, path: String) {
        guard !self.silenced.contains(path) else { return }
        self.diagnostics.append(
            ConfigDiagnostic(
                file: self.file,
                line: location.line,
                column: location.column,
                keyPath: path,
                message: message
            )
        )
    }

    /// Records a problem at the position remembered for `path` (or its nearest remembered ancestor).
    mutating func report(_ message: String, path: String) {
        self.report(message, at: self.location(of: path), path: path)
    }

    /// Drops later diagnostics for exactly `path` (its value is known to be wrong already).
    mutating func silence(_ path: String) {
        self.silenced.insert(path)
    }

    /// Remembers where `path` starts.
    mutating func record(_ node: Node, path: String) {
        self.locations[path] = Self.location(of: node)
    }

    /// Where `path` starts, or its nearest remembered ancestor; line 1, column 1 when nothing is known.
    func location(of path: String) -> Location {
        var candidate = Substring(path)
        while true {
            if let location = self.locations[String(candidate)] {
                return location
            }
            guard let cut = candidate.lastIndex(where: { $0 == "." || $0 == "[" }) else {
                return self.locations[""] ?? Location(line: 1, column: 1)
            }
            candidate = candidate[..<cut]
        }
    }

    /// The position of a node (line 1, column 1 if Yams has none).
    static func location(of node: Node) -> Location {
        guard let mark = node.mark else { return Location(line: 1, column: 1) }
        return Location(line: mark.line, column: mark.column)
    }

    // MARK: - Key paths

    /// `base.key`, or `key` at the root.
    static func join(_ base: String, _ key: String) -> String {
        base.isEmpty ? key : base + "." + key
    }

    /// `base[index]`.
    static func join(_ base: String, index: Int) -> String {
        base + "[\(index)]"
    }

    // MARK: - Shapes

    /// Whether a node is YAML null (`~`, `null` or nothing, unquoted).
    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// A short description of a node for "got …" messages.
    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): scalar.string.isEmpty ? "an empty value" : scalar.string
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// Reads a mapping; a null value reads as an empty mapping.
    /// - Parameters:
    ///   - node: The node.
    ///   - path: Its key path.
    ///   - keys: The keys allowed here; keys not in the list are reported. `nil` accepts any key.
    /// - Returns: The mapping, or `nil` (with a diagnostic) when the node is not one.
    mutating func mapping(_ node: Node, path: String, keys: [String]?) -> YAMLMapping? {
        self.record(node, path: path)
        if Self.isNull(node) {
            return YAMLMapping(path: path, node: node, entries: [])
        }
        guard case .mapping(let mapping) = node else {
            self.report("expected a mapping (got \(Self.describe(node)))", at: node, path: path)
            return nil
        }
        let result = YAMLMapping(path: path, node: node, entries: self.entries(of: mapping, path: path))
        if let keys {
            self.reportUnknownKeys(in: result, allowed: keys)
        }
        return result
    }

    /// Reports every key of `mapping` that is not in `allowed`, with a "did you mean" hint when one is close.
    mutating func reportUnknownKeys(in mapping: YAMLMapping, allowed: [String]) {
        for entry in mapping.entries where !allowed.contains(entry.key) {
            self.report(Self.unknownKeyMessage(entry.key, known: allowed), at: entry.keyNode, path: entry.path)
        }
    }

    /// The entries of a mapping in file order, with YAML merge keys (`<<: *anchor`) expanded.
    private mutating func entries(of mapping: Node.Mapping, path: String) -> [YAMLMapping.Entry] {
        var explicit: Set<String> = []
        for (key, _) in mapping {
            if case .scalar(let scalar) = key, scalar.string != "<<" { explicit.insert(scalar.string) }
        }
        var seen: Set<String> = []
        var entries: [YAMLMapping.Entry] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                self.report("mapping keys must be plain strings", at: key, path: path)
                continue
            }
            if scalar.string == "<<" && scalar.style != .singleQuoted && scalar.style != .doubleQuoted {
                let sources: [Node] = value.sequence.map { Array($0) } ?? [value]
                for source in sources {
                    guard case .mapping(let merged) = source else {
                        self.report("a merge key ('<<') needs a mapping or a list of mappings", at: source, path: path)
                        continue
                    }
                    for entry in self.entries(of: merged, path: path)
                    where !explicit.contains(entry.key) && !seen.contains(entry.key) {
                        seen.insert(entry.key)
                        entries.append(entry)
                    }
                }
                continue
            }
            seen.insert(scalar.string)
            entries.append(
                YAMLMapping.Entry(key: scalar.string, keyNode: key, value: value, path: Self.join(path, scalar.string))
            )
        }
        return entries
    }

    /// Reads a list; a null value reads as an empty list.
    mutating func sequence(_ node: Node, path: String) -> [Node]? {
        self.record(node, path: path)
        if Self.isNull(node) { return [] }
        guard case .sequence(let sequence) = node else {
            self.report("expected a list (got \(Self.describe(node)))", at: node, path: path)
            return nil
        }
        return Array(sequence)
    }

    // MARK: - Scalars

    /// Reads any scalar as a string (`2.0` and `"2.0"` both read as `2.0`).
    mutating func string(_ node: Node, path: String) -> String? {
        self.record(node, path: path)
        guard case .scalar(let scalar) = node, !Self.isNull(node) else {
            self.report("expected a string (got \(Self.describe(node)))", at: node, path: path)
            return nil
        }
        return scalar.string
    }

    /// Reads a decimal integer, quoted or not (`_` separators allowed).
    mutating func int(_ node: Node, path: String) -> Int? {
        self.record(node, path: path)
        guard case .scalar(let scalar) = node, let value = Int(scalar.string.filter { $0 != "_" }) else {
            self.report("expected an integer (got \(Self.describe(node)))", at: node, path: path)
            return nil
        }
        return value
    }

    /// Reads `true` or `false`.
    mutating func bool(_ node: Node, path: String) -> Bool? {
        self.record(node, path: path)
        if case .scalar(let scalar) = node {
            switch scalar.string {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        self.report("expected true or false (got \(Self.describe(node)))", at: node, path: path)
        return nil
    }

    /// Reads a string that must be the raw value of one of `cases`.
    mutating func choice<Value: RawRepresentable>(
        _ node: Node,
        path: String,
        from cases: [Value]
    ) -> Value? where Value.RawValue == String {
        guard let raw = self.string(node, path: path) else { return nil }
        guard let value = cases.first(where: { $0.rawValue == raw }) else {
            let allowed = cases.map(\.rawValue).joined(separator: ", ")
            self.report("must be one of \(allowed) (got \(raw))", at: node, path: path)
            return nil
        }
        return value
    }

    /// Reads a mapping of strings to scalars (read as strings), e.g. `stageVariables`.
    mutating func stringMap(_ node: Node, path: String) -> [String: String] {
        guard let mapping = self.mapping(node, path: path, keys: nil) else { return [:] }
        var result: [String: String] = [:]
        for entry in mapping.entries {
            if let value = self.string(entry.value, path: entry.path) {
                result[entry.key] = value
            }
        }
        return result
    }

    /// Reads a list of strings; when `allowSingle` is set a lone scalar reads as a one-element list.
    mutating func stringList(_ node: Node, path: String, allowSingle: Bool = false) -> [String] {
        if allowSingle, case .scalar = node, !Self.isNull(node) {
            return self.string(node, path: path).map { [$0] } ?? []
        }
        guard let items = self.sequence(node, path: path) else { return [] }
        return items.enumerated().compactMap { index, item in
            self.string(item, path: Self.join(path, index: index))
        }
    }
}
