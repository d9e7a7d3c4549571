import NIOCore

/// Runs Swift tasks on a SwiftNIO event loop (SE-0417 task executor preference), so that a request's pipeline,
/// its upstream call (AsyncHTTPClient picks the current loop) and the response write all happen on the
/// connection's thread, with no hand-off to the cooperative pool and back.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
