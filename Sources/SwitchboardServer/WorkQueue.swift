import NIOConcurrencyHelpers

/// Async work started from the data plane (integration calls, `$disconnect`, management requests) runs as
/// child tasks of one task group owned by the server's `run()`, so shutdown can drain it: structured
/// concurrency without a `Task {}` per event.
package final class WorkQueue: Sendable {
    package typealias Job = @Sendable () async -> Void

    private let stream: AsyncStream<Job>
    private let continuation: AsyncStream<Job>.Continuation
    private let inFlight = NIOLockedValueBox(0)

    /// Creates a queue.
    package init() {
        (self.stream, self.continuation) = AsyncStream.makeStream(of: Job.self)
    }

    /// Submits a job; it runs as soon as the queue's runner picks it up.
    /// - Parameter job: the work.
    package func submit(_ job: @escaping Job) {
        self.inFlight.withLockedValue { $0 += 1 }
        let result = self.continuation.yield {
            await job()
            self.inFlight.withLockedValue { $0 -= 1 }
        }
        if case .terminated = result {
            self.inFlight.withLockedValue { $0 -= 1 }
        }
    }

    /// Jobs submitted and not yet finished.
    package var pending: Int { self.inFlight.withLockedValue { $0 } }

    /// Runs jobs until ``finish()`` is called and every submitted job has completed.
    package func run() async {
        await withDiscardingTaskGroup { group in
            for await job in self.stream {
                group.addTask { await job() }
            }
        }
    }

    /// Stops accepting jobs; ``run()`` returns once the running ones finish.
    package func finish() {
        self.continuation.finish()
    }
}
