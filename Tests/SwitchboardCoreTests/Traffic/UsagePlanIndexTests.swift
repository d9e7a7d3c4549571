import SwitchboardCore
import Testing

struct UsagePlanIndexTests {
    static let value = "abcdefghijklmnopqrstuvwxyz0123"

    static let index = UsagePlanIndex(
        apiKeys: [
            APIKeyDefinition(name: "partner", valueSha256: APIKeyHash.sha256Hex(Self.value)),
            APIKeyDefinition(
                name: "off",
                valueSha256: APIKeyHash.sha256Hex("disabled-key-value-000000"),
                enabled: false
            ),
            APIKeyDefinition(name: "loose", valueSha256: APIKeyHash.sha256Hex("key-in-no-plan-0000000000")),
        ],
        usagePlans: [
            UsagePlanDefinition(
                name: "basic",
                apiStages: [
                    UsagePlanAPIStage(
                        api: "pets",
                        stage: "dev",
                        throttle: ["GET /pets": .init(rateLimit: 1, burstLimit: 1)]
                    )
                ],
                throttle: ThrottleSettings(rateLimit: 10, burstLimit: 5),
                quota: QuotaSettings(limit: 100, period: .day),
                apiKeys: ["partner", "off"]
            )
        ]
    )

    @Test("a known, enabled key in a plan for the API stage is accepted with the plan")
    func accepted() throws {
        guard case .accepted(let key, let binding) = Self.index.resolve(value: Self.value, api: "pets", stage: "dev")
        else {
            Issue.record("not accepted")
            return
        }
        #expect(key.name == "partner")
        #expect(binding.plan.name == "basic")
        #expect(binding.methodThrottles["GET /pets"]?.burstLimit == 1)
    }

    @Test("missing, unknown, disabled and plan-less keys, and other stages, are rejected")
    func rejected() {
        #expect(Self.index.resolve(value: nil, api: "pets", stage: "dev") == .rejected)
        #expect(Self.index.resolve(value: "", api: "pets", stage: "dev") == .rejected)
        #expect(Self.index.resolve(value: "unknown-key-000000000000", api: "pets", stage: "dev") == .rejected)
        #expect(Self.index.resolve(value: "disabled-key-value-000000", api: "pets", stage: "dev") == .rejected)
        #expect(Self.index.resolve(value: "key-in-no-plan-0000000000", api: "pets", stage: "dev") == .rejected)
        #expect(Self.index.resolve(value: Self.value, api: "pets", stage: "prod") == .rejected)
    }

    @Test("only the SHA-256 of a key is kept")
    func hash() {
        #expect(APIKeyHash.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
