internal import SwitchboardCore
internal import Yams

extension ConfigLoader {
    /// Keys of `server:`.
    static let serverKeys = [
        "listen", "nodeId", "shutdownGracePeriodMillis", "headerReadTimeoutMillis", "maxHeaderBytes",
        "eventLoopThreads",
    ]
    /// Keys of `aws:`.
    static let awsKeys = ["region", "accountId", "endpoints", "credentials", "iamUsers"]
    /// Keys of `aws.credentials:`.
    static let credentialsKeys = ["accessKeyId", "secretAccessKey", "sessionToken"]

    // MARK: - server

    /// Decodes `server:`.
    static func decodeServer(_ node: Node, path: String, reader: inout YAMLReader) -> ServerConfig {
        var server = ServerConfig()
        guard let mapping = reader.mapping(node, path: path, keys: Self.serverKeys) else { return server }
        if let listen = mapping["listen"], let text = reader.string(listen, path: mapping.path("listen")) {
            switch Self.parseListen(text) {
            case .success(let address):
                server.host = address.host
                server.port = address.port
            case .failure(let problem):
                reader.report(problem.message, at: listen, path: mapping.path("listen"))
            }
        }
        if let nodeIdNode = mapping["nodeId"], let nodeId = reader.string(nodeIdNode, path: mapping.path("nodeId")) {
            if Self.isToken(nodeId) {
                server.nodeId = nodeId
            } else {
                reader.report(
                    "must be letters, digits, '.', '_' or '-' (got '\(nodeId)')",
                    at: nodeIdNode,
                    path: mapping.path("nodeId")
                )
            }
        }
        Self.readInt(mapping, "shutdownGracePeriodMillis", minimum: 0, into: &server.shutdownGracePeriodMillis, &reader)
        Self.readInt(mapping, "headerReadTimeoutMillis", minimum: 1, into: &server.headerReadTimeoutMillis, &reader)
        Self.readInt(mapping, "maxHeaderBytes", minimum: 1, into: &server.maxHeaderBytes, &reader)
        Self.readInt(mapping, "eventLoopThreads", minimum: 0, maximum: 1024, into: &server.eventLoopThreads, &reader)
        return server
    }

    /// A parsed `listen:` value.
    struct ListenAddress: Equatable {
        /// The host, without IPv6 brackets.
        var host: String
        /// The port.
        var port: Int
    }

    /// Why a `listen:` value is invalid.
    struct ListenProblem: Error {
        /// The diagnostic message.
        var message: String
    }

