/// One entry of a REST API's `resources:` — a resource path with its methods.
///
/// Keys: the resource path (`/pets/{petId}`, `/{proxy+}`) mapping HTTP methods (`GET`, …, `ANY`) to
/// ``MethodDefinition``s.
package struct ResourceDefinition: Sendable, Equatable {
    /// The resource path.
    package var path: String
    /// The methods, in file order.
    package var methods: [MethodDefinition]

    /// Creates a resource.
    package init(path: String, methods: [MethodDefinition] = []) {
        self.path = path
        self.methods = methods
    }
}

/// A REST API method (`resources./pets.POST`).
///
/// Keys: `integration` (``IntegrationDefinition``), `authorizationType`, `authorizerId`, `apiKeyRequired`,
/// `requestValidator` (`body | params | all`), `requestModels` (content type or `$default` → model name),
/// `requestParameters` (`method.request.{path|querystring|header}.NAME` → required bool).
package struct MethodDefinition: Sendable, Equatable {
    /// What a method's request validator checks.
    package enum RequestValidator: String, Sendable, Equatable, CaseIterable {
        /// The body against the model.
        case body
        /// Required parameters.
        case params
        /// Both.
        case all

        /// Whether the body is validated.
        package var validatesBody: Bool { self != .params }
        /// Whether required parameters are checked.
        package var validatesParameters: Bool { self != .body }
    }

    /// `GET`, `POST`, …, or `ANY`.
    package var httpMethod: String
    /// The integration; `nil` answers like a MOCK with status 200 and no body.
    package var integration: IntegrationDefinition?
    /// `NONE`, `AWS_IAM`, `CUSTOM` or `COGNITO_USER_POOLS`.
    package var authorizationType: String
    /// The authorizer name.
    package var authorizerId: String?
    /// Whether an API key is required.
    package var apiKeyRequired: Bool
    /// The validator, if any.
    package var requestValidator: RequestValidator?
    /// Models by content type (`$default` for any).
    package var requestModels: [String: String]
    /// Declared method request parameters and whether each is required.
    package var requestParameters: [String: Bool]

    /// Creates a method.
    package init(
        httpMethod: String,
        integration: IntegrationDefinition? = nil,
        authorizationType: String = "NONE",
        authorizerId: String? = nil,
        apiKeyRequired: Bool = false,
        requestValidator: RequestValidator? = nil,
        requestModels: [String: String] = [:],
        requestParameters: [String: Bool] = [:]
    ) {
        self.httpMethod = httpMethod
        self.integration = integration
        self.authorizationType = authorizationType
        self.authorizerId = authorizerId
        self.apiKeyRequired = apiKeyRequired
        self.requestValidator = requestValidator
        self.requestModels = requestModels
        self.requestParameters = requestParameters
    }
}
