import Benchmark
import SwitchboardCore

/// Throttling token buckets and API key to usage plan resolution, run for every request.
enum TrafficBenchmarks {
    static func register() {
        // A registry already holding 1,000 method buckets; limits high enough that every take is admitted.
        let registry = ThrottleRegistry()
        let limit = ThrottleSettings(rateLimit: 1_000_000_000, burstLimit: 1_000_000_000)
        var nowNanos: UInt64 = 1_000_000_000
        for index in 0..<1_000 {
            _ = registry.take("abc123/dev/GET /route\(index)", limit: limit, nowNanos: nowNanos)
        }
        let key = "abc123/dev/GET /route500"
        Benchmark("throttle take: method bucket among 1,000") { benchmark in
            for _ in benchmark.scaledIterations {
                nowNanos &+= 1_000
                blackHole(registry.take(key, limit: limit, nowNanos: nowNanos))
            }
        }
        Benchmark("throttle takeAccount") { benchmark in
            for _ in benchmark.scaledIterations {
                nowNanos &+= 1_000
                blackHole(registry.takeAccount(limit: limit, nowNanos: nowNanos))
            }
        }

        // 100 keys across 10 plans, each plan on two stages.
        var apiKeys: [APIKeyDefinition] = []
        var plans: [UsagePlanDefinition] = []
        for plan in 0..<10 {
            var names: [String] = []
            for key in 0..<10 {
                let name = "key-\(plan)-\(key)"
                let hash = APIKeyHash.sha256Hex("value-\(name)-0123456789")
                apiKeys.append(APIKeyDefinition(name: name, valueSha256: hash))
                names.append(name)
            }
            plans.append(
                UsagePlanDefinition(
                    name: "plan-\(plan)",
                    apiStages: [
                        UsagePlanAPIStage(
                            api: "abc123",
                            stage: "dev",
                            throttle: ["GET /pets": ThrottleSettings(rateLimit: 100, burstLimit: 50)]
                        ),
                        UsagePlanAPIStage(api: "abc123", stage: "prod"),
                    ],
                    throttle: ThrottleSettings(rateLimit: 1_000, burstLimit: 500),
                    apiKeys: names
                )
            )
        }
        let index = UsagePlanIndex(apiKeys: apiKeys, usagePlans: plans)
        let value = "value-key-7-3-0123456789"
        guard case .accepted = index.resolve(value: value, api: "abc123", stage: "dev") else {
            fatalError("invalid benchmark fixture")
        }
        Benchmark("usage plan resolve: API key among 100 (SHA-256 + 2 lookups)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(index.resolve(value: value, api: "abc123", stage: "dev"))
            }
        }
    }
}