    /// Parses `host:port`, where host is an IPv4 address, `localhost`, `[::1]` or `[::]`, and port 0–65535.
    static func parseListen(_ text: String) -> Result<ListenAddress, ListenProblem> {
        let expected = "must be host:port with an IPv4 address, localhost or [::1] (got '\(text)')"
        guard let colon = text.lastIndex(of: ":") else { return .failure(ListenProblem(message: expected)) }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
            guard host == "::1" || host == "::" else { return .failure(ListenProblem(message: expected)) }
        } else if host != "localhost" && !Self.isIPv4(host) {
            return .failure(ListenProblem(message: expected))
        }
        guard !portText.isEmpty, portText.allSatisfy(\.isASCIIDigit), let port = Int(portText), port <= 65_535
        else {
            return .failure(ListenProblem(message: "port must be between 0 and 65535 (got '\(portText)')"))
        }
        return .success(ListenAddress(host: host, port: port))
    }

    /// Whether `text` is a dotted-quad IPv4 address.
    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCIIDigit) && (Int(part) ?? 256) <= 255
            }
    }

    /// Whether `text` is non-empty and made of letters, digits, `.`, `_` and `-`.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { Self.isTokenScalar($0) }
    }

    /// Letters, digits, `.`, `_` and `-` (ASCII).
    static func isTokenScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII
            && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "." || scalar == "_" || scalar == "-")
    }

    // MARK: - cluster

    static let clusterKeys = [
        "heartbeatIntervalMillis", "nodeTimeoutMillis", "sweepIntervalMillis", "recordRefreshMillis",
        "crossNodeTimeoutMillis",
    ]

    /// Decodes `cluster:` (cluster-mode timings, milliseconds).
    static func decodeCluster(_ node: Node, path: String, reader: inout YAMLReader) -> ClusterSettings {
        var cluster = ClusterSettings()
        guard let mapping = reader.mapping(node, path: path, keys: Self.clusterKeys) else { return cluster }
        Self.readInt(mapping, "heartbeatIntervalMillis", minimum: 10, into: &cluster.heartbeatIntervalMillis, &reader)
        Self.readInt(mapping, "nodeTimeoutMillis", minimum: 50, into: &cluster.nodeTimeoutMillis, &reader)
        Self.readInt(mapping, "sweepIntervalMillis", minimum: 10, into: &cluster.sweepIntervalMillis, &reader)
        Self.readInt(mapping, "recordRefreshMillis", minimum: 100, into: &cluster.recordRefreshMillis, &reader)
        Self.readInt(mapping, "crossNodeTimeoutMillis", minimum: 10, into: &cluster.crossNodeTimeoutMillis, &reader)
        if cluster.nodeTimeoutMillis <= cluster.heartbeatIntervalMillis, let value = mapping["nodeTimeoutMillis"] {
            reader.report(
                "must be longer than heartbeatIntervalMillis (\(cluster.heartbeatIntervalMillis))",
                at: value,
                path: mapping.path("nodeTimeoutMillis")
            )
        }
        return cluster
    }

    // MARK: - registry

    /// Decodes `registry:` (`memory` or a `redis://` URL).
    static func decodeRegistry(_ node: Node, path: String, reader: inout YAMLReader) -> RegistryConfig {
        guard let text = reader.string(node, path: path) else { return .memory }
        if text == "memory" { return .memory }
        if text.hasPrefix("redis://") && text.count > "redis://".count { return .redis(text) }
        reader.report("must be 'memory' or a redis:// URL (got '\(text)')", at: node, path: path)
        return .memory
    }

    // MARK: - aws

    /// Decodes `aws:`.
    static func decodeAWS(_ node: Node, path: String, reader: inout YAMLReader) -> AWSConfig {
        var aws = AWSConfig()
        guard let mapping = reader.mapping(node, path: path, keys: Self.awsKeys) else { return aws }
        if let region = mapping["region"], let text = reader.string(region, path: mapping.path("region")) {
            aws.region = text
        }
        if let account = mapping["accountId"], let text = reader.string(account, path: mapping.path("accountId")) {
            if text.count == 12 && text.allSatisfy(\.isASCIIDigit) {
                aws.accountId = text
            } else {
                reader.report("must be 12 digits (got '\(text)')", at: account, path: mapping.path("accountId"))
            }
        }
        if let endpoints = mapping["endpoints"] {
            aws.endpoints = reader.stringMap(endpoints, path: mapping.path("endpoints"))
            for (service, url) in aws.endpoints where !Self.isHTTPURL(url) {
                reader.report(
                    "must be an http:// or https:// URL (got '\(url)')",
                    path: YAMLReader.join(mapping.path("endpoints"), service)
                )
            }
        }
        if let credentials = mapping["credentials"] {
            aws.credentials = Self.decodeCredentials(credentials, path: mapping.path("credentials"), reader: &reader)
        }
        if let users = mapping["iamUsers"] {
            aws.iamUsers = Self.decodeIAMUsers(users, path: mapping.path("iamUsers"), reader: &reader)
        }
        return aws
    }

    /// Decodes `aws.credentials:`; a present but incomplete mapping still yields a value (with diagnostics).
    static func decodeCredentials(_ node: Node, path: String, reader: inout YAMLReader) -> AWSCredentials? {
        guard let mapping = reader.mapping(node, path: path, keys: Self.credentialsKeys) else { return nil }
        let accessKeyId = Self.requiredString(mapping, "accessKeyId", &reader) ?? ""
        let secretAccessKey = Self.requiredString(mapping, "secretAccessKey", &reader) ?? ""
        var sessionToken: String?
        if let token = mapping["sessionToken"] {
            sessionToken = reader.string(token, path: mapping.path("sessionToken"))
        }
        return AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: sessionToken)
    }

    /// Whether `text` starts with `http://` or `https://` and has something after it.
    static func isHTTPURL(_ text: String) -> Bool {
        (text.hasPrefix("http://") && text.count > 7) || (text.hasPrefix("https://") && text.count > 8)
    }

    // MARK: - Shared helpers

    /// Reads a required string key, reporting it at the mapping when missing.
    static func requiredString(_ mapping: YAMLMapping, _ key: String, _ reader: inout YAMLReader) -> String? {
        guard let node = mapping[key] else {
            reader.report("missing required key '\(key)'", at: mapping.node, path: mapping.path)
            return nil
        }
        return reader.string(node, path: mapping.path(key))
    }

    /// Reads an optional string key.
    static func optionalString(_ mapping: YAMLMapping, _ key: String, _ reader: inout YAMLReader) -> String? {
        mapping[key].flatMap { reader.string($0, path: mapping.path(key)) }
    }

    /// Reads an optional boolean key into `value`.
    static func readBool(_ mapping: YAMLMapping, _ key: String, into value: inout Bool, _ reader: inout YAMLReader) {
        if let node = mapping[key], let read = reader.bool(node, path: mapping.path(key)) {
            value = read
        }
    }

    /// Reads an optional integer key into `value`, checking it lies in `minimum...maximum`.
    static func readInt(
        _ mapping: YAMLMapping,
        _ key: String,
        minimum: Int,
        maximum: Int? = nil,
        into value: inout Int,
        _ reader: inout YAMLReader
    ) {
        guard let node = mapping[key], let read = reader.int(node, path: mapping.path(key)) else { return }
        if let maximum, !(minimum...maximum).contains(read) {
            reader.report("must be between \(minimum) and \(maximum) (got \(read))", at: node, path: mapping.path(key))
        } else if maximum == nil && read < minimum {
            let bound = minimum == 1 ? "must be positive" : "must be at least \(minimum)"
            reader.report("\(bound) (got \(read))", at: node, path: mapping.path(key))
        } else {
            value = read
        }
    }
}

extension Character {
    /// Whether this is one of `0`–`9`.
    var isASCIIDigit: Bool {
        self.isASCII && self.isNumber
    }
}
