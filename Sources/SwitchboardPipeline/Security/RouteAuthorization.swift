/// How one route or method is protected: its `authorizationType`, compiled authorizer, JWT scopes and
/// whether it needs an API key.
package struct RouteAuthorization: Sendable {
    /// `NONE`, `AWS_IAM`, `CUSTOM`, `JWT` or `COGNITO_USER_POOLS`.
    package var type: String
    /// The authorizer, for `CUSTOM` and `JWT`.
    package var authorizer: CompiledAuthorizer?
    /// Scopes a JWT must hold one of.
    package var scopes: [String]
    /// Whether an API key is required.
    package var apiKeyRequired: Bool

    /// An unprotected route.
    package static let none = RouteAuthorization(type: "NONE", authorizer: nil, scopes: [], apiKeyRequired: false)

    /// Creates the protection of a route.
    package init(type: String, authorizer: CompiledAuthorizer?, scopes: [String], apiKeyRequired: Bool) {
        self.type = type
        self.authorizer = authorizer
        self.scopes = scopes
        self.apiKeyRequired = apiKeyRequired
    }
}
