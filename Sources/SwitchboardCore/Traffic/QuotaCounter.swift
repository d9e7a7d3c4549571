internal import Synchronization

/// Counts usage-plan requests per key and quota window. A single node counts in memory; in cluster mode the
/// server supplies a Redis counter so that every node sees the same count.
package protocol QuotaCounter: Sendable {
    /// Adds one request to a window's counter.
    /// - Parameters:
    ///   - key: the counter (plan, API key and window start).
    ///   - expiresAtMillis: when the window ends (the counter may be forgotten then).
    /// - Returns: the count including this request.
    /// - Throws: when the count cannot be reached (AWS then serves the request without the limit).
    func increment(_ key: String, expiresAtMillis: Int64) async throws -> Int
}

/// The single-node quota counter.
package final class InMemoryQuotaCounter: QuotaCounter {
    private struct Counter: Sendable {
        var count: Int
        var expiresAtMillis: Int64
    }

    private let counters = Mutex<[String: Counter]>([:])
    private let nowMillis: @Sendable () -> Int64

    /// Creates a counter; `nowMillis` decides when windows have ended (injected for tests).
    package init(nowMillis: @escaping @Sendable () -> Int64) {
        self.nowMillis = nowMillis
    }

    package func increment(_ key: String, expiresAtMillis: Int64) async throws -> Int {
        let now = self.nowMillis()
        return self.counters.withLock { counters in
            if counters.count > 10_000 { counters = counters.filter { $0.value.expiresAtMillis > now } }
            var counter =
                counters[key].flatMap { $0.expiresAtMillis > now ? $0 : nil }
                ?? Counter(count: 0, expiresAtMillis: expiresAtMillis)
            counter.count += 1
            counters[key] = counter
            return counter.count
        }
    }
}
