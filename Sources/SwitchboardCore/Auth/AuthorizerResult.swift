/// What a Lambda authorizer answered, read as API Gateway reads it.
///
/// IAM responses carry `principalId`, `policyDocument`, an optional `context` and an optional
/// `usageIdentifierKey`; HTTP API simple responses carry `isAuthorized` and an optional `context`.
package struct AuthorizerResult: Sendable, Equatable {
    /// Why an answer is unusable (AWS answers 500 `AuthorizerConfigurationException`).
    package struct Malformed: Error, Sendable, Equatable {
        /// What is wrong.
        package var message: String
    }

    /// The principal (IAM responses).
    package var principalId: String?
    /// The policy (IAM responses).
    package var policy: AuthorizerPolicy?
    /// The decision of a simple response.
    package var isAuthorized: Bool?
    /// The `context` map, in the function's order.
    package var context: JSONObject
    /// The API key the authorizer chose (`apiKeySource: AUTHORIZER`).
    package var usageIdentifierKey: String?

    /// Creates a result.
    package init(
        principalId: String? = nil,
        policy: AuthorizerPolicy? = nil,
        isAuthorized: Bool? = nil,
        context: JSONObject = JSONObject(),
        usageIdentifierKey: String? = nil
    ) {
        self.principalId = principalId
        self.policy = policy
        self.isAuthorized = isAuthorized
        self.context = context
        self.usageIdentifierKey = usageIdentifierKey
    }

    /// Reads a function's output.
    /// - Parameters:
    ///   - output: the JSON the function returned.
    ///   - simple: whether simple responses are enabled (HTTP APIs, format 2.0): then `isAuthorized` decides and
    ///     `context` may hold any JSON; otherwise an IAM policy is required and `context` values must be strings,
    ///     numbers or booleans, as AWS requires.
    package static func parse(_ output: JSONValue, simple: Bool) throws(Malformed) -> AuthorizerResult {
        guard case .object(let object) = output else {
            throw Malformed(message: "the authorizer did not return an object")
        }
        var result = AuthorizerResult()
        switch object["context"] {
        case nil, .null?: break
        case .object(let context)?:
            if !simple {
                for (key, value) in context {
                    switch value {
                    case .string, .number, .bool: continue
                    default: throw Malformed(message: "context value '\(key)' is not a string, number or boolean")
                    }
                }
            }
            result.context = context
        default:
            throw Malformed(message: "context is not an object")
        }
        if simple, case .bool(let allowed)? = object["isAuthorized"] {
            result.isAuthorized = allowed
            return result
        }
        guard let document = object["policyDocument"] else {
            throw Malformed(message: simple ? "neither isAuthorized nor policyDocument" : "no policyDocument")
        }
        do {
            result.policy = try AuthorizerPolicy(document: document)
        } catch {
            throw Malformed(message: error.message)
        }
        switch object["principalId"] {
        case .string(let id)?: result.principalId = id
        case .number?: result.principalId = object["principalId"]?.selectionString
        case nil, .null?: if !simple { throw Malformed(message: "no principalId") }
        default: throw Malformed(message: "principalId is not a string")
        }
        result.usageIdentifierKey = object["usageIdentifierKey"]?.stringValue
        return result
    }

    /// Whether the result allows a call on this ARN.
    package func allows(arn: String) -> Bool {
        if let isAuthorized { return isAuthorized }
        return self.policy?.evaluate(methodArn: arn) == .allow
    }

    /// The explicit-deny / implicit-deny distinction AWS draws for IAM results.
    package func decision(arn: String) -> AuthorizerPolicy.Decision {
        if let isAuthorized { return isAuthorized ? .allow : .implicitDeny }
        return self.policy?.evaluate(methodArn: arn) ?? .implicitDeny
    }

    /// `$context.authorizer` as WebSocket and REST APIs expose it: `principalId`, then the context values
    /// (stringified by `$context.authorizer.<key>`, raw in Lambda events), then `integrationLatency`.
    package func flattened(integrationLatencyMillis: Int) -> JSONObject {
        var object = JSONObject()
        if let principalId { object["principalId"] = .string(principalId) }
        for (key, value) in self.context where key != "principalId" {
            object[key] = value
        }
        object["integrationLatency"] = .integer(integrationLatencyMillis)
        return object
    }
}
