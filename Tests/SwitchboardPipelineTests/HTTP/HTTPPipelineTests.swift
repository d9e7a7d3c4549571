import AsyncHTTPClient
import NIOCore
import SwitchboardCore
import SwitchboardPipeline
import Testing

/// Runs requests through compiled HTTP and REST APIs with MOCK integrations (no network).
struct HTTPPipelineTests {
    static func compile(_ api: APIDefinition) throws -> CompiledHTTPAPI {
        try HTTPAPICompiler(client: HTTPClient.shared, aws: AWSConfig(), signer: nil, accountId: "123456789012")
            .compile(api)
    }

    static func run(
        _ api: CompiledHTTPAPI,
        _ method: String,
        _ path: String,
        query: String? = nil,
        headers: [(name: String, value: String)] = [],
        body: String = "",
        stage: String = "dev"
    ) async -> HTTPGatewayResponse {
        var exchange = HTTPExchange(
            api: api,
            stage: stage,
            method: method,
            path: path,
            rawQuery: query,
            headers: headers,
            body: ByteBuffer(string: body),
            hasBody: !body.isEmpty,
            sourceIp: "127.0.0.1",
            domainName: "localhost",
            requestId: "req-1",
            extendedRequestId: "ext-1",
            requestTimeMillis: 1_700_000_000_000
        )
        return await HTTPPipelineRunner.run(&exchange)
    }

