import SwitchboardCore
import Testing

struct TokenBucketTests {
    static let second: UInt64 = 1_000_000_000

    @Test("a full bucket admits its burst at once, then the rate")
    func burstThenRate() {
        var bucket = TokenBucket(rate: 10, burst: 5, nowNanos: 0)
        var admitted = 0
        for _ in 0..<20 where bucket.take(nowNanos: 0) { admitted += 1 }
        #expect(admitted == 5)
        let afterTenth = bucket.take(nowNanos: Self.second / 10)
        #expect(afterTenth)
        let again = bucket.take(nowNanos: Self.second / 10)
        #expect(!again)
        #expect(bucket.secondsUntilNextToken(nowNanos: Self.second / 10) > 0.099)
    }

    @Test("refills never exceed the burst, and a clock going back admits nothing extra")
    func capacityAndClock() {
        var bucket = TokenBucket(rate: 1000, burst: 3, nowNanos: 5 * Self.second)
        for _ in 0..<3 { _ = bucket.take(nowNanos: 5 * Self.second) }
        #expect(bucket.tokens < 1)
        let early = bucket.take(nowNanos: 4 * Self.second)
        #expect(!early)
        var admitted = 0
        for _ in 0..<10 where bucket.take(nowNanos: 100 * Self.second) { admitted += 1 }
        #expect(admitted == 3)
    }

    @Test("AWS's account default, 10,000 rps with a 5,000 burst, over one simulated second")
    func accountDefault() {
        var bucket = TokenBucket(rate: 10_000, burst: 5_000, nowNanos: 0)
        var admitted = 0
        // 20,000 requests spread evenly over one second.
        for index in 0..<20_000 where bucket.take(nowNanos: UInt64(index) * Self.second / 20_000) { admitted += 1 }
        #expect((14_990...15_010).contains(admitted))
    }

    @Test("a zero burst admits nothing; a zero rate never refills")
    func zeros() {
        var closed = TokenBucket(rate: 100, burst: 0, nowNanos: 0)
        let taken = closed.take(nowNanos: 10 * Self.second)
        #expect(!taken)
        var frozen = TokenBucket(rate: 0, burst: 1, nowNanos: 0)
        let first = frozen.take(nowNanos: 0)
        let second = frozen.take(nowNanos: 60 * Self.second)
        #expect(first && !second)
        #expect(frozen.secondsUntilNextToken(nowNanos: 0) == .infinity)
    }
}
