/// A token bucket as API Gateway throttles with it: `rate` tokens per second refill a bucket of `burst`
/// capacity, and each request takes one token. Time comes from the caller (epoch or monotonic nanoseconds), so
/// tests drive it with a manual clock.
package struct TokenBucket: Sendable, Equatable {
    /// Tokens added per second.
    package let rate: Double
    /// The bucket's capacity.
    package let burst: Double
    /// Tokens available at `updatedNanos`.
    package private(set) var tokens: Double
    /// When `tokens` was last brought up to date.
    package private(set) var updatedNanos: UInt64

    /// Creates a full bucket.
    /// - Parameters:
    ///   - rate: tokens per second (≥ 0).
    ///   - burst: capacity (≥ 0; a burst of 0 admits nothing, as AWS).
    ///   - nowNanos: the current time.
    package init(rate: Double, burst: Int, nowNanos: UInt64) {
        self.rate = max(rate, 0)
        self.burst = Double(max(burst, 0))
        self.tokens = self.burst
        self.updatedNanos = nowNanos
    }

    /// Takes one token if there is one.
    /// - Parameter nowNanos: the current time (earlier times are treated as `updatedNanos`).
    /// - Returns: whether the request is admitted.
    package mutating func take(nowNanos: UInt64) -> Bool {
        self.refill(nowNanos: nowNanos)
        guard self.tokens >= 1 else { return false }
        self.tokens -= 1
        return true
    }

    /// Seconds until a token is available (0 when one is), for `Retry-After`.
    package func secondsUntilNextToken(nowNanos: UInt64) -> Double {
        var copy = self
        copy.refill(nowNanos: nowNanos)
        guard copy.tokens < 1 else { return 0 }
        guard self.rate > 0 else { return .infinity }
        return (1 - copy.tokens) / self.rate
    }

    private mutating func refill(nowNanos: UInt64) {
        guard nowNanos > self.updatedNanos else { return }
        let elapsed = Double(nowNanos - self.updatedNanos) / 1_000_000_000
        self.tokens = min(self.burst, self.tokens + elapsed * self.rate)
        self.updatedNanos = nowNanos
    }
}
