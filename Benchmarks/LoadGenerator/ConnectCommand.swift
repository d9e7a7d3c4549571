import ArgumentParser
import Histogram

/// `switchboard-bench connect`: opens many idle WebSockets; handshake rate and latency, and the server's
/// resident memory per idle connection.
struct ConnectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect",
        abstract: "Open N idle connections: handshakes/s, handshake latency, and server RSS per connection (--pid)."
    )

    @OptionGroup var common: CommonOptions

    @Option(name: .shortAndLong, help: "Connections to open.")
    var connections = 1_000

    @Option(help: "New connections per second (default: as fast as --concurrency allows).")
    var rate: Double?

    @Option(help: "Handshakes in flight at once.")
    var concurrency = 64

    @Option(help: "Seconds to keep the connections open and idle after the measurement.")
    var hold = 0.0

    @Option(help: "Seconds to wait after the last handshake before reading the server's RSS.")
    var settle = 2.0

    @Option(help: "Server process id: read its VmRSS (/proc/PID/status) before and after.")
    var pid: Int32?

    @Option(help: "Label for this run in the output.")
    var label = "connect"

    /// What `--json` receives.
    struct Report: Codable {
        var scenario = "connect"
        var label: String
        var url: String
        var connections: Int
        var opened: Int
        var failures: Int
        var failureReasons: [String: Int]
        var deflateOffered: Bool
        var deflateAccepted: Int
        var seconds: Double
        var handshakesPerSecond: Double
        var handshakeLatencyMicros: LatencySummary
        var rssBeforeKB: Int?
        var rssAfterKB: Int?
        var rssAnonBeforeKB: Int?
        var rssAnonAfterKB: Int?
        var rssPerConnectionKB: Double?
        var rssAnonPerConnectionKB: Double?
        var droppedWhileIdle: Int
    }

    mutating func validate() throws {
        guard self.connections > 0, self.concurrency > 0 else {
            throw ValidationError("--connections and --concurrency must be positive")
        }
        if let rate = self.rate, rate <= 0 { throw ValidationError("--rate must be positive") }
    }

    func run() async throws {
        let url = try self.common.parsedURL()
        let limit = raiseOpenFileLimit()
        if limit >= 0, limit < self.connections + 64 {
            printError("warning: open-file limit \(limit) is below --connections \(self.connections); raise ulimit -n")
        }
        let before = self.pid.flatMap { ProcessProbe.memory(pid: $0) }
        if self.pid != nil, before == nil { printError("warning: cannot read /proc/\(self.pid ?? 0)/status") }
        let loops = LoopSet(threads: self.common.threads)
        let opener = ConnectionOpener(
            url: url,
            deflate: self.common.deflate,
            work: .idle,
            concurrency: self.concurrency,
            rate: self.rate,
            sources: self.common.sources
        )
        let progress = ProgressLine(events: "handshakes/s") {
            let counts = (try? await loops.onEachLoop { ($0.handshakes.totalCount, $0.errors) }) ?? []
            let handshakes = counts.map { Int($0.0) }.reduce(0, +)
            let errors = counts.map(\.1).reduce(0, +)
            return ProgressLine.Sample(open: handshakes - errors, events: handshakes, errors: errors)
        }
        let outcome = await opener.open(count: self.connections, loops: loops.loops, stats: loops.stats)
        if self.pid != nil { try await Task.sleep(nanoseconds: UInt64(self.settle * 1e9)) }
        let after = self.pid.flatMap { ProcessProbe.memory(pid: $0) }
        let histograms = try await loops.onEachLoop { $0.handshakes }
        var merged = LoopStats.makeHistogram()
        for histogram in histograms { merged.add(histogram) }

        let opened = outcome.channels.count
        var report = Report(
            label: self.label,
            url: url.description,
            connections: self.connections,
            opened: opened,
            failures: outcome.failures,
            failureReasons: outcome.failureReasons,
            deflateOffered: self.common.deflate,
            deflateAccepted: outcome.deflateAccepted,
            seconds: (outcome.seconds * 1000).rounded() / 1000,
            handshakesPerSecond: (Double(opened) / outcome.seconds).rounded(),
            handshakeLatencyMicros: LatencySummary(merged),
            rssBeforeKB: before?.vmRSS,
            rssAfterKB: after?.vmRSS,
            rssAnonBeforeKB: before?.rssAnon,
            rssAnonAfterKB: after?.rssAnon,
            droppedWhileIdle: 0
        )
        if let before, let after, opened > 0 {
            report.rssPerConnectionKB = (Double(after.vmRSS - before.vmRSS) / Double(opened) * 100).rounded() / 100
            report.rssAnonPerConnectionKB =
                (Double(after.rssAnon - before.rssAnon) / Double(opened) * 100).rounded() / 100
        }
        if self.hold > 0 { try await Task.sleep(nanoseconds: UInt64(self.hold * 1e9)) }
        report.droppedWhileIdle = try await loops.onEachLoop { $0.errors }.reduce(0, +)
        await progress.finish()
        await loops.close(outcome.channels)
        self.print(report)
        if let path = self.common.json { try writeJSON(report, to: path) }
        if let path = self.common.report {
            let series = [LatencyChart.Series(name: "\(self.label): handshake (TCP connect to 101)", histogram: merged)]
            try MarkdownReport(scenario: "connect", results: report, series: series).write(to: path)
        }
        if opened == 0 { throw ExitCode(1) }
    }

    private func print(_ report: Report) {
        var text = "\(report.label): \(report.url), \(report.opened)/\(report.connections) connections opened"
        text += " in \(report.seconds) s (\(Int(report.handshakesPerSecond)) handshakes/s), \(report.failures) failed"
        text += report.deflateOffered ? ", deflate accepted by \(report.deflateAccepted)\n" : "\n"
        if !report.failureReasons.isEmpty { text += "  failures: \(report.failureReasons)\n" }
        text += "  handshake latency: \(report.handshakeLatencyMicros.line)\n"
        if let before = report.rssBeforeKB, let after = report.rssAfterKB, let perConnection = report.rssPerConnectionKB
        {
            text += "  server RSS: \(before) KB before, \(after) KB with \(report.opened) idle connections: "
            text += "\(perConnection) KB per connection"
            if let anon = report.rssAnonPerConnectionKB { text += " (anonymous: \(anon) KB)" }
            text += "\n"
        }
        if report.droppedWhileIdle > 0 { text += "  dropped while idle: \(report.droppedWhileIdle)\n" }
        Swift.print(text, terminator: "")
    }
}
