/// An HTTP API integration's `requestParameters` and `responseParameters`, compiled once
/// (AWS `http-api-parameter-mapping`).
///
/// Request keys: `append|overwrite|remove:header.<name>`, `append|overwrite|remove:querystring.<name>` and
/// `overwrite:path`. Response keys, configured per integration status code (`{"500": {…}}`):
/// `append|overwrite|remove:header.<name>` and `overwrite:statuscode`. Values are ``HTTPMappingValue``s.
///
/// Semantics: `append` adds one more header or query entry (a repeated header, which HTTP treats as the
/// comma-joined list); `overwrite` replaces every entry of that name (or the path, or the status code);
/// `remove` deletes every entry of that name and ignores its value. Header names match ASCII
/// case-insensitively, query names case-sensitively. Rules run removes first, then overwrites, then appends,
/// each group in key order, and all values are read from the original message, so AWS's "rename" example
/// (`append:header.header2` ← `$request.header.header1` plus `remove:header.header1`) works in any order. A
/// value whose reference has no value (a missing header, say) skips its rule. Keys or values that do not
/// compile are skipped here; config validation reports them with ``validate(requestKey:value:)`` and
/// ``validate(responseKey:value:)``.
package struct HTTPParameterMapping: Sendable {
    /// How a rule changes its target.
    package enum Action: String, Sendable, Equatable, CaseIterable {
        /// Add a value.
        case append
        /// Replace all values.
        case overwrite
        /// Delete all values.
        case remove

        fileprivate var order: Int {
            switch self {
            case .remove: 0
            case .overwrite: 1
            case .append: 2
            }
        }
    }

    /// What a request rule changes.
    package enum RequestTarget: Sendable, Equatable {
        /// A header, by name.
        case header(String)
        /// A query string parameter, by name.
        case querystring(String)
        /// The request path.
        case path
    }

    /// What a response rule changes.
    package enum ResponseTarget: Sendable, Equatable {
        /// A header, by name.
        case header(String)
        /// The status code.
        case statusCode
    }

    /// One compiled mapping.
    package struct Rule<Target: Sendable & Equatable>: Sendable, Equatable {
        /// The action.
        package var action: Action
        /// The target.
        package var target: Target
        /// The value (empty for `remove`).
        package var value: HTTPMappingValue
    }

    /// AWS truncates a request body at 100 KB before applying a `$request.body.<jsonpath>`.
    package static let bodyJSONPathLimit = 100 * 1024

    /// The request rules, in application order.
    package let requestRules: [Rule<RequestTarget>]
    /// The response rules by integration status code, each list in application order.
    package let responseRules: [Int: [Rule<ResponseTarget>]]

    /// Compiles the mappings, skipping entries that do not compile.
    /// - Parameters:
    ///   - requestParameters: `requestParameters`, key → value.
    ///   - responseParameters: `responseParameters`, integration status code (`"500"`) → key → value.
    package init(requestParameters: [String: String] = [:], responseParameters: [String: [String: String]] = [:]) {
        var requestRules: [(key: String, rule: Rule<RequestTarget>)] = []
        for (key, value) in requestParameters {
            guard case .success(let rule) = Self.compileRequest(key: key, value: value) else { continue }
            requestRules.append((key, rule))
        }
        self.requestRules = Self.ordered(requestRules)
        var responseRules: [Int: [Rule<ResponseTarget>]] = [:]
        for (status, parameters) in responseParameters {
            guard Self.validate(responseStatusKey: status) == nil, let code = Int(status) else { continue }
            var rules: [(key: String, rule: Rule<ResponseTarget>)] = []
            for (key, value) in parameters {
                guard case .success(let rule) = Self.compileResponse(key: key, value: value) else { continue }
                rules.append((key, rule))
            }
            responseRules[code] = Self.ordered(rules)
        }
        self.responseRules = responseRules
    }

    /// `true` when there is nothing to apply.
    package var isEmpty: Bool { self.requestRules.isEmpty && self.responseRules.isEmpty }

    // MARK: - Applying

    /// Rewrites a request before it reaches the integration.
    /// - Parameters:
    ///   - request: The request to rewrite.
    ///   - resolver: Supplies the original request's values.
    package func apply(to request: inout MappableRequest, resolver: some ParameterMappingResolver) {
        var cache = HTTPMappingValue.BodyCache()
        for rule in self.requestRules {
            if rule.action == .remove {
                switch rule.target {
                case .header(let name): request.headers.removeAll { $0.name.caseInsensitiveEquals(name) }
                case .querystring(let name): request.query.removeAll { $0.name == name }
                case .path: break
                }
                continue
            }
            guard let value = rule.value.evaluate(resolver: resolver, cache: &cache) else { continue }
            switch rule.target {
            case .header(let name):
                if rule.action == .overwrite { request.headers.removeAll { $0.name.caseInsensitiveEquals(name) } }
                request.headers.append((name, value))
            case .querystring(let name):
                if rule.action == .overwrite { request.query.removeAll { $0.name == name } }
                request.query.append((name, value))
            case .path:
                request.path = value
            }
        }
    }

    /// Rewrites an integration response with the rules configured for its status code.
    /// - Parameters:
    ///   - response: The response to rewrite.
    ///   - statusCode: The integration's status code, which selects the rules.
    ///   - resolver: Supplies the original response's (and context and stage variable) values.
    /// - Returns: The status code to send: `statusCode`, or the `overwrite:statuscode` value when it evaluates to
    ///   an integer from 100 to 599.
    package func apply(
        to response: inout MappableResponse,
        statusCode: Int,
        resolver: some ParameterMappingResolver
    ) -> Int {
        guard let rules = self.responseRules[statusCode] else { return statusCode }
        var cache = HTTPMappingValue.BodyCache()
        var status = statusCode
        for rule in rules {
            if rule.action == .remove {
                if case .header(let name) = rule.target {
                    response.headers.removeAll { $0.name.caseInsensitiveEquals(name) }
                }
                continue
            }
            guard let value = rule.value.evaluate(resolver: resolver, cache: &cache) else { continue }
            switch rule.target {
            case .header(let name):
                if rule.action == .overwrite { response.headers.removeAll { $0.name.caseInsensitiveEquals(name) } }
                response.headers.append((name, value))
            case .statusCode:
                if let code = Self.statusCode(value) { status = code }
            }
        }
        return status
    }

    // MARK: - Value helpers for resolvers

    /// Every value of a header, comma-joined as AWS does for `$request.header.<name>`.
    /// - Parameters:
    ///   - name: The header name (matched ASCII case-insensitively).
    ///   - headers: The headers.
    /// - Returns: `value1,value2`, or `nil` when the header is absent.
    package static func headerValue(named name: String, in headers: [(name: String, value: String)]) -> String? {
        let values = headers.lazy.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ",")
    }

    /// Every value of a query string parameter, comma-joined as AWS does for `$request.querystring.<name>`.
    /// - Parameters:
    ///   - name: The parameter name (matched case-sensitively).
    ///   - query: The query string parameters.
    /// - Returns: `Value1,Value2`, or `nil` when the parameter is absent.
    package static func queryValue(named name: String, in query: [(name: String, value: String)]) -> String? {
        let values = query.lazy.filter { $0.name == name }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ",")
    }

    private static func statusCode(_ text: String) -> Int? {
        guard let code = Int(text.trimmingWhitespace()), (100...599).contains(code) else { return nil }
        return code
    }

    private static func ordered<Target>(_ rules: [(key: String, rule: Rule<Target>)]) -> [Rule<Target>] {
        rules.sorted { lhs, rhs in
            lhs.rule.action.order != rhs.rule.action.order
                ? lhs.rule.action.order < rhs.rule.action.order : lhs.key < rhs.key
        }.map(\.rule)
    }
}
