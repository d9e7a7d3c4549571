import SwitchboardCore
import Testing

struct ExpiringCacheTests {
    @Test("entries live for the TTL and no longer")
    func ttl() {
        var cache = ExpiringCache<String>(ttlSeconds: 300)
        cache.store("allow", for: "token-a", nowMillis: 1_000)
        let fresh = cache.value(for: "token-a", nowMillis: 300_999)
        #expect(fresh == "allow")
        let expired = cache.value(for: "token-a", nowMillis: 301_000)
        #expect(expired == nil)
        #expect(cache.count == 0)
    }

    @Test("a TTL of 0 disables caching")
    func disabled() {
        var cache = ExpiringCache<Int>(ttlSeconds: 0)
        cache.store(1, for: "k", nowMillis: 0)
        let value = cache.value(for: "k", nowMillis: 0)
        #expect(value == nil)
    }

    @Test("when full, expired entries go first, then the one expiring soonest")
    func eviction() {
        var cache = ExpiringCache<Int>(ttlSeconds: 10, capacity: 2)
        cache.store(1, for: "a", nowMillis: 0)
        cache.store(2, for: "b", nowMillis: 5_000)
        cache.store(3, for: "c", nowMillis: 6_000)
        let a = cache.value(for: "a", nowMillis: 6_000)
        let b = cache.value(for: "b", nowMillis: 6_000)
        let c = cache.value(for: "c", nowMillis: 6_000)
        #expect(a == nil && b == 2 && c == 3)
        cache.store(4, for: "d", nowMillis: 20_000)
        #expect(cache.count == 1)
    }
}
