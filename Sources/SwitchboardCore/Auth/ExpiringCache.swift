/// A bounded map whose entries expire, for authorizer results cached by identity (AWS: TTL 300 s by default,
/// 0 disables, at most 3600). Time comes from the caller, so tests drive it with a manual clock; when full, the
/// entry that expires first is evicted.
package struct ExpiringCache<Value: Sendable>: Sendable {
    private struct Entry: Sendable {
        var value: Value
        var expiresAtMillis: Int64
    }

    /// How long entries live.
    package let ttlMillis: Int64
    /// The most entries kept.
    package let capacity: Int
    private var entries: [String: Entry] = [:]

    /// Creates a cache.
    /// - Parameters:
    ///   - ttlSeconds: entry lifetime; 0 (or less) disables caching.
    ///   - capacity: the most entries kept (at least 1).
    package init(ttlSeconds: Int, capacity: Int = 10_000) {
        self.ttlMillis = Int64(max(ttlSeconds, 0)) * 1000
        self.capacity = max(capacity, 1)
    }

    /// The number of entries held, expired ones included until they are touched or evicted.
    package var count: Int { self.entries.count }

    /// The value for a key, if it has not expired.
    package mutating func value(for key: String, nowMillis: Int64) -> Value? {
        guard let entry = self.entries[key] else { return nil }
        guard entry.expiresAtMillis > nowMillis else {
            self.entries[key] = nil
            return nil
        }
        return entry.value
    }

    /// Stores a value (nothing when caching is disabled).
    package mutating func store(_ value: Value, for key: String, nowMillis: Int64) {
        guard self.ttlMillis > 0 else { return }
        if self.entries[key] == nil && self.entries.count >= self.capacity {
            self.entries = self.entries.filter { $0.value.expiresAtMillis > nowMillis }
            if self.entries.count >= self.capacity,
                let oldest = self.entries.min(by: { $0.value.expiresAtMillis < $1.value.expiresAtMillis })?.key
            {
                self.entries[oldest] = nil
            }
        }
        self.entries[key] = Entry(value: value, expiresAtMillis: nowMillis + self.ttlMillis)
    }
}
