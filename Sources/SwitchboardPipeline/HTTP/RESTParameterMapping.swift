import NIOCore
package import SwitchboardCore

/// A REST integration's `requestParameters`, compiled: `integration.request.(header|querystring|path).N`
/// filled from `method.request.(path|querystring|multivaluequerystring|header|multivalueheader).N`,
/// `method.request.body[.PATH]`, `context.N`, `stageVariables.N` or `'static'`.
struct RESTParameterMapping: Sendable {
    /// The values resolved for one request.
    struct Resolved: Sendable {
        var headers: [(name: String, value: String)] = []
        var query: [(name: String, value: String)] = []
        var path: [(name: String, value: String)] = []
    }

    private enum Target: Sendable {
        case header(String)
        case querystring(String)
        case path(String)
    }

    private let pairs: [(target: Target, source: String)]

    init(_ parameters: [String: String]) {
        var pairs: [(target: Target, source: String)] = []
        for (key, source) in parameters.sorted(by: { $0.key < $1.key }) {
            if key.hasPrefix("integration.request.header.") {
                pairs.append((.header(String(key.dropFirst("integration.request.header.".count))), source))
            } else if key.hasPrefix("integration.request.querystring.") {
                pairs.append((.querystring(String(key.dropFirst("integration.request.querystring.".count))), source))
            } else if key.hasPrefix("integration.request.path.") {
                pairs.append((.path(String(key.dropFirst("integration.request.path.".count))), source))
            }
        }
        self.pairs = pairs
    }

    func resolve(_ exchange: HTTPExchange) -> Resolved {
        var resolved = Resolved()
        for (target, source) in self.pairs {
            for value in Self.values(of: source, exchange) {
                switch target {
                case .header(let name): resolved.headers.append((name, value))
                case .querystring(let name): resolved.query.append((name, value))
                case .path(let name): resolved.path.append((name, value))
                }
            }
        }
        return resolved
    }

    /// The values of a source (several for `multivalue…` sources).
    static func values(of source: String, _ exchange: HTTPExchange) -> [String] {
        if source.count >= 2, source.hasPrefix("'"), source.hasSuffix("'") {
            return [String(source.dropFirst().dropLast())]
        }
        func after(_ prefix: String) -> String? {
            source.hasPrefix(prefix) ? String(source.dropFirst(prefix.count)) : nil
        }
        if let name = after("method.request.path.") {
            return exchange.pathParameters.first { $0.name == name }.map { [$0.value] } ?? []
        }
        if let name = after("method.request.querystring.") { return exchange.queryValue(name).map { [$0] } ?? [] }
        if let name = after("method.request.multivaluequerystring.") {
            return exchange.query.filter { $0.name == name }.map(\.value)
        }
        if let name = after("method.request.header.") { return exchange.header(name).map { [$0] } ?? [] }
        if let name = after("method.request.multivalueheader.") { return exchange.headerValues(name) }
        if source == "method.request.body" { return [String(buffer: exchange.body)] }
        if let path = after("method.request.body.") {
            guard let json = try? JSONValue.parse(exchange.body.readableBytesView),
                let compiled = try? JSONPath(parsing: "$." + path),
                let value = compiled.evaluate(on: json)
            else { return [] }
            return [value.selectionString]
        }
        if let name = after("context.") { return exchange.contextVariable(name).map { [$0] } ?? [] }
        if let name = after("stageVariables.") { return exchange.stageVariables[name].map { [$0] } ?? [] }
        return []
    }
}
