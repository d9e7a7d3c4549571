package import SwitchboardCore

/// `requestParameters` compiled: `integration.request.header.X` / `querystring.X` ← a source.
///
/// Sources: `context.X`, `stageVariables.X`, `route.request.header.X`, `route.request.querystring.X`
/// (`$connect` only, as AWS), `route.request.body.PATH`, and `'static'`.
package struct RequestParameterMapping: Sendable {
    /// Where a mapped value goes.
    package enum Target: Sendable, Equatable {
        /// A request header.
        case header(String)
        /// A query string parameter.
        case querystring(String)
    }

    /// Where a mapped value comes from.
    package enum Source: Sendable, Equatable {
        /// `context.X`.
        case context(String)
        /// `stageVariables.X`.
        case stageVariable(String)
        /// `route.request.header.X`.
        case header(String)
        /// `route.request.querystring.X`.
        case querystring(String)
        /// `route.request.body.PATH`.
        case body(JSONPath)
        /// `'static'`.
        case constant(String)
    }

    /// The compiled pairs, sorted by target for a stable order.
    package let pairs: [(target: Target, source: Source)]

    /// Compiles mappings; entries that do not parse are skipped (the config validator reports them).
    /// - Parameter parameters: target → source, as configured.
    package init(_ parameters: [String: String]) {
        var pairs: [(target: Target, source: Source)] = []
        for (key, value) in parameters.sorted(by: { $0.key < $1.key }) {
            guard let target = Self.target(key), let source = Self.source(value) else { continue }
            pairs.append((target, source))
        }
        self.pairs = pairs
    }

    private static func target(_ key: String) -> Target? {
        if key.hasPrefix("integration.request.header.") {
            return .header(String(key.dropFirst("integration.request.header.".count)))
        }
        if key.hasPrefix("integration.request.querystring.") {
            return .querystring(String(key.dropFirst("integration.request.querystring.".count)))
        }
        return nil
    }

    private static func source(_ value: String) -> Source? {
        if value.count >= 2, value.hasPrefix("'"), value.hasSuffix("'") {
            return .constant(String(value.dropFirst().dropLast()))
        }
        let prefixes: [(String, (String) -> Source?)] = [
            ("context.", { .context($0) }),
            ("stageVariables.", { .stageVariable($0) }),
            ("route.request.header.", { .header($0) }),
            ("route.request.querystring.", { .querystring($0) }),
            ("route.request.body.", { (try? JSONPath(parsing: $0)).map(Source.body) }),
        ]
        for (prefix, make) in prefixes where value.hasPrefix(prefix) {
            return make(String(value.dropFirst(prefix.count)))
        }
        return nil
    }

    /// Resolves every mapping for an exchange.
    /// - Parameter exchange: the request.
    /// - Returns: headers and query parameters to add (unresolvable sources are left out).
    package func resolve(
        _ exchange: Exchange
    ) -> (headers: [(name: String, value: String)], query: [(name: String, value: String)]) {
        var headers: [(name: String, value: String)] = []
        var query: [(name: String, value: String)] = []
        var bodyJSON: JSONValue??
        for (target, source) in self.pairs {
            let value: String?
            switch source {
            case .constant(let text): value = text
            case .context(let name): value = exchange.contextVariable(name)
            case .stageVariable(let name): value = exchange.stageVariables[name]
            case .header(let name): value = exchange.eventType == .connect ? exchange.header(name) : nil
            case .querystring(let name):
                value = exchange.eventType == .connect ? exchange.queryString?.first { $0.name == name }?.value : nil
            case .body(let path):
                if bodyJSON == nil { bodyJSON = .some(try? JSONValue.parse(exchange.bodyString)) }
                value = (bodyJSON ?? nil).flatMap { path.evaluate(on: $0) }?.selectionString
            }
            guard let value else { continue }
            switch target {
            case .header(let name): headers.append((name, value))
            case .querystring(let name): query.append((name, value))
            }
        }
        return (headers, query)
    }
}
