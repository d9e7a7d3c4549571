import NIOCore
package import SwitchboardCore

/// A REST API's resource policy, evaluated before the authorizer as AWS does: an explicit deny (for example a
/// `NotIpAddress` / `IpAddress` condition on `aws:SourceIp`) answers 403 at once; a policy that allows nothing
/// for the method denies it unless the method has its own authorization, which then decides.
package struct ResourcePolicyStep: HTTPRequestStep {
    package var name: String { "resourcePolicy" }
    private let policy: AuthorizerPolicy
    private let arnPrefix: String

    /// Creates the step; `nil` when the API has no policy.
    package init?(api: APIDefinition, settings: SecuritySettings) {
        guard let document = api.policy else { return nil }
        let prefix = settings.arnPrefix(apiId: api.id)
        guard let policy = try? AuthorizerPolicy(document: document, apiArnPrefix: prefix) else { return nil }
        self.policy = policy
        self.arnPrefix = prefix
    }

    package func process(_ exchange: inout HTTPExchange) async throws(GatewayError) -> HTTPStepOutcome {
        let arn = exchange.methodArn(prefix: self.arnPrefix)
        switch self.policy.evaluate(methodArn: arn, sourceIp: exchange.sourceIp) {
        case .allow:
            return .proceed
        case .explicitDeny:
            throw GatewayError(
                .accessDenied,
                message: "User: anonymous is not authorized to perform: execute-api:Invoke on resource: \(arn) "
                    + "with an explicit deny"
            )
        case .implicitDeny:
            if let type = exchange.route?.authorization.type, type != "NONE" { return .proceed }
            throw GatewayError(
                .accessDenied,
                message: "User: anonymous is not authorized to perform: execute-api:Invoke on resource: \(arn)"
            )
        }
    }
}
