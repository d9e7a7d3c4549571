/// Shared rendering of headers, query strings, path parameters, stage variables and bodies for the proxy
/// events.
extension ProxyEvent {
    /// A parameter name with all its values, in arrival order.
    typealias Group = (name: String, values: [String])

    /// Groups headers by case-insensitive name (first spelling kept) and sorts the groups: case-insensitively
    /// (REST, as in the AWS captures: `Accept`, `cache-control`, `CloudFront-…`, `Content-Type`,
    /// `headerName`, `Host`) or by exact name (HTTP API 1.0 captures: `X-Forwarded-Proto` before `accept`).
    static func sortedHeaderGroups(
        _ headers: [(name: String, value: String)],
        caseInsensitiveOrder: Bool
    ) -> [Group] {
        let groups = Self.group(headers) { $0.lowercased() }
        let keyed = groups.map { (key: caseInsensitiveOrder ? $0.name.lowercased() : $0.name, group: $0) }
        return keyed.sorted { Self.precedes($0.key, $1.key) }.map(\.group)
    }

    /// Groups pairs by a key of their name, in first-appearance order; each group keeps the first spelling.
    static func group(_ pairs: [(name: String, value: String)], key: (String) -> String) -> [Group] {
        var groups: [Group] = []
        var positions: [String: Int] = [:]
        for pair in pairs {
            let groupKey = key(pair.name)
            if let position = positions[groupKey] {
                groups[position].values.append(pair.value)
            } else {
                positions[groupKey] = groups.count
                groups.append((pair.name, [pair.value]))
            }
        }
        return groups
    }

    /// Byte-wise (UTF-8) ordering, as Java's `String.compareTo` orders ASCII names.
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// `{name: last value}` for each group.
    static func lastValues(_ groups: [Group]) -> JSONObject {
        JSONObject(groups.map { ($0.name, .string($0.values.last ?? "")) })
    }

    /// `{name: [values]}` for each group.
    static func allValues(_ groups: [Group]) -> JSONObject {
        JSONObject(groups.map { ($0.name, .array($0.values.map(JSONValue.string))) })
    }

    /// `{name: "v1,v2"}` for each group (format 2.0).
    static func joinedValues(_ groups: [Group]) -> JSONObject {
        JSONObject(groups.map { ($0.name, .string($0.values.joined(separator: ","))) })
    }

    /// The decoded query parameters (``PercentEncoding/queryPairs(_:)``) grouped by exact name in
    /// first-appearance order.
    static func queryGroups(_ rawQuery: String?) -> [Group] {
        guard let rawQuery, !rawQuery.isEmpty else { return [] }
        return Self.group(PercentEncoding.queryPairs(rawQuery)) { $0 }
    }

    static func pathParameters(_ parameters: [(name: String, value: String)], decode: Bool) -> JSONObject? {
        guard !parameters.isEmpty else { return nil }
        return JSONObject(
            parameters.map { ($0.name, .string(decode ? Self.decodedPath($0.value) : $0.value)) }
        )
    }

    /// The stage variables sorted by name, or `nil` when there are none.
    static func stageVariables(_ variables: [String: String]) -> JSONObject? {
        guard !variables.isEmpty else { return nil }
        let sorted = variables.sorted { Self.precedes($0.key, $1.key) }
        return JSONObject(sorted.map { ($0.key, .string($0.value)) })
    }

    /// A path percent-decoded as HTTP APIs deliver it (`%2F` becomes `/`, `+` stays `+`).
    static func decodedPath(_ path: String) -> String {
        PercentEncoding.decode(path[...], plusIsSpace: false)
    }

    /// The body as event text: `nil` when absent or empty, base64 when ``ProxyRequest/isBase64Body``,
    /// otherwise UTF-8 (invalid sequences replaced, as a gateway without binary media types mangles them).
    static func body(of request: ProxyRequest) -> (text: String?, isBase64: Bool) {
        guard let body = request.body, !body.isEmpty else { return (nil, false) }
        if request.isBase64Body {
            return (Base64.encode(body), true)
        }
        return (String(decoding: body, as: UTF8.self), false)
    }

    /// `$context.domainPrefix`: the first label of the domain name.
    static func domainPrefix(_ domainName: String) -> String {
        guard let dot = domainName.firstIndex(of: ".") else { return domainName }
        return String(domainName[..<dot])
    }
}
