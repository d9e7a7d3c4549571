internal import Synchronization

/// The token buckets of one node, by key (`account`, `stage:{api}/{stage}`, `route:{api}/{stage}/{route}`,
/// `key:{plan}/{key}`, …): created full on first use, and recreated when their limit changes (a reload).
/// Time comes from the caller, so tests drive it with a manual clock.
package final class ThrottleRegistry: Sendable {
    private struct Slot: Sendable {
        var limit: ThrottleSettings
        var bucket: TokenBucket
    }

    private let slots = Mutex<[String: Slot]>([:])
    /// The account bucket, apart from the map: every request and message takes from it, so it costs one lock and
    /// no hashing.
    private let account = Mutex<Slot?>(nil)
    /// The most buckets kept; past it, idle full buckets are dropped first.
    private let capacity: Int

    /// Creates an empty registry.
    package init(capacity: Int = 100_000) {
        self.capacity = max(capacity, 16)
    }

    /// Takes a token from the bucket `key` (created with `limit` if new).
    /// - Returns: whether the request is admitted.
    package func take(_ key: String, limit: ThrottleSettings, nowNanos: UInt64) -> Bool {
        self.slots.withLock { slots in
            if var slot = slots[key], slot.limit == limit {
                let admitted = slot.bucket.take(nowNanos: nowNanos)
                slots[key] = slot
                return admitted
            }
            if slots.count >= self.capacity { Self.evict(&slots, nowNanos: nowNanos) }
            var bucket = TokenBucket(rate: limit.rateLimit, burst: limit.burstLimit, nowNanos: nowNanos)
            let admitted = bucket.take(nowNanos: nowNanos)
            slots[key] = Slot(limit: limit, bucket: bucket)
            return admitted
        }
    }

    /// Takes a token from the account bucket (created with `limit`, recreated when the limit changes).
    package func takeAccount(limit: ThrottleSettings, nowNanos: UInt64) -> Bool {
        self.account.withLock { slot in
            if slot == nil || slot?.limit != limit {
                slot = Slot(
                    limit: limit,
                    bucket: TokenBucket(rate: limit.rateLimit, burst: limit.burstLimit, nowNanos: nowNanos)
                )
            }
            return slot?.bucket.take(nowNanos: nowNanos) ?? false
        }
    }

    /// Forgets a bucket (a closed connection's).
    package func remove(_ key: String) {
        _ = self.slots.withLock { $0.removeValue(forKey: key) }
    }

    /// The number of buckets held.
    package var count: Int { self.slots.withLock { $0.count } }

    /// Drops buckets that would be full again by now (forgetting them changes nothing), else half of them.
    private static func evict(_ slots: inout [String: Slot], nowNanos: UInt64) {
        slots = slots.filter { $0.value.bucket.secondsUntilFull(nowNanos: nowNanos) > 0 }
        if slots.count > 8 {
            for key in slots.keys.prefix(slots.count / 2) { slots[key] = nil }
        }
    }
}

extension TokenBucket {
    /// Seconds until the bucket is full again (0 when it is).
    package func secondsUntilFull(nowNanos: UInt64) -> Double {
        let elapsed = nowNanos > self.updatedNanos ? Double(nowNanos - self.updatedNanos) / 1_000_000_000 : 0
        let tokens = min(self.burst, self.tokens + elapsed * self.rate)
        guard tokens < self.burst else { return 0 }
        guard self.rate > 0 else { return .infinity }
        return (self.burst - tokens) / self.rate
    }
}
