/// The IAM policy document a Lambda authorizer returns, evaluated against a method ARN as API Gateway does:
/// an explicit `Deny` that matches wins, else a matching `Allow` allows, else the call is implicitly denied.
///
/// Statements name `Action` (`execute-api:Invoke`, `execute-api:*` or `*`) and `Resource` (ARNs with `*` and `?`
/// wildcards), each a string or a list. A statement with a `Condition` is not evaluated here: an `Allow` with
/// one never matches and a `Deny` with one always applies, so an unsupported condition fails closed.
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
        var conditional: Bool
    }

    private let statements: [Statement]

    /// Reads a `policyDocument`.
    /// - Parameter document: the JSON value.
    /// - Throws: ``Malformed`` when it is not an object with a `Statement` of `Effect`, `Action` and `Resource`.
    package init(document: JSONValue) throws(Malformed) {
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
            let resources = try Self.strings(statement["Resource"], "Resource")
            let invokes = actions.contains { ["execute-api:Invoke", "execute-api:*", "*"].contains($0) }
            statements.append(
                Statement(
                    allows: allows,
                    invokes: invokes,
                    resources: resources,
                    conditional: statement["Condition"] != nil
                )
            )
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

    /// Evaluates the policy for a method ARN
    /// (`arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{resource path}`).
    package func evaluate(methodArn: String) -> Decision {
        var allowed = false
        for statement in self.statements where statement.invokes {
            let matches = statement.resources.contains { Self.matches(pattern: $0, methodArn) }
            if !statement.allows && matches { return .explicitDeny }
            if statement.allows && matches && !statement.conditional { allowed = true }
        }
        return allowed ? .allow : .implicitDeny
    }

    /// IAM wildcard matching: `*` any run of characters (including none), `?` exactly one.
    package static func matches(pattern: String, _ value: String) -> Bool {
        let p = Array(pattern.utf8)
        let v = Array(value.utf8)
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
