import ArgumentParser
import Histogram
import NIOCore

/// `switchboard-bench echo`: closed-loop round trips through an echoing WebSocket endpoint.
struct EchoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo",
        abstract: "Echo: M connections, K messages in flight each (or R messages/s, open loop); messages/s and latency."
    )

    @OptionGroup var common: CommonOptions

    @Option(name: .shortAndLong, help: "Concurrent connections.")
    var connections = 64

    @Option(name: .shortAndLong, help: "Measured seconds (after warm-up).")
    var duration = 10.0

    @Option(help: "Warm-up seconds, not measured.")
    var warmup = 2.0

    @Option(help: "Text message to send; the answer must be identical.")
    var message = #"{"action":"echo","data":"hello, switchboard"}"#

    @Option(help: "Messages in flight per connection.")
    var pipeline = 1

    @Option(help: "Label for this run in the output (e.g. the server's name).")
    var label = "echo"

    @Option(help: "Server process id: report its CPU use over the measured window (/proc/PID/stat).")
    var pid: Int32?

    @Option(help: "Open loop: send this many messages/s in all, spread over the connections (ignores --pipeline).")
    var rate: Double?

    @Option(help: "Also print messages/s and latency every S seconds of the measured window.")
    var interval: Double?

    /// One `--interval` report.
    struct Interval: Codable {
        /// Seconds since the start of the measured window, at the end of this interval.
        var elapsed: Double
        /// Seconds since 1970 at the end of this interval (to line up with samples taken by other tools).
        var endedAt: Double
        var seconds: Double
        var messages: UInt64
        var messagesPerSecond: Double
        var latencyMicros: LatencySummary
    }

    /// What `--json` receives.
    struct Report: Codable {
        var scenario = "echo"
        var label: String
        var url: String
        var connections: Int
        var opened: Int
        var pipeline: Int
        var targetRate: Double?
        var threads: Int
        var deflateOffered: Bool
        var deflateAccepted: Int
        var messageBytes: Int
        var seconds: Double
        var messages: UInt64
        var messagesPerSecond: Double
        var latencyMicros: LatencySummary
        var errors: Int
        var verified: Int
        var mismatches: Int
        var pacedSkipped: Int
        var intervals: [Interval]
        var serverCPUPercent: Double?
        var messagesPerServerCPUSecond: Double?
        var clientCPUPercent: Double?
    }

    mutating func validate() throws {
        guard self.connections > 0, self.pipeline > 0, self.duration > 0 else {
            throw ValidationError("--connections, --pipeline and --duration must be positive")
        }
        if let rate = self.rate, !(rate > 0) { throw ValidationError("--rate must be positive") }
        if let interval = self.interval, !(interval > 0) { throw ValidationError("--interval must be positive") }
    }

    func run() async throws {
        let url = try self.common.parsedURL()
        raiseOpenFileLimit()
        let loops = LoopSet(threads: self.common.threads)
        let message = ByteBuffer(string: self.message)
        let opener = ConnectionOpener(
            url: url,
            deflate: self.common.deflate,
            work: self.rate == nil ? .echo(message: message, pipeline: self.pipeline) : .paced(message: message),
            concurrency: 64,
            rate: nil,
            sources: self.common.sources
        )
        let progress = ProgressLine(events: "msgs/s") {
            let counts = (try? await loops.onEachLoop { ($0.handshakes.totalCount, $0.errors, $0.received) }) ?? []
            return ProgressLine.Sample(
                open: counts.map { Int($0.0) - $0.1 }.reduce(0, +),
                events: counts.map(\.2).reduce(0, +),
                errors: counts.map(\.1).reduce(0, +)
            )
        }
        let outcome = await opener.open(count: self.connections, loops: loops.loops, stats: loops.stats)
        if outcome.failures > 0 {
            printError("\(outcome.failures) connection(s) failed: \(outcome.failureReasons)")
        }
        guard !outcome.channels.isEmpty else {
            await progress.finish()
            await loops.close(outcome.channels)
            throw ExitCode(1)
        }
        var pacers: [RepeatedTask] = []
        if let rate = self.rate {
            // Each loop sends its share of the rate, in proportion to the connections it holds.
            let opened = Double(outcome.channels.count)
            for (loop, stats) in zip(loops.loops, loops.stats) {
                pacers.append(
                    try await loop.submit {
                        OpenLoopPacer.start(on: loop, stats: stats, rate: rate * Double(stats.paced.count) / opened)
                    }.get()
                )
            }
        }
        try await Task.sleep(nanoseconds: UInt64(self.warmup * 1e9))
        let selfPid = ProcessProbe.ownPid
        let serverCPUBefore = self.pid.flatMap { ProcessProbe.cpuSeconds(pid: $0) }
        let clientCPUBefore = ProcessProbe.cpuSeconds(pid: selfPid)
        let started = monotonicNanos()
        _ = try await loops.onEachLoop { $0.startRecording() }
        let intervals = try await self.measure(loops: loops, started: started)
        let histograms = try await loops.onEachLoop { stats -> Histogram<UInt64> in
            stats.recording = false
            return stats.roundTrips
        }
        let seconds = Double(monotonicNanos() - started) / 1e9
        for pacer in pacers { pacer.cancel() }
        let serverCPUAfter = self.pid.flatMap { ProcessProbe.cpuSeconds(pid: $0) }
        let clientCPUAfter = ProcessProbe.cpuSeconds(pid: selfPid)
        let counters = try await loops.onEachLoop { ($0.errors, $0.verified, $0.mismatches, $0.mismatchExample) }
        let skipped = try await loops.onEachLoop { $0.pacedSkipped }.reduce(0, +)
        await progress.finish()
        await loops.close(outcome.channels)

        var merged = LoopStats.makeHistogram()
        for histogram in histograms { merged.add(histogram) }
        let messages = merged.totalCount
        var report = Report(
            label: self.label,
            url: url.description,
            connections: self.connections,
            opened: outcome.channels.count,
            pipeline: self.pipeline,
            targetRate: self.rate,
            threads: self.common.threads,
            deflateOffered: self.common.deflate,
            deflateAccepted: outcome.deflateAccepted,
            messageBytes: self.message.utf8.count,
            seconds: seconds,
            messages: messages,
            messagesPerSecond: (Double(messages) / seconds).rounded(),
            latencyMicros: LatencySummary(merged),
            errors: counters.map(\.0).reduce(0, +),
            verified: counters.map(\.1).reduce(0, +),
            mismatches: counters.map(\.2).reduce(0, +),
            pacedSkipped: skipped,
            intervals: intervals
        )
        if let before = serverCPUBefore, let after = serverCPUAfter {
            let cpu = after - before
            report.serverCPUPercent = (cpu / seconds * 1000).rounded() / 10
            report.messagesPerServerCPUSecond = cpu > 0 ? (Double(messages) / cpu).rounded() : nil
        }
        if let before = clientCPUBefore, let after = clientCPUAfter {
            report.clientCPUPercent = ((after - before) / seconds * 1000).rounded() / 10
        }
        self.print(report)
        if let example = counters.compactMap(\.3).first {
            printError("answers differ from the message sent; one was: \(example)")
        }
        if let path = self.common.json { try writeJSON(report, to: path) }
        if let path = self.common.report {
            let series = [LatencyChart.Series(name: "\(self.label): round trip", histogram: merged)]
            try MarkdownReport(scenario: "echo", results: report, series: series).write(to: path)
        }
        if report.mismatches > 0 || messages == 0 { throw ExitCode(1) }
    }

    /// Waits out `--duration`, printing and collecting a report every `--interval` seconds if asked.
    private func measure(loops: LoopSet, started: UInt64) async throws -> [Interval] {
        guard let interval = self.interval else {
            try await Task.sleep(nanoseconds: UInt64(self.duration * 1e9))
            return []
        }
        var intervals: [Interval] = []
        var previous = started
        let end = started + UInt64(self.duration * 1e9)
        while previous < end {
            let due = min(previous + UInt64(interval * 1e9), end)
            let now = monotonicNanos()
            if due > now { try await Task.sleep(nanoseconds: due - now) }
            let histograms = try await loops.onEachLoop { stats -> Histogram<UInt64> in
                defer { stats.intervalTrips.reset() }
                return stats.intervalTrips
            }
            let taken = monotonicNanos()
            var merged = LoopStats.makeHistogram()
            for histogram in histograms { merged.add(histogram) }
            let seconds = Double(taken - previous) / 1e9
            let report = Interval(
                elapsed: (Double(taken - started) / 1e7).rounded() / 100,
                endedAt: epochSeconds(),
                seconds: seconds,
                messages: merged.totalCount,
                messagesPerSecond: (Double(merged.totalCount) / seconds).rounded(),
                latencyMicros: LatencySummary(merged)
            )
            intervals.append(report)
            printFlushed(
                "  [\(report.elapsed) s] \(Int(report.messagesPerSecond)) msgs/s, \(report.latencyMicros.line)"
            )
            previous = taken
        }
        return intervals
    }

    private func print(_ report: Report) {
        var text = "\(report.label): \(report.url), \(report.opened)/\(report.connections) connections"
        if let rate = report.targetRate {
            text += ", open loop at \(Int(rate)) msgs/s, \(report.threads) thread(s)"
        } else {
            text += " × \(report.pipeline) in flight, \(report.threads) thread(s)"
        }
        text += report.deflateOffered ? ", deflate offered (accepted by \(report.deflateAccepted))\n" : "\n"
        text += "  messages/s: \(Int(report.messagesPerSecond)) (\(report.messages) round trips in "
        text += "\((report.seconds * 100).rounded() / 100) s)\n"
        text += "  latency: \(report.latencyMicros.line)\n"
        text +=
            "  errors: \(report.errors), first answers verified: \(report.verified), mismatches: \(report.mismatches)\n"
        if report.pacedSkipped > 0 {
            text += "  sends skipped (closed or backlogged connections): \(report.pacedSkipped)\n"
        }
        if let cpu = report.serverCPUPercent {
            text += "  server CPU: \(cpu)% of one core"
            if let perCPU = report.messagesPerServerCPUSecond { text += ", \(Int(perCPU)) messages per CPU-second" }
            text += "\n"
        }
        if let cpu = report.clientCPUPercent { text += "  load generator CPU: \(cpu)% of one core\n" }
        Swift.print(text, terminator: "")
    }
}
