package import SwitchboardCore
internal import Yams

#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// Loads a Switchboard YAML configuration into a validated ``GatewayConfig``.
///
/// Loading composes the YAML into nodes (keeping every node's line and column), replaces `${NAME}`
/// environment variables, decodes the model and checks it. Every problem found is collected; if there is any,
/// the loader throws one ``ConfigError`` listing them all, each with file, line, column and key path.
package enum ConfigLoader {
    /// The keys allowed at the top level. `apiKeys` and `usagePlans` (REST APIs) are accepted and skipped.
    static let rootKeys = [
        "server", "registry", "cluster", "aws", "apis", "domains", "apiKeys", "usagePlans", "throttle",
    ]

    /// The most nodes a document may have once its aliases are expanded. Yams composes an alias as a copy of its
    /// anchor's node, so nine levels of nine aliases ("billion laughs") compose in microseconds into a tree of
    /// 9^9 nodes that interpolation and decoding would then walk until memory runs out. Real configurations
    /// have a few thousand nodes.
    static let maxExpandedNodes = 1_000_000

    /// Reads and loads a configuration file.
    /// - Parameters:
    ///   - path: The file to read; also the file name in diagnostics.
    ///   - environment: The variables `${NAME}` is replaced from (usually the process environment).
    /// - Returns: The validated configuration.
    /// - Throws: ``ConfigError`` with every problem found; an unreadable file is one diagnostic at line 0.
    package static func load(path: String, environment: [String: String]) throws(ConfigError) -> GatewayConfig {
        let text: String
        switch Self.readFile(path) {
        case .success(let contents):
            text = contents
        case .failure(let message):
            throw ConfigError(diagnostics: [
                ConfigDiagnostic(file: path, line: 0, column: 0, keyPath: "", message: message.text)
            ])
        }
        return try Self.load(yaml: text, file: path, environment: environment)
    }

    /// Loads a configuration from YAML text.
    /// - Parameters:
    ///   - yaml: The document.
    ///   - file: The file name used in diagnostics.
    ///   - environment: The variables `${NAME}` is replaced from.
    /// - Returns: The validated configuration.
    /// - Throws: ``ConfigError`` with every problem found.
    package static func load(
        yaml: String,
        file: String,
        environment: [String: String]
    ) throws(ConfigError) -> GatewayConfig {
        let document: Node?
        do {
            document = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigError(diagnostics: [Self.syntaxDiagnostic(error, yaml: yaml, file: file)])
        }
        var reader = YAMLReader(file: file)
        guard let document, !YAMLReader.isNull(document) else {
            reader.report("the configuration is empty", at: YAMLReader.Location(line: 1, column: 1), path: "")
            throw ConfigError(diagnostics: reader.diagnostics)
        }
        guard Self.expandedNodeCount(document, limit: Self.maxExpandedNodes) <= Self.maxExpandedNodes else {
            reader.report(
                "the document has more than \(Self.maxExpandedNodes) nodes once its aliases are expanded",
                at: document,
                path: ""
            )
            throw ConfigError(diagnostics: reader.diagnostics)
        }
        let interpolated = EnvironmentInterpolation(environment: environment)
            .apply(to: document, path: "", reader: &reader)
        let config = Self.decodeRoot(interpolated, reader: &reader)
        Self.validate(config, reader: &reader)
        guard reader.diagnostics.isEmpty else {
            throw ConfigError(diagnostics: reader.sortedDiagnostics)
        }
        return config
    }

    // MARK: - Root

    /// Decodes the top-level mapping.
    static func decodeRoot(_ node: Node, reader: inout YAMLReader) -> GatewayConfig {
        var config = GatewayConfig()
        guard let root = reader.mapping(node, path: "", keys: Self.rootKeys) else { return config }
        if let server = root["server"] {
            config.server = Self.decodeServer(server, path: root.path("server"), reader: &reader)
        }
        if let cluster = root["cluster"] {
            config.cluster = Self.decodeCluster(cluster, path: root.path("cluster"), reader: &reader)
        }
        if let registry = root["registry"] {
            config.registry = Self.decodeRegistry(registry, path: root.path("registry"), reader: &reader)
        }
        if let aws = root["aws"] {
            config.aws = Self.decodeAWS(aws, path: root.path("aws"), reader: &reader)
        }
        if let apis = root["apis"], let items = reader.sequence(apis, path: root.path("apis")) {
            for (index, item) in items.enumerated() {
                let path = YAMLReader.join(root.path("apis"), index: index)
                config.apis.append(Self.decodeAPI(item, path: path, in: config, reader: &reader))
            }
        }
        if let domains = root["domains"], let items = reader.sequence(domains, path: root.path("domains")) {
            for (index, item) in items.enumerated() {
                let path = YAMLReader.join(root.path("domains"), index: index)
                config.domains.append(Self.decodeDomain(item, path: path, reader: &reader))
            }
        }
        if let keys = root["apiKeys"] {
            config.apiKeys = Self.decodeAPIKeys(keys, path: root.path("apiKeys"), reader: &reader)
        }
        if let plans = root["usagePlans"] {
            config.usagePlans = Self.decodeUsagePlans(plans, path: root.path("usagePlans"), reader: &reader)
        }
        if let throttle = root["throttle"],
            let settings = Self.decodeThrottle(throttle, path: root.path("throttle"), reader: &reader)
        {
            config.throttle = settings
        }
        return config
    }

    /// The number of nodes in `document` with every alias expanded, counting no further than `limit + 1`.
    static func expandedNodeCount(_ document: Node, limit: Int) -> Int {
        var count = 0
        var pending = [document]
        while let node = pending.popLast(), count <= limit {
            count += 1
            switch node {
            case .scalar, .alias:
                break
            case .mapping(let mapping):
                for (key, value) in mapping {
                    pending.append(key)
                    pending.append(value)
                }
            case .sequence(let sequence):
                pending.append(contentsOf: sequence)
            }
        }
        return count
    }

    // MARK: - Errors from Yams and the file system

    /// A YAML syntax error as a diagnostic at the position Yams reports.
    static func syntaxDiagnostic(_ error: any Error, yaml: String, file: String) -> ConfigDiagnostic {
        func diagnostic(_ line: Int, _ column: Int, _ message: String) -> ConfigDiagnostic {
            ConfigDiagnostic(file: file, line: line, column: column, keyPath: "", message: message)
        }
        guard let yamlError = error as? YamlError else {
            return diagnostic(1, 1, "invalid YAML: \(error)")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text), " } ?? ""
            let hint =
                Self.character(line: mark.line, column: mark.column, in: yaml) == "\t"
                ? " (a tab: YAML indents with spaces)" : ""
            return diagnostic(mark.line, mark.column, "invalid YAML: \(prefix)\(problem)\(hint)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return diagnostic(context.mark.line, context.mark.column, "duplicate key \(keys) in a mapping")
        case .reader(let problem, let offset, _, _):
            let position = offset.map { Self.lineAndColumn(ofUTF8Offset: $0, in: yaml) } ?? (1, 1)
            return diagnostic(position.0, position.1, "invalid YAML: \(problem)")
        default:
            return diagnostic(1, 1, "invalid YAML: \(yamlError)")
        }
    }

    /// The 1-based line and column of a byte offset.
    static func lineAndColumn(ofUTF8Offset offset: Int, in text: String) -> (Int, Int) {
        var line = 1
        var column = 1
        for byte in text.utf8.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    /// The character at a 1-based line and column (columns count Unicode scalars, as libyaml does).
    static func character(line: Int, column: Int, in text: String) -> Unicode.Scalar? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count, column >= 1 else { return nil }
        let scalars = Array(lines[line - 1].unicodeScalars)
        return column <= scalars.count ? scalars[column - 1] : nil
    }

    /// Why a file could not be read.
    struct ReadFailure: Error {
        /// The message.
        var text: String
    }

    /// Reads a UTF-8 file.
    static func readFile(_ path: String) -> Result<String, ReadFailure> {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(ReadFailure(text: "cannot read the configuration: no such file"))
        }
        guard !isDirectory else {
            return .failure(ReadFailure(text: "cannot read the configuration: it is a directory"))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(ReadFailure(text: "cannot read the configuration: permission denied or I/O error"))
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            return .failure(ReadFailure(text: "cannot read the configuration: the file is not UTF-8"))
        }
        return .success(text)
    }
}
