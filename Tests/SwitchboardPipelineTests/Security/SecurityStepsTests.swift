import AsyncHTTPClient
import NIOCore
import SwitchboardCore
import SwitchboardPipeline
import Testing

/// API keys, usage plans, throttles, resource policies and IAM through the HTTP/REST pipeline, on a manual clock.
struct SecurityStepsTests {
    static let key = "abcdefghijklmnopqrstuvwxyz0123"
    static let day: Int64 = 86_400_000

    /// A clock the tests move by hand.
    final class ManualClock: @unchecked Sendable {
        var millis: Int64 = 1_700_000_000_000
        var nanos: UInt64 { UInt64(self.millis) * 1_000_000 }
        func advance(millis: Int64) { self.millis += millis }
    }

    static func compile(_ config: GatewayConfig, api: String, clock: ManualClock) throws -> CompiledHTTPAPI {
        let traffic = TrafficControl(nowNanos: { clock.nanos }, nowMillis: { clock.millis })
        let settings = SecuritySettings(config: config, traffic: traffic, client: HTTPClient.shared, signer: nil)
        return try HTTPAPICompiler(
            client: HTTPClient.shared,
            aws: config.aws,
            signer: nil,
            accountId: config.aws.accountId,
            security: settings
        ).compile(try #require(config.api(id: api)))
    }

    static func restConfig(quota: Int = 3) -> GatewayConfig {
        var api = APIDefinition(id: "pets", protocolType: .rest, stages: [StageDefinition(name: "dev")])
        api.resources = [
            ResourceDefinition(
                path: "/pets",
                methods: [
                    MethodDefinition(
                        httpMethod: "GET",
                        integration: HTTPPipelineTests.mock(status: 200, template: "{}"),
                        apiKeyRequired: true
                    ),
                    MethodDefinition(
                        httpMethod: "POST",
                        integration: HTTPPipelineTests.mock(status: 200, template: "{}")
                    ),
                ]
            )
        ]
        var config = GatewayConfig(apis: [api])
        config.apiKeys = [APIKeyDefinition(name: "partner", valueSha256: APIKeyHash.sha256Hex(Self.key))]
        config.usagePlans = [
            UsagePlanDefinition(
                name: "basic",
                apiStages: [UsagePlanAPIStage(api: "pets", stage: "dev")],
                throttle: ThrottleSettings(rateLimit: 1, burstLimit: 2),
                quota: QuotaSettings(limit: quota, period: .day),
                apiKeys: ["partner"]
            )
        ]
        return config
    }

    static func body(_ response: HTTPGatewayResponse) -> String { String(buffer: response.body) }

    @Test("apiKeyRequired: no key or an unknown key is 403 Forbidden; a valid key passes")
    func apiKeys() async throws {
        let clock = ManualClock()
        let api = try Self.compile(Self.restConfig(), api: "pets", clock: clock)
        let missing = await HTTPPipelineTests.run(api, "GET", "/pets")
        #expect(missing.status == 403)
        #expect(Self.body(missing) == #"{"message":"Forbidden"}"#)
        #expect(missing.header("x-amzn-ErrorType") == "ForbiddenException")
        let unknown = await HTTPPipelineTests.run(
            api,
            "GET",
            "/pets",
            headers: [("x-api-key", "not-a-key-0000000000000")]
        )
        #expect(unknown.status == 403)
        let valid = await HTTPPipelineTests.run(api, "GET", "/pets", headers: [("X-API-Key", Self.key)])
        #expect(valid.status == 200)
        // A method without apiKeyRequired is not metered.
        for _ in 0..<5 { #expect(await HTTPPipelineTests.run(api, "POST", "/pets").status == 200) }
    }

    @Test("the plan's key throttle answers 429 Too Many Requests; the quota 429 Limit Exceeded until the next day")
    func throttleAndQuota() async throws {
        let clock = ManualClock()
        let api = try Self.compile(Self.restConfig(quota: 3), api: "pets", clock: clock)
        let headers = [(name: "x-api-key", value: Self.key)]
        #expect(await HTTPPipelineTests.run(api, "GET", "/pets", headers: headers).status == 200)
        #expect(await HTTPPipelineTests.run(api, "GET", "/pets", headers: headers).status == 200)
        let throttled = await HTTPPipelineTests.run(api, "GET", "/pets", headers: headers)
        #expect(throttled.status == 429)
        #expect(Self.body(throttled) == #"{"message":"Too Many Requests"}"#)
        #expect(throttled.header("x-amzn-ErrorType") == "TooManyRequestsException")
        clock.advance(millis: 1_000)
        #expect(await HTTPPipelineTests.run(api, "GET", "/pets", headers: headers).status == 200)
        clock.advance(millis: 1_000)
        let exhausted = await HTTPPipelineTests.run(api, "GET", "/pets", headers: headers)
        #expect(exhausted.status == 429)
        #expect(Self.body(exhausted) == #"{"message":"Limit Exceeded"}"#)
        #expect(exhausted.header("x-amzn-ErrorType") == "LimitExceededException")
        clock.advance(millis: Self.day)
        #expect(await HTTPPipelineTests.run(api, "GET", "/pets", headers: headers).status == 200)
    }

    @Test("stage route settings and the account throttle answer 429 per route, refilled by the clock")
    func routeAndAccountThrottles() async throws {
        let clock = ManualClock()
        var api = APIDefinition(id: "shop", protocolType: .http)
        var stage = StageDefinition(name: "$default")
        stage.routeThrottles = ["GET /limited": ThrottleSettings(rateLimit: 1, burstLimit: 1)]
        api.stages = [stage]
        let mock = IntegrationDefinition(type: .mock, requestTemplates: ["$default": #"{"statusCode": 200}"#])
        api.routes = [
            RouteDefinition(routeKey: "GET /limited", integration: mock),
            RouteDefinition(routeKey: "GET /free", integration: mock),
        ]
        var config = GatewayConfig(apis: [api])
        config.throttle = ThrottleSettings(rateLimit: 1, burstLimit: 4)
        let compiled = try Self.compile(config, api: "shop", clock: clock)
        #expect(await HTTPPipelineTests.run(compiled, "GET", "/limited", stage: "$default").status == 200)
        #expect(await HTTPPipelineTests.run(compiled, "GET", "/limited", stage: "$default").status == 429)
        #expect(await HTTPPipelineTests.run(compiled, "GET", "/free", stage: "$default").status == 200)
        // The account bucket (burst 4) has given 3 tokens; one more, then it is empty for every route.
        #expect(await HTTPPipelineTests.run(compiled, "GET", "/free", stage: "$default").status == 200)
        let account = await HTTPPipelineTests.run(compiled, "GET", "/free", stage: "$default")
        #expect(account.status == 429)
        #expect(Self.body(account) == #"{"message":"Too Many Requests"}"#)
        clock.advance(millis: 1_000)
        #expect(await HTTPPipelineTests.run(compiled, "GET", "/limited", stage: "$default").status == 200)
    }

    @Test("a resource policy denying the caller's range answers 403 before anything else")
    func resourcePolicy() async throws {
        let clock = ManualClock()
        var config = Self.restConfig()
        config.apis[0].policy = try JSONValue.parse(
            #"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*/POST/*","Condition":{"IpAddress":{"aws:SourceIp":"127.0.0.0/8"}}}]}"#
                .utf8
        )
        let api = try Self.compile(config, api: "pets", clock: clock)
        let denied = await HTTPPipelineTests.run(api, "POST", "/pets")
        #expect(denied.status == 403)
        #expect(
            Self.body(denied).contains(
                "not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:000000000000:pets/dev/POST/pets with an explicit deny"
            )
        )
        #expect(await HTTPPipelineTests.run(api, "GET", "/pets", headers: [("x-api-key", Self.key)]).status == 200)
    }

    @Test(
        "AWS_IAM: unsigned is 403 Missing Authentication Token, a wrong secret 403 InvalidSignature, a good signature passes"
    )
    func iam() async throws {
        let clock = ManualClock()
        var config = Self.restConfig()
        config.aws.credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret")
        config.apis[0].resources[0].methods[1].authorizationType = "AWS_IAM"
        let api = try Self.compile(config, api: "pets", clock: clock)
        let unsigned = await HTTPPipelineTests.run(api, "POST", "/pets", body: "{}")
        #expect(unsigned.status == 403)
        #expect(Self.body(unsigned) == #"{"message":"Missing Authentication Token"}"#)
        func signed(secret: String) -> [(name: String, value: String)] {
            let signer = SigV4Signer(
                accessKeyId: "AKIDEXAMPLE",
                secretAccessKey: secret,
                region: "us-east-1",
                service: "execute-api"
            )
            let base: [(name: String, value: String)] = [("Host", "localhost")]
            return base
                + signer.signatureHeaders(
                    method: "POST",
                    url: "http://localhost/dev/pets",
                    headers: [],
                    body: Array("{}".utf8),
                    nowEpochMillis: clock.millis
                )
        }
        let good = await HTTPPipelineTests.run(api, "POST", "/pets", headers: signed(secret: "secret"), body: "{}")
        #expect(good.status == 200)
        let bad = await HTTPPipelineTests.run(api, "POST", "/pets", headers: signed(secret: "wrong"), body: "{}")
        #expect(bad.status == 403)
        #expect(bad.header("x-amzn-ErrorType") == "InvalidSignatureException")
    }

    @Test("aws.iamUsers sign AWS_IAM methods; a user's identity policy limits which method ARNs it may call")
    func iamUserPolicies() async throws {
        let clock = ManualClock()
        var config = Self.restConfig()
        config.aws.iamUsers = [
            IAMUserDefinition(
                userName: "reader",
                accessKeyId: "AKIDREADER",
                secretAccessKey: "reader-secret",
                policy: try JSONValue.parse(
                    #"{"Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:pets/*/GET/*"}]}"#
                        .utf8
                )
            ),
            IAMUserDefinition(userName: "admin", accessKeyId: "AKIDADMIN", secretAccessKey: "admin-secret"),
        ]
        config.apis[0].resources[0].methods[0].apiKeyRequired = false
        config.apis[0].resources[0].methods[0].authorizationType = "AWS_IAM"
        config.apis[0].resources[0].methods[1].authorizationType = "AWS_IAM"
        let api = try Self.compile(config, api: "pets", clock: clock)
        func signed(_ method: String, key: String, secret: String) -> [(name: String, value: String)] {
            let signer = SigV4Signer(
                accessKeyId: key,
                secretAccessKey: secret,
                region: "us-east-1",
                service: "execute-api"
            )
            let body: [UInt8] = method == "POST" ? Array("{}".utf8) : []
            return [("Host", "localhost")]
                + signer.signatureHeaders(
                    method: method,
                    url: "http://localhost/dev/pets",
                    headers: [],
                    body: body,
                    nowEpochMillis: clock.millis
                )
        }
        let read = await HTTPPipelineTests.run(
            api,
            "GET",
            "/pets",
            headers: signed("GET", key: "AKIDREADER", secret: "reader-secret")
        )
        #expect(read.status == 200)
        let write = await HTTPPipelineTests.run(
            api,
            "POST",
            "/pets",
            headers: signed("POST", key: "AKIDREADER", secret: "reader-secret"),
            body: "{}"
        )
        #expect(write.status == 403)
        #expect(
            Self.body(write)
                == #"{"message":"User: arn:aws:iam::000000000000:user/reader is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:000000000000:pets/dev/POST/pets"}"#
        )
        let admin = await HTTPPipelineTests.run(
            api,
            "POST",
            "/pets",
            headers: signed("POST", key: "AKIDADMIN", secret: "admin-secret"),
            body: "{}"
        )
        #expect(admin.status == 200)
        let wrongSecret = await HTTPPipelineTests.run(
            api,
            "GET",
            "/pets",
            headers: signed("GET", key: "AKIDREADER", secret: "x")
        )
        #expect(wrongSecret.status == 403)
        #expect(wrongSecret.header("x-amzn-ErrorType") == "InvalidSignatureException")
    }

    @Test("an unreachable Lambda authorizer is 500; a missing identity 401 without calling it")
    func authorizerFailures() async throws {
        let clock = ManualClock()
        var config = Self.restConfig()
        config.apis[0].authorizers = [
            "req": AuthorizerDefinition(
                authorizerType: "REQUEST",
                authorizerUri: "http://127.0.0.1:1/auth",
                identitySource: ["method.request.header.X-User"]
            )
        ]
        config.apis[0].resources[0].methods[1].authorizationType = "CUSTOM"
        config.apis[0].resources[0].methods[1].authorizerId = "req"
        let api = try Self.compile(config, api: "pets", clock: clock)
        let missing = await HTTPPipelineTests.run(api, "POST", "/pets")
        #expect(missing.status == 401)
        #expect(Self.body(missing) == #"{"message":"Unauthorized"}"#)
        let failing = await HTTPPipelineTests.run(api, "POST", "/pets", headers: [("X-User", "alice")])
        #expect(failing.status == 500)
        #expect(failing.header("x-amzn-ErrorType") == "AuthorizerFailureException")
    }
}
