/// Exponential reconnect backoff with "equal jitter": attempt `n` waits a random delay between half and all
/// of `min(maximum, base × 2ⁿ)`, so nodes that lost Redis together do not reconnect in lockstep.
package struct RedisBackoff: Sendable, Hashable {
    /// The delay cap before the first retry (attempt 0). Default 50 ms.
    package var base: Duration
    /// The largest delay cap. Default 2 s.
    package var maximum: Duration

    /// Creates a backoff policy.
    /// - Parameters:
    ///   - base: the delay cap of attempt 0; must be positive.
    ///   - maximum: the largest delay cap; raised to `base` when smaller.
    package init(base: Duration = .milliseconds(50), maximum: Duration = .seconds(2)) {
        self.base = base
        self.maximum = max(base, maximum)
    }

    /// The delay before reconnect attempt `attempt`.
    /// - Parameters:
    ///   - attempt: 0 for the first retry after a failure, then 1, 2, ...
    ///   - generator: the source of jitter (inject a seeded one in tests).
    /// - Returns: a delay in `[cap / 2, cap]` where `cap = min(maximum, base × 2^attempt)`.
    package func delay(attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let cap = self.cap(attempt: attempt)
        let nanoseconds = Self.nanoseconds(cap)
        guard nanoseconds > 1 else { return cap }
        let half = nanoseconds / 2
        return .nanoseconds(half + Int64.random(in: 0...(nanoseconds - half), using: &generator))
    }

    /// The un-jittered delay cap of `attempt`.
    /// - Parameter attempt: the attempt number (0-based).
    /// - Returns: `min(maximum, base × 2^attempt)`.
    package func cap(attempt: Int) -> Duration {
        let base = Self.nanoseconds(self.base)
        let maximum = Self.nanoseconds(self.maximum)
        guard base > 0 else { return .zero }
        var cap = base
        for _ in 0..<max(0, attempt) {
            guard cap < maximum / 2 else { return self.maximum }
            cap *= 2
        }
        return .nanoseconds(min(cap, maximum))
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds < 0 ? 0 : Int64.max / 2 }
        return max(0, scaled.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue)
    }
}
