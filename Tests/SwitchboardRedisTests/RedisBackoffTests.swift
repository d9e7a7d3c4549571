import SwitchboardRedis
import Testing

struct RedisBackoffTests {
    @Test("the delay cap doubles from the base up to the maximum")
    func capDoubles() {
        let backoff = RedisBackoff(base: .milliseconds(50), maximum: .seconds(2))
        let caps = (0..<9).map { backoff.cap(attempt: $0) }
        #expect(
            caps == [50, 100, 200, 400, 800, 1600, 2000, 2000, 2000].map { Duration.milliseconds($0) }
        )
        #expect(backoff.cap(attempt: 10_000) == .seconds(2))
    }

    @Test("each delay is jittered between half and all of its cap")
    func jitter() {
        let backoff = RedisBackoff(base: .milliseconds(50), maximum: .seconds(2))
        var generator = SplitMix64(seed: 7)
        for attempt in 0..<12 {
            let cap = backoff.cap(attempt: attempt)
            var seen: Set<Duration> = []
            for _ in 0..<50 {
                let delay = backoff.delay(attempt: attempt, using: &generator)
                #expect(delay >= cap / 2 && delay <= cap, "attempt \(attempt): \(delay) outside [\(cap / 2), \(cap)]")
                seen.insert(delay)
            }
            #expect(seen.count > 1, "attempt \(attempt) is jittered")
        }
    }

    @Test("a maximum below the base is raised to the base")
    func maximumBelowBase() {
        let backoff = RedisBackoff(base: .seconds(1), maximum: .milliseconds(10))
        #expect(backoff.maximum == .seconds(1))
        #expect(backoff.cap(attempt: 5) == .seconds(1))
    }
}
