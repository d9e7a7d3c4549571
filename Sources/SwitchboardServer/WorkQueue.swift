import NIOConcurrencyHelpers

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
