import SwitchboardCore
import Testing

struct AuthorizerPolicyTests {
    static let arn = "arn:aws:execute-api:us-east-1:123456789012:abc123/dev/GET/pets/7"

    static func policy(_ json: String) throws -> AuthorizerPolicy {
        try AuthorizerPolicy(document: try JSONValue.parse(json.utf8))
    }

    @Test("Allow on the method ARN, or on a wildcard covering it, allows; anything else is an implicit deny")
    func allow() throws {
        let exact = try Self.policy(
            #"{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"\#(Self.arn)"}]}"#
        )
        #expect(exact.evaluate(methodArn: Self.arn) == .allow)
        #expect(exact.evaluate(methodArn: Self.arn + "/x") == .implicitDeny)
        let wildcard = try Self.policy(
            #"{"Statement":{"Action":["execute-api:*"],"Effect":"Allow","Resource":["arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/*"]}}"#
        )
        #expect(wildcard.evaluate(methodArn: Self.arn) == .allow)
        #expect(
            wildcard.evaluate(methodArn: "arn:aws:execute-api:us-east-1:123456789012:abc123/dev/POST/pets")
                == .implicitDeny
        )
    }

    @Test("an explicit Deny wins over any Allow")
    func denyWins() throws {
        let policy = try Self.policy(
            #"{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*"},{"Action":"execute-api:Invoke","Effect":"Deny","Resource":"arn:aws:execute-api:*:*:*/dev/GET/pets/?"}]}"#
        )
        #expect(policy.evaluate(methodArn: Self.arn) == .explicitDeny)
        #expect(policy.evaluate(methodArn: Self.arn + "7") == .allow)
    }

    @Test("statements for other actions are ignored; an Allow with a Condition never matches")
    func otherActionsAndConditions() throws {
        let policy = try Self.policy(
            #"{"Statement":[{"Action":"s3:GetObject","Effect":"Allow","Resource":"*"},{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}"#
        )
        #expect(policy.evaluate(methodArn: Self.arn) == .implicitDeny)
    }

    @Test(
        "malformed documents are refused",
        arguments: [
            "[]", #"{"Version":"2012-10-17"}"#, #"{"Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}"#,
            #"{"Statement":[{"Effect":"Allow","Resource":"*"}]}"#,
            #"{"Statement":[{"Effect":"Allow","Action":"*","Resource":[1]}]}"#,
        ]
    )
    func malformed(_ json: String) {
        #expect(throws: AuthorizerPolicy.Malformed.self) { try Self.policy(json) }
    }

    @Test(
        "wildcards: * spans any characters including / and :, ? exactly one",
        arguments: [
            ("*", "", true), ("a*", "abc/d:e", true), ("a?c", "abc", true), ("a?c", "ac", false),
            ("*/GET/*", "x/GET/y/z", true), ("*/GET/*", "x/POST/y", false), ("a**b", "ab", true),
            ("abc", "abcd", false),
        ]
    )
    func wildcards(_ pattern: String, _ value: String, _ expected: Bool) {
        #expect(AuthorizerPolicy.matches(pattern: pattern, value) == expected)
    }
}
