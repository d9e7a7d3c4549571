/// The IAM policy document a Lambda authorizer returns, evaluated against a method ARN as API Gateway does:
/// an explicit `Deny` that matches wins, else a matching `Allow` allows, else the call is implicitly denied.
///
/// Statements name `Action` (`execute-api:Invoke`, `execute-api:*` or `*`) and `Resource` (ARNs with `*` and `?`
/// wildcards, or a resource policy's short form `execute-api:/stage/METHOD/path`), each a string or a list.
/// Conditions: `IpAddress` and `NotIpAddress` on `aws:SourceIp` (CIDR ranges) are evaluated; any other
/// condition fails closed — an `Allow` with one never matches and a `Deny` with one always applies.
package struct AuthorizerPolicy: Sendable, Equatable {
    /// The outcome for one method ARN.
    package enum Decision: Sendable, Equatable {
        /// A statement allows it and none denies it.
        case allow
        /// A statement denies it.
        case explicitDeny
        /// No statement allows it.
        case implicitDeny
    }

    /// Why a document is not a policy.
    package struct Malformed: Error, Sendable, Equatable {
        /// What is wrong.
        package var message: String
    }

    private struct Statement: Sendable, Equatable {
        var allows: Bool
        var invokes: Bool
        var resources: [String]
        /// `nil` when the statement has no condition; else the source-IP ranges it requires (`IpAddress`) and
        /// excludes (`NotIpAddress`), or `unsupported` for conditions not evaluated here.
        var condition: Condition?
    }

    private struct Condition: Sendable, Equatable {
        var within: [IPAddressRange] = []
        var notWithin: [IPAddressRange] = []
        var unsupported = false

        func holds(sourceIp: String?) -> Bool? {
            guard !self.unsupported, let sourceIp else { return nil }
            if !self.within.isEmpty && !self.within.contains(where: { $0.contains(sourceIp) }) { return false }
            if self.notWithin.contains(where: { $0.contains(sourceIp) }) { return false }
            return true
        }
    }

    private let statements: [Statement]

    /// Reads a `policyDocument`.
    /// - Parameters:
    ///   - document: the JSON value.
    ///   - apiArnPrefix: for resource policies, what `execute-api:/` stands for
    ///     (`arn:aws:execute-api:{region}:{account}:{apiId}/`).
    /// - Throws: ``Malformed`` when it is not an object with a `Statement` of `Effect`, `Action` and `Resource`.
    package init(document: JSONValue, apiArnPrefix: String? = nil) throws(Malformed) {
        guard case .object(let object) = document else { throw Malformed(message: "policyDocument is not an object") }
        let raw: [JSONValue]
        switch object["Statement"] {
        case .array(let items)?: raw = items
        case .object?: raw = [object["Statement"] ?? .null]
        default: throw Malformed(message: "policyDocument has no Statement")
        }
        var statements: [Statement] = []
        for item in raw {
            guard case .object(let statement) = item else { throw Malformed(message: "a Statement is not an object") }
            let allows: Bool
            switch statement["Effect"]?.stringValue {
            case "Allow"?: allows = true
            case "Deny"?: allows = false
            default: throw Malformed(message: "Effect must be Allow or Deny")
            }
            let actions = try Self.strings(statement["Action"], "Action")
            var resources = try Self.strings(statement["Resource"], "Resource")
            if let apiArnPrefix {
                resources = resources.map {
                    $0.hasPrefix("execute-api:/") ? apiArnPrefix + $0.dropFirst("execute-api:/".count) : $0
                }
            }
            let invokes = actions.contains { ["execute-api:Invoke", "execute-api:*", "*"].contains($0) }
            var condition: Condition?
            if let value = statement["Condition"] { condition = try Self.condition(value) }
            statements.append(Statement(allows: allows, invokes: invokes, resources: resources, condition: condition))
        }
        self.statements = statements
    }

    private static func strings(_ value: JSONValue?, _ key: String) throws(Malformed) -> [String] {
        switch value {
        case .string(let text)?: return [text]
        case .array(let items)?:
            var texts: [String] = []
            for item in items {
                guard let text = item.stringValue else { throw Malformed(message: "\(key) must hold strings") }
                texts.append(text)
            }
            return texts
        default:
            throw Malformed(message: "Statement has no \(key)")
        }
    }

    private static func condition(_ value: JSONValue) throws(Malformed) -> Condition {
        guard case .object(let operators) = value else { throw Malformed(message: "Condition is not an object") }
        var condition = Condition()
        for (name, keys) in operators {
            guard name == "IpAddress" || name == "NotIpAddress", case .object(let keyMap) = keys else {
                condition.unsupported = true
                continue
            }
            for (key, ranges) in keyMap {
                guard key.lowercased() == "aws:sourceip" else {
                    condition.unsupported = true
                    continue
                }
                var parsed: [IPAddressRange] = []
                for text in try Self.strings(ranges, "aws:SourceIp") {
                    guard let range = IPAddressRange(text) else {
                        throw Malformed(message: "'\(text)' is not an IP range")
                    }
                    parsed.append(range)
                }
                if name == "IpAddress" { condition.within += parsed } else { condition.notWithin += parsed }
            }
        }
        return condition
    }

    /// Evaluates the policy for a method ARN
    /// (`arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{resource path}`).
    /// - Parameter sourceIp: the caller's address, for `aws:SourceIp` conditions (`nil`: conditions fail closed).
    package func evaluate(methodArn: String, sourceIp: String? = nil) -> Decision {
        var allowed = false
        for statement in self.statements where statement.invokes {
            guard statement.resources.contains(where: { Self.matches(pattern: $0, methodArn) }) else { continue }
            let holds = statement.condition.map { $0.holds(sourceIp: sourceIp) } ?? true
            if !statement.allows && holds != false { return .explicitDeny }
            if statement.allows && holds == true { allowed = true }
        }
        return allowed ? .allow : .implicitDeny
    }

    /// IAM wildcard matching: `*` any run of characters (including none), `?` exactly one.
    package static func matches(pattern: String, _ value: String) -> Bool {
        var pattern = pattern
        var value = value
        return pattern.withUTF8 { p in value.withUTF8 { v in Self.matches(p, v) } }
    }

    private static func matches(_ p: UnsafeBufferPointer<UInt8>, _ v: UnsafeBufferPointer<UInt8>) -> Bool {
        var pi = 0
        var vi = 0
        var star = -1
        var mark = 0
        while vi < v.count {
            if pi < p.count && (p[pi] == UInt8(ascii: "?") || p[pi] == v[vi]) {
                pi += 1
                vi += 1
            } else if pi < p.count && p[pi] == UInt8(ascii: "*") {
                star = pi
                mark = vi
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                vi = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
