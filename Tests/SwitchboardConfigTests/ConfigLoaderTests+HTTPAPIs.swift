import SwitchboardConfig
import SwitchboardCore
import Testing

/// An HTTP API (lines 1–5) whose route on line 6 or API key on line 7 is the case under test.
private func httpAPI(route: String = "GET /a: { integration: { type: MOCK } }", api: String = "# -") -> String {
    """
    apis:
      - id: shop
        protocolType: HTTP
        stages: [ { name: $default } ]
        routes:
          \(route)
        \(api)
    """
}

/// A REST API (lines 1–5) whose resource entry starts on line 6, with an API key on line 8.
private func restAPI(resource: String, api: String = "# -") -> String {
    """
    apis:
      - id: pets
        protocolType: REST
        stages: [ { name: dev } ]
        resources:
          \(resource)
        models: { Pet: { type: object } }
        \(api)
    """
}

/// HTTP and REST API rules, each producing exactly one diagnostic.
private let httpAPICases: [ValidationCase] = [
    ValidationCase(
        name: "HTTP route key with an unknown method",
        yaml: httpAPI(route: "FETCH /a: { integration: { type: MOCK } }"),
        line: 6,
        keyPath: "apis[0].routes.FETCH /a",
        message: "unknown method",
        exact: false
    ),
    ValidationCase(
        name: "HTTP route key with a greedy variable in the middle",
        yaml: httpAPI(route: "GET /{proxy+}/a: { integration: { type: MOCK } }"),
        line: 6,
        keyPath: "apis[0].routes.GET /{proxy+}/a",
        message: "greedy",
        exact: false
    ),
    ValidationCase(
        name: "HTTP API with a WebSocket route selection expression",
        yaml: httpAPI(api: "routeSelectionExpression: $request.body.action"),
        line: 7,
        keyPath: "apis[0].routeSelectionExpression",
        message:
            "HTTP APIs select routes by method and path: must be ${request.method} ${request.path} (got '$request.body.action')"
    ),
    ValidationCase(
        name: "HTTP API parameter mapping of a reserved header",
        yaml: httpAPI(
            route:
                "GET /a: { integration: { type: HTTP_PROXY, uri: \"http://x\", requestParameters: { \"overwrite:header.Connection\": \"x\" } } }"
        ),
        line: 6,
        keyPath: "apis[0].routes.GET /a.integration.requestParameters.overwrite:header.Connection",
        message: "",
        exact: false
    ),
    ValidationCase(
        name: "CORS credentials with any origin",
        yaml: httpAPI(api: "corsConfiguration: { allowOrigins: [\"*\"], allowCredentials: true }"),
        line: 7,
        keyPath: "apis[0].corsConfiguration",
        message: "allow-credentials is not supported if 'allow-origin' is *"
    ),
    ValidationCase(
        name: "unknown gateway response type",
        yaml: httpAPI(api: "gatewayResponses: { NOT_A_TYPE: { statusCode: 400 } }"),
        line: 7,
        keyPath: "apis[0].gatewayResponses.NOT_A_TYPE",
        message: "unknown gateway response type 'NOT_A_TYPE'",
        exact: false
    ),
    ValidationCase(
        name: "REST resource path with a partial variable",
        yaml: restAPI(resource: "/pets{id}: { GET: { integration: { type: MOCK } } }"),
        line: 6,
        keyPath: "apis[0].resources./pets{id}",
        message: "",
        exact: false
    ),
    ValidationCase(
        name: "REST method that is not an HTTP method",
        yaml: restAPI(resource: "/pets: { FETCH: { integration: { type: MOCK } } }"),
        line: 6,
        keyPath: "apis[0].resources./pets.FETCH",
        message: "unknown HTTP method 'FETCH' (use GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY)"
    ),
    ValidationCase(
        name: "REST request model that does not exist",
        yaml: restAPI(resource: "/pets: { POST: { requestModels: { application/json: Dog } } }"),
        line: 6,
        keyPath: "apis[0].resources./pets.POST.requestModels.application/json",
        message: "no model named 'Dog' in this API's models (has 'Pet')"
    ),
    ValidationCase(
        name: "REST request parameter that is not method.request.*",
        yaml: restAPI(resource: "/pets: { GET: { requestParameters: { querystring.q: true } } }"),
        line: 6,
        keyPath: "apis[0].resources./pets.GET.requestParameters.querystring.q",
        message:
            "must be method.request.path.NAME, method.request.querystring.NAME or method.request.header.NAME"
    ),
    ValidationCase(
        name: "REST integration parameter with an unknown source",
        yaml: restAPI(
            resource:
                "/pets: { GET: { integration: { type: HTTP, uri: \"http://x\", requestParameters: { integration.request.header.a: route.request.header.b } } } }"
        ),
        line: 6,
        keyPath: "apis[0].resources./pets.GET.integration.requestParameters.integration.request.header.a",
        message: "unsupported source 'route.request.header.b'",
        exact: false
    ),
    ValidationCase(
        name: "model that is not a valid JSON Schema",
        yaml: restAPI(resource: "/pets: { GET: {} }", api: "# -").replacing(
            "models: { Pet: { type: object } }",
            with: "models: { Pet: { type: 12 } }"
        ),
        line: 7,
        keyPath: "apis[0].models.Pet",
        message: "not a valid JSON Schema (draft 4)",
        exact: false
    ),
    ValidationCase(
        name: "stage caching",
        yaml: restAPI(resource: "/pets: { GET: {} }").replacing(
            "stages: [ { name: dev } ]",
            with: "stages: [ { name: dev, cacheClusterEnabled: true } ]"
        ),
        line: 4,
        keyPath: "apis[0].stages[0].cacheClusterEnabled",
        message: "stage caching is not supported yet; set cacheClusterEnabled: false"
    ),
]

extension ConfigLoaderTests {
    @Test("each HTTP and REST API rule reports one diagnostic at its key", arguments: httpAPICases)
    func httpAPIRule(_ rule: ValidationCase) {
        Self.expectSingleDiagnostic(rule)
    }
}