    static func mock(status: Int, template: String, pattern: String? = nil) -> IntegrationDefinition {
        var response = IntegrationResponseDefinition(
            statusCode: String(status),
            responseTemplates: ["application/json": template]
        )
        response.selectionPattern = pattern
        return IntegrationDefinition(
            type: .mock,
            requestTemplates: ["application/json": #"{"statusCode": \#(status)}"#],
            integrationResponses: [response]
        )
    }

    static var pets: APIDefinition {
        var api = APIDefinition(
            id: "pets",
            protocolType: .rest,
            stages: [StageDefinition(name: "dev", stageVariables: ["v": "x"])]
        )
        api.models = ["Pet": ["type": "object", "required": ["name"], "properties": ["name": ["type": "string"]]]]
        api.resources = [
            ResourceDefinition(
                path: "/pets/{petId}",
                methods: [
                    MethodDefinition(
                        httpMethod: "GET",
                        integration: mock(
                            status: 200,
                            template: #"{"id": "$input.params('petId')", "v": "$stageVariables.v"}"#
                        )
                    )
                ]
            ),
            ResourceDefinition(
                path: "/pets",
                methods: [
                    MethodDefinition(
                        httpMethod: "POST",
                        integration: mock(status: 201, template: #"{"name": $input.json('$.name')}"#),
                        requestValidator: .all,
                        requestModels: ["application/json": "Pet"],
                        requestParameters: [
                            "method.request.querystring.owner": true, "method.request.header.x-b": true,
                        ]
                    )
                ]
            ),
            ResourceDefinition(
                path: "/{proxy+}",
                methods: [
                    MethodDefinition(
                        httpMethod: "ANY",
                        integration: mock(status: 200, template: #"{"proxy": "$input.params('proxy')"}"#)
                    )
                ]
            ),
        ]
        return api
    }

    @Test("REST: the most specific resource answers, unknown methods get Missing Authentication Token")
    func restRouting() async throws {
        let api = try Self.compile(Self.pets)
        let pet = await Self.run(api, "GET", "/pets/7")
        #expect(pet.status == 200)
        #expect(String(buffer: pet.body) == #"{"id": "7", "v": "x"}"#)
        let proxy = await Self.run(api, "DELETE", "/a/b")
        #expect(String(buffer: proxy.body) == #"{"proxy": "a/b"}"#)
        // A method the specific resource lacks falls back to the greedy ANY, as LocalStack routes it.
        let fallback = await Self.run(api, "PUT", "/pets")
        #expect(String(buffer: fallback.body) == #"{"proxy": "pets"}"#)
        var bare = Self.pets
        bare.resources.removeLast()
        let missing = await Self.run(try Self.compile(bare), "PUT", "/pets")
        #expect(missing.status == 403)
        #expect(String(buffer: missing.body) == #"{"message":"Missing Authentication Token"}"#)
        #expect(missing.header("x-amzn-ErrorType") == "MissingAuthenticationTokenException")
    }

    @Test("REST validation: parameters first (blank is missing), then the body against the model")
    func restValidation() async throws {
        let api = try Self.compile(Self.pets)
        let json = [(name: "Content-Type", value: "application/json")]
        let noParams = await Self.run(api, "POST", "/pets", query: "owner=", headers: json, body: #"{"name":"a"}"#)
        #expect(noParams.status == 400)
        #expect(String(buffer: noParams.body) == #"{"message":"Missing required request parameters: [x-b, owner]"}"#)
        let headers = json + [(name: "x-b", value: "1")]
        let badBody = await Self.run(api, "POST", "/pets", query: "owner=me", headers: headers, body: #"{"age":1}"#)
        #expect(badBody.status == 400)
        #expect(String(buffer: badBody.body) == #"{"message":"Invalid request body"}"#)
        let created = await Self.run(
            api,
            "POST",
            "/pets",
            query: "owner=me",
            headers: headers,
            body: #"{"name":"rex"}"#
        )
        #expect(created.status == 201)
        #expect(String(buffer: created.body) == #"{"name": "rex"}"#)
    }

    @Test("gateway responses: a customized type changes status, headers and body")
    func gatewayResponseOverride() async throws {
        var definition = Self.pets
        definition.gatewayResponses = [
            .badRequestBody: GatewayResponseOverride(
                statusCode: 422,
                responseParameters: ["gatewayresponse.header.x-why": "'validation'"],
                responseTemplates: [
                    "application/json":
                        #"{"error": $context.error.messageString, "details": "$context.error.validationErrorString"}"#
                ]
            )
        ]
        let api = try Self.compile(definition)
        let headers = [(name: "Content-Type", value: "application/json"), (name: "x-b", value: "1")]
        let response = await Self.run(api, "POST", "/pets", query: "owner=me", headers: headers, body: "{}")
        #expect(response.status == 422)
        #expect(response.header("x-why") == "validation")
        #expect(
            String(buffer: response.body)
                == #"{"error": "Invalid request body", "details": "[object has missing required properties (["name"])]"}"#
        )
    }

    @Test("HTTP API: no route is 404 Not Found; CORS preflights are answered without a route")
    func httpAPIRoutingAndCORS() async throws {
        var definition = APIDefinition(id: "shop", protocolType: .http, stages: [StageDefinition(name: "$default")])
        definition.routes = [
            RouteDefinition(
                routeKey: "GET /items/{id}",
                integration: Self.mock(status: 200, template: #"{"id": "$input.params('id')"}"#)
            )
        ]
        definition.corsConfiguration = CORSConfiguration(allowOrigins: ["https://a.example"], allowMethods: ["GET"])
        let api = try Self.compile(definition)
        let item = await Self.run(api, "GET", "/items/9", headers: [("Origin", "https://a.example")], stage: "$default")
        #expect(String(buffer: item.body) == #"{"id": "9"}"#)
        #expect(item.header("Access-Control-Allow-Origin") == "https://a.example")
        let none = await Self.run(api, "GET", "/nothing", stage: "$default")
        #expect(none.status == 404)
        #expect(String(buffer: none.body) == #"{"message":"Not Found"}"#)
        let preflight = await Self.run(
            api,
            "OPTIONS",
            "/items/9",
            headers: [("Origin", "https://a.example"), ("Access-Control-Request-Method", "GET")],
            stage: "$default"
        )
        #expect(preflight.status == 204)
        #expect(preflight.header("Access-Control-Allow-Methods") == "GET")
    }

    @Test("MOCK: the integration response whose selectionPattern matches the status wins")
    func selectionPattern() async throws {
        var integration = Self.mock(status: 500, template: "{}")
        integration.integrationResponses = [
            IntegrationResponseDefinition(statusCode: "200", responseTemplates: ["application/json": "ok"]),
            {
                var failure = IntegrationResponseDefinition(
                    statusCode: "503",
                    responseTemplates: ["application/json": "down"]
                )
                failure.selectionPattern = "5\\d{2}"
                failure.responseParameters = ["method.response.header.Retry-After": "'5'"]
                return failure
            }(),
        ]
        var definition = APIDefinition(id: "m", protocolType: .rest, stages: [StageDefinition(name: "dev")])
        definition.resources = [
            ResourceDefinition(path: "/", methods: [MethodDefinition(httpMethod: "GET", integration: integration)])
        ]
        let response = await Self.run(try Self.compile(definition), "GET", "/")
        #expect(response.status == 503)
        #expect(String(buffer: response.body) == "down")
        #expect(response.header("Retry-After") == "5")
    }
}
