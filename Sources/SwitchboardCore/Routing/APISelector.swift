/// Picks the API and stage for a request, compiled once from the configuration.
///
/// Order, as DESIGN.md: Host `{apiId}.execute-api.*` with the stage as the first path segment; a domain
/// mapping (Host, then the longest `apiMappingKey` prefix of the path); else, when exactly one API is
/// configured, the first path segment is its stage.
package struct APISelector: Sendable {
    /// Where a request goes.
    package struct Selection: Sendable, Equatable {
        /// The API id.
        package var apiId: String
        /// The stage name.
        package var stage: String
        /// The path below the stage (or mapping), starting with `/` (just `/` when empty).
        package var remainingPath: String

        /// Creates a selection.
        package init(apiId: String, stage: String, remainingPath: String) {
            self.apiId = apiId
            self.stage = stage
            self.remainingPath = remainingPath
        }
    }

    private struct Mapping: Sendable {
        var host: String  // lower-cased, "*" for any
        var segments: [Substring]
        var apiId: String
        var stage: String
    }

    private let stagesByAPI: [String: Set<String>]
    private let httpAPIs: Set<String>
    private let mappings: [Mapping]
    private let singleAPI: String?

    /// Compiles a selector.
    /// - Parameter config: the validated configuration.
    package init(config: GatewayConfig) {
        var stagesByAPI: [String: Set<String>] = [:]
        for api in config.apis {
            stagesByAPI[api.id] = Set(api.stages.map(\.name))
        }
        self.stagesByAPI = stagesByAPI
        self.httpAPIs = Set(config.apis.filter { $0.protocolType == .http }.map(\.id))
        var mappings: [Mapping] = []
        for domain in config.domains {
            for mapping in domain.mappings {
                mappings.append(
                    Mapping(
                        host: domain.domainName.lowercased(),
                        segments: mapping.apiMappingKey.split(separator: "/"),
                        apiId: mapping.api,
                        stage: mapping.stage
                    )
                )
            }
        }
        // Longest key first, exact hosts before the wildcard.
        self.mappings = mappings.sorted {
            if $0.segments.count != $1.segments.count { return $0.segments.count > $1.segments.count }
            return $0.host != "*" && $1.host == "*"
        }
        self.singleAPI = config.apis.count == 1 ? config.apis[0].id : nil
    }

    /// Selects the API and stage.
    ///
    /// An HTTP API request that names no stage of the API, when the API has no `$default` stage, is still
    /// selected, with the empty stage ``noStage``: AWS answers it with the API's `404 {"message":"Not Found"}`
    /// rather than the `403 Forbidden` of an unknown API.
    /// - Parameters:
    ///   - host: the `Host` header, with or without a port.
    ///   - path: the request path without the query string.
    /// - Returns: the selection, or `nil` when nothing matches.
    package func select(host: String?, path: String) -> Selection? {
        let hostName = Self.lowercased(Self.stripPort(host ?? ""))
        let segments = PathSegments.nonEmpty(of: path)
        if let dot = hostName.firstIndex(of: "."), hostName[dot...].hasPrefix(".execute-api.") {
            let apiId = String(hostName[..<dot])
            if let stages = self.stagesByAPI[apiId] {
                return self.stageSelection(apiId: apiId, stages: stages, segments: segments[...])
            }
        }
        for mapping in self.mappings where mapping.host == "*" || mapping.host == hostName {
            guard segments.count >= mapping.segments.count,
                zip(segments, mapping.segments).allSatisfy({ $0 == $1 })
            else { continue }
            let rest = segments.dropFirst(mapping.segments.count)
            return Selection(apiId: mapping.apiId, stage: mapping.stage, remainingPath: Self.join(rest))
        }
        if let apiId = self.singleAPI, let stages = self.stagesByAPI[apiId] {
            return self.stageSelection(apiId: apiId, stages: stages, segments: segments[...])
        }
        return nil
    }

    private func stageSelection(apiId: String, stages: Set<String>, segments: ArraySlice<Substring>) -> Selection? {
        if let first = segments.first, stages.contains(String(first)) {
            return Selection(apiId: apiId, stage: String(first), remainingPath: Self.join(segments.dropFirst()))
        }
        if stages.contains("$default") {
            return Selection(apiId: apiId, stage: "$default", remainingPath: Self.join(segments))
        }
        if self.httpAPIs.contains(apiId) {
            return Selection(apiId: apiId, stage: Self.noStage, remainingPath: Self.join(segments))
        }
        return nil
    }

    /// The stage of an HTTP API selection that matched none of the API's stages.
    package static let noStage = ""

    private static func join(_ segments: ArraySlice<Substring>) -> String {
        guard !segments.isEmpty else { return "/" }
        var path = ""
        path.reserveCapacity(segments.reduce(0) { $0 + $1.utf8.count + 1 })
        for segment in segments {
            path.append("/")
            path.append(contentsOf: segment)
        }
        return path
    }

    /// The host in lower case; copied as it is when it has no upper-case ASCII letter (the usual case).
    private static func lowercased(_ host: Substring) -> String {
        host.utf8.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) })
            ? host.lowercased() : String(host)
    }

    private static func stripPort(_ host: String) -> Substring {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            return host[...close]
        }
        if let colon = host.lastIndex(of: ":") {
            return host[..<colon]
        }
        return host[...]
    }
}
