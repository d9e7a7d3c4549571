import SwitchboardCore
import Testing

struct ResourcePolicyConditionTests {
    static let prefix = "arn:aws:execute-api:us-east-1:000000000000:pets/"

    static func policy(_ json: String) throws -> AuthorizerPolicy {
        try AuthorizerPolicy(document: try JSONValue.parse(json.utf8), apiArnPrefix: Self.prefix)
    }

    @Test("a Deny with an IpAddress condition denies callers inside the range only")
    func denyInsideRange() throws {
        let policy = try Self.policy(
            #"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:db8::/32"]}}}]}"#
        )
        let arn = Self.prefix + "dev/GET/pets"
        #expect(policy.evaluate(methodArn: arn, sourceIp: "192.0.2.77") == .explicitDeny)
        #expect(policy.evaluate(methodArn: arn, sourceIp: "2001:db8::1") == .explicitDeny)
        #expect(policy.evaluate(methodArn: arn, sourceIp: "198.51.100.1") == .allow)
        #expect(policy.evaluate(methodArn: arn, sourceIp: "::ffff:192.0.2.9") == .explicitDeny)
        // Without a source address the condition cannot be checked, and the Deny applies (fail closed).
        #expect(policy.evaluate(methodArn: arn, sourceIp: nil) == .explicitDeny)
    }

    @Test("an Allow with NotIpAddress allows callers outside the range only; the short resource form expands")
    func allowOutsideRange() throws {
        let policy = try Self.policy(
            #"{"Statement":{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/dev/GET/*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}"#
        )
        #expect(policy.evaluate(methodArn: Self.prefix + "dev/GET/pets", sourceIp: "127.0.0.1") == .allow)
        #expect(policy.evaluate(methodArn: Self.prefix + "dev/GET/pets", sourceIp: "10.1.2.3") == .implicitDeny)
        #expect(policy.evaluate(methodArn: Self.prefix + "dev/POST/pets", sourceIp: "127.0.0.1") == .implicitDeny)
    }

    @Test("conditions other than source-IP ranges fail closed; bad ranges are refused")
    func unsupported() throws {
        let policy = try Self.policy(
            #"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}}]}"#
        )
        #expect(policy.evaluate(methodArn: Self.prefix + "dev/GET/pets", sourceIp: "127.0.0.1") == .implicitDeny)
        #expect(throws: AuthorizerPolicy.Malformed.self) {
            try Self.policy(
                #"{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"300.1.1.1/8"}}}]}"#
            )
        }
    }

    @Test(
        "CIDR ranges match by prefix",
        arguments: [
            ("127.0.0.0/8", "127.9.9.9", true), ("127.0.0.0/8", "128.0.0.1", false), ("0.0.0.0/0", "8.8.8.8", true),
            ("192.0.2.1", "192.0.2.1", true), ("192.0.2.1", "192.0.2.2", false), ("10.0.0.0/9", "10.127.0.1", true),
            ("10.0.0.0/9", "10.128.0.1", false), ("::1", "::1", true), ("fe80::/10", "fe80::abcd", true),
            ("fe80::/10", "fec0::1", false), ("127.0.0.0/8", "not-an-ip", false), ("::/0", "127.0.0.1", false),
        ]
    )
    func ranges(_ range: String, _ address: String, _ expected: Bool) throws {
        let parsed = try #require(IPAddressRange(range))
        #expect(parsed.contains(address) == expected)
    }

    @Test(
        "malformed ranges do not parse",
        arguments: ["", "1.2.3", "1.2.3.4/33", "1.2.3.4/x", "1::2::3", "::1/129", "256.0.0.0"]
    )
    func malformedRanges(_ text: String) {
        #expect(IPAddressRange(text) == nil)
    }
}
