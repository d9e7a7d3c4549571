import NIOConcurrencyHelpers
import NIOCore

/// Async work started from the data plane (integration calls, `$disconnect`, management requests) runs as
/// child tasks of one task group owned by the server's `run()`, so shutdown can drain it: structured
/// concurrency without a `Task {}` per event.
package final class WorkQueue: Sendable {
    package typealias Job = @Sendable () async -> Void

    private struct Entry: Sendable {
        var job: Job
    }

    private let stream: AsyncStream<Entry>
    private let continuation: AsyncStream<Entry>.Continuation
    private let inFlight = NIOLockedValueBox(0)
    private let lanes = NIOLockedValueBox<[String: Lane]>([:])

    /// The jobs of one lane: how many run, and the ones waiting their turn.
    private struct Lane {
        var running = 0
        var waiting = CircularBuffer<Job>()
    }

    /// Creates a queue.
    package init() {
        (self.stream, self.continuation) = AsyncStream.makeStream(of: Entry.self)
    }

    /// Submits a job; it runs as soon as the queue's runner picks it up.
    /// - Parameters:
    ///   - executor: where the job runs (a connection's event loop), or the default executor via the runner.
    ///   - job: the work.
    package func submit(on executor: (any TaskExecutor)? = nil, _ job: @escaping Job) {
        self.inFlight.withLockedValue { $0 += 1 }
        let wrapped: Job = {
            await job()
            self.inFlight.withLockedValue { $0 -= 1 }
        }
        if let executor {
            // UNSTRUCTURED: a request's task starts right on its connection's event loop; going through the
            // runner's task group would cost two thread hand-offs per request (measured: a third of the proxy's
            // CPU). It is counted in `pending`, which shutdown drains exactly like the runner's jobs.
            Task(executorPreference: executor) { await wrapped() }
            return
        }
        if case .terminated = self.continuation.yield(Entry(job: wrapped)) {
            self.inFlight.withLockedValue { $0 -= 1 }
        }
    }

    /// Submits a job to a lane that runs at most `limit` of its jobs at once; the others wait their turn, in
    /// order and without a deadline. For `$disconnect`: 10,000 clients vanishing together would otherwise pile
    /// 10,000 requests into the HTTP client's pool, where each queue and timer operation costs O(requests) and
    /// a request waiting 10 s for a connection fails — the event would be lost.
    /// - Parameters:
    ///   - lane: the lane's name.
    ///   - limit: how many of the lane's jobs may run at once.
    ///   - job: the work.
    package func submit(lane: String, limit: Int, _ job: @escaping Job) {
        self.inFlight.withLockedValue { $0 += 1 }
        let start = self.lanes.withLockedValue { lanes in
            var entry = lanes.removeValue(forKey: lane) ?? Lane()
            defer { lanes[lane] = entry }
            guard entry.running < limit else {
                entry.waiting.append(job)
                return false
            }
            entry.running += 1
            return true
        }
        if start { self.run(job, lane: lane) }
    }

    private func run(_ first: @escaping Job, lane: String) {
        var next: Job? = first
        while let job = next {
            let wrapped: Job = {
                await job()
                self.inFlight.withLockedValue { $0 -= 1 }
                if let following = self.nextJob(lane: lane) { self.run(following, lane: lane) }
            }
            guard case .terminated = self.continuation.yield(Entry(job: wrapped)) else { return }
            // The queue has finished: this job and the lane's waiting ones are dropped.
            self.inFlight.withLockedValue { $0 -= 1 }
            next = self.nextJob(lane: lane)
        }
    }

    /// The lane's next waiting job; `nil` when none waits (the caller's turn ends).
    private func nextJob(lane: String) -> Job? {
        self.lanes.withLockedValue { lanes in
            guard var entry = lanes.removeValue(forKey: lane) else { return nil }
            if let job = entry.waiting.popFirst() {
                lanes[lane] = entry
                return job
            }
            entry.running -= 1
            if entry.running > 0 { lanes[lane] = entry }
            return nil
        }
    }

    /// Jobs submitted and not yet finished.
    package var pending: Int { self.inFlight.withLockedValue { $0 } }

    /// Runs jobs until ``finish()`` is called and every submitted job has completed.
    package func run() async {
        await withDiscardingTaskGroup { group in
            for await entry in self.stream {
                group.addTask { await entry.job() }
            }
        }
    }

    /// Stops accepting jobs; ``run()`` returns once the running ones finish.
    package func finish() {
        self.continuation.finish()
    }
}
