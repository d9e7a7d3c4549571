import NIOConcurrencyHelpers
import SwitchboardServer
import Testing

struct WorkQueueTests {
    /// Counts the jobs running at once and the order they started in.
    final class Probe: Sendable {
        private let state = NIOLockedValueBox((running: 0, peak: 0, started: [Int]()))

        func enter(_ job: Int) {
            self.state.withLockedValue { state in
                state.running += 1
                state.peak = max(state.peak, state.running)
                state.started.append(job)
            }
        }

        func leave() { self.state.withLockedValue { $0.running -= 1 } }

        var peak: Int { self.state.withLockedValue { $0.peak } }
        var started: [Int] { self.state.withLockedValue { $0.started } }
    }

    @Test("a lane runs at most its limit at once, in submission order, and every job runs once")
    func laneBoundsConcurrency() async throws {
        let queue = WorkQueue()
        let probe = Probe()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await queue.run() }
            for job in 0..<200 {
                queue.submit(lane: "a", limit: 4) {
                    probe.enter(job)
                    try? await Task.sleep(for: .milliseconds(1))
                    probe.leave()
                }
            }
            let deadline = ContinuousClock.now + .seconds(20)
            while queue.pending > 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            queue.finish()
            try await group.waitForAll()
        }
        #expect(probe.started.sorted() == Array(0..<200))
        // Jobs are handed out in order; the (at most 4) running at once may start in any order among themselves.
        #expect(probe.started.enumerated().allSatisfy { abs($0.element - $0.offset) < 4 })
        #expect(probe.peak <= 4)
        #expect(probe.peak > 1)
        #expect(queue.pending == 0)
    }

    @Test("lanes are independent: a stuck lane does not hold up another")
    func lanesAreIndependent() async throws {
        let queue = WorkQueue()
        let release = NIOLockedValueBox(false)
        let done = NIOLockedValueBox(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await queue.run() }
            for _ in 0..<3 {
                queue.submit(lane: "stuck", limit: 1) {
                    while !release.withLockedValue({ $0 }) { try? await Task.sleep(for: .milliseconds(5)) }
                }
            }
            for _ in 0..<10 {
                queue.submit(lane: "free", limit: 1) { done.withLockedValue { $0 += 1 } }
            }
            let deadline = ContinuousClock.now + .seconds(10)
            while done.withLockedValue({ $0 }) < 10, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(done.withLockedValue { $0 } == 10)
            #expect(queue.pending == 3)
            release.withLockedValue { $0 = true }
            while queue.pending > 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(queue.pending == 0)
            queue.finish()
            try await group.waitForAll()
        }
    }
}
