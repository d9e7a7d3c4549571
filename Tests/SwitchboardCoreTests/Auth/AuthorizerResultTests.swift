import SwitchboardCore
import Testing

struct AuthorizerResultTests {
    static let arn = "arn:aws:execute-api:us-east-1:000000000000:chat/dev/$connect"

    static func parse(_ json: String, simple: Bool = false) throws -> AuthorizerResult {
        try AuthorizerResult.parse(try JSONValue.parse(json.utf8), simple: simple)
    }

    @Test("an IAM response: principal, policy, context and usage key; flattened as $context.authorizer")
    func iamResponse() throws {
        let result = try Self.parse(
            #"{"principalId":"user-1","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"\#(Self.arn)"}]},"context":{"tier":"gold","count":3,"admin":true},"usageIdentifierKey":"abcdefghijklmnopqrstuvwxyz"}"#
        )
        #expect(result.principalId == "user-1")
        #expect(result.allows(arn: Self.arn))
        #expect(!result.allows(arn: Self.arn + "x"))
        #expect(result.usageIdentifierKey == "abcdefghijklmnopqrstuvwxyz")
        let flat = result.flattened(integrationLatencyMillis: 12)
        #expect(flat.keys == ["principalId", "tier", "count", "admin", "integrationLatency"])
        #expect(JSONValue.object(flat).serialized.contains(#""integrationLatency":12"#))
        #expect(flat["count"]?.selectionString == "3")
        #expect(flat["admin"]?.selectionString == "true")
    }

    @Test("simple responses decide with isAuthorized and allow any JSON in context")
    func simpleResponse() throws {
        let allowed = try Self.parse(#"{"isAuthorized":true,"context":{"roles":["a","b"],"n":{"x":1}}}"#, simple: true)
        #expect(allowed.allows(arn: "anything"))
        #expect(allowed.context["roles"] == .array(["a", "b"]))
        let denied = try Self.parse(#"{"isAuthorized":false}"#, simple: true)
        #expect(denied.decision(arn: "anything") == .implicitDeny)
    }

    @Test(
        "unusable answers are refused (AWS: 500)",
        arguments: [
            ("[]", false), (#"{"principalId":"u"}"#, false),
            (#"{"principalId":"u","policyDocument":{"Statement":[]},"context":{"nested":{"a":1}}}"#, false),
            (#"{"policyDocument":{"Statement":[]}}"#, false),
            (#"{"principalId":"u","policyDocument":{"Statement":[]},"context":[1]}"#, false),
            (#"{"context":{}}"#, true), (#"{"isAuthorized":"yes"}"#, true),
        ]
    )
    func malformed(_ json: String, _ simple: Bool) {
        #expect(throws: AuthorizerResult.Malformed.self) { try Self.parse(json, simple: simple) }
    }
}
