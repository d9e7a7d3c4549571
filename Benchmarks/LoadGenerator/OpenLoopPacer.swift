import NIOCore

/// Sends messages at a fixed rate over one event loop's open connections, whatever the answers (open loop): a
/// 1 ms timer on the loop works out how many messages are due since the start and writes them round-robin over
/// the loop's connections, then flushes each connection once. Latency is then measured at a load that does not
/// slow down when the server does, unlike the closed loop of `echo` without `--rate`, and (as wrk2 does) from when
/// each message was due rather than when it went out, so a stall that delays sends is counted too.
enum OpenLoopPacer {
    /// Most messages one tick writes; a loop that fell further behind catches up over the next ticks.
    static let maxPerTick = 10_000

    /// Starts pacing `stats.paced` at `rate` messages per second on `loop`; cancel the task to stop.
    static func start(on loop: any EventLoop, stats: LoopStats, rate: Double) -> RepeatedTask {
        let started = monotonicNanos()
        return loop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(1)) { _ in
            guard !stats.stopping, !stats.paced.isEmpty else { return }
            let due = Int(Double(monotonicNanos() - started) / 1e9 * rate) - stats.pacedSent
            guard due > 0 else { return }
            for _ in 0..<min(due, Self.maxPerTick) {
                let connection = stats.paced[stats.pacedNext % stats.paced.count]
                stats.pacedNext &+= 1
                // The k-th message of this loop is due k / rate seconds after the start.
                let dueAt = started + UInt64(Double(stats.pacedSent) / rate * 1e9)
                if !connection.sendPaced(due: dueAt) { stats.pacedSkipped += 1 }
                stats.pacedSent += 1
            }
            for connection in stats.paced { connection.flushPaced() }
        }
    }
}
