import SwitchboardCore
import Testing

struct ThrottleRegistryTests {
    static let second: UInt64 = 1_000_000_000

    @Test("each key has its own bucket: burst admitted, then refilled at the rate (manual clock)")
    func perKeyBuckets() {
        let registry = ThrottleRegistry()
        let limit = ThrottleSettings(rateLimit: 2, burstLimit: 3)
        let start: UInt64 = 10 * Self.second
        #expect((0..<3).allSatisfy { _ in registry.take("a", limit: limit, nowNanos: start) })
        #expect(!registry.take("a", limit: limit, nowNanos: start))
        #expect(registry.take("b", limit: limit, nowNanos: start))
        #expect(registry.take("a", limit: limit, nowNanos: start + Self.second / 2))
        #expect(!registry.take("a", limit: limit, nowNanos: start + Self.second / 2))
        #expect(registry.count == 2)
        registry.remove("b")
        #expect(registry.count == 1)
    }

    @Test("a changed limit (a reload) starts a new full bucket")
    func limitChange() {
        let registry = ThrottleRegistry()
        #expect(registry.take("k", limit: ThrottleSettings(rateLimit: 0, burstLimit: 1), nowNanos: 0))
        #expect(!registry.take("k", limit: ThrottleSettings(rateLimit: 0, burstLimit: 1), nowNanos: 0))
        #expect(registry.take("k", limit: ThrottleSettings(rateLimit: 0, burstLimit: 2), nowNanos: 0))
    }

    @Test("AWS's account default admits a 5,000 burst, then 10,000 a second")
    func accountDefault() {
        let registry = ThrottleRegistry()
        var admitted = 0
        for _ in 0..<6_000 where registry.take("account", limit: .accountDefault, nowNanos: 0) { admitted += 1 }
        #expect(admitted == 5_000)
        var later = 0
        for _ in 0..<20_000 where registry.take("account", limit: .accountDefault, nowNanos: Self.second) { later += 1 }
        #expect(later == 5_000)
    }

    @Test("past capacity, buckets that are full again are forgotten first")
    func eviction() {
        let registry = ThrottleRegistry(capacity: 16)
        let limit = ThrottleSettings(rateLimit: 1000, burstLimit: 1)
        for index in 0..<16 { _ = registry.take("k\(index)", limit: limit, nowNanos: 0) }
        #expect(registry.take("new", limit: limit, nowNanos: Self.second))
        #expect(registry.count == 1)
    }

    @Test("quota counters count per key and start again when the window has ended")
    func quotaCounter() async throws {
        let now = ManualMillis(1_000)
        let counter = InMemoryQuotaCounter(nowMillis: { now.value })
        #expect(try await counter.increment("q", expiresAtMillis: 2_000) == 1)
        #expect(try await counter.increment("q", expiresAtMillis: 2_000) == 2)
        #expect(try await counter.increment("other", expiresAtMillis: 2_000) == 1)
        now.value = 2_000
        #expect(try await counter.increment("q", expiresAtMillis: 3_000) == 1)
    }
}

/// A settable clock for tests.
final class ManualMillis: @unchecked Sendable {
    var value: Int64
    init(_ value: Int64) { self.value = value }
}

struct ThrottleRegistryAccountTests {
    @Test("the account bucket admits its burst, refills, and starts anew when its limit changes")
    func account() {
        let registry = ThrottleRegistry()
        let limit = ThrottleSettings(rateLimit: 1, burstLimit: 2)
        #expect(registry.takeAccount(limit: limit, nowNanos: 0))
        #expect(registry.takeAccount(limit: limit, nowNanos: 0))
        #expect(!registry.takeAccount(limit: limit, nowNanos: 0))
        #expect(registry.takeAccount(limit: limit, nowNanos: 1_000_000_000))
        #expect(registry.takeAccount(limit: ThrottleSettings(rateLimit: 1, burstLimit: 3), nowNanos: 1_000_000_000))
        #expect(registry.count == 0)
    }
}
