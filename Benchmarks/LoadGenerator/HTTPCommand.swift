import ArgumentParser
import Histogram
import NIOCore

/// `switchboard-bench http`: HTTP/1.1 keep-alive load against one URL (an HTTP or REST API route, or anything
/// else): requests/s, latency percentiles and status counts.
struct HTTPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "HTTP load: C keep-alive connections, closed loop (or R requests/s, open loop); requests/s, latency."
    )

    @Option(help: "URL, http://host:port/path[?query] (no TLS).")
    var url = "http://127.0.0.1:8080/"

    @Option(help: "Request method.")
    var method = "GET"

    @Option(name: .customLong("header"), help: "A request header 'Name: value' (repeatable).")
    var headers: [String] = []

    @Option(help: "Request body (sent with Content-Length).")
    var body: String?

    @Option(name: .shortAndLong, help: "Keep-alive connections, each with one request in flight.")
    var connections = 32

    @Option(help: "Open loop: this many requests/s in all, whatever the answers (default: closed loop).")
    var rate: Double?

    @Option(name: .shortAndLong, help: "Measured seconds (after warm-up).")
    var duration = 10.0

    @Option(help: "Warm-up seconds, not measured.")
    var warmup = 1.0

    @Option(help: "Event loop threads of the load generator.")
    var threads = 1

    @Option(help: "Server process id: report its CPU use over the measured window (/proc/PID/stat).")
    var pid: Int32?

    @Option(help: "Label for this run in the output.")
    var label = "http"

    @Option(help: "Also write the results to this file as JSON.")
    var json: String?

    @Option(help: "Also write a Markdown report (summary table, percentiles, SVG latency chart) to this file.")
    var report: String?

    /// What `--json` receives.
    struct Report: Codable {
        var scenario = "http"
        var label: String
        var url: String
        var method: String
        var connections: Int
        var opened: Int
        var targetRate: Double?
        var threads: Int
        var seconds: Double
        var requests: Int
        var requestsPerSecond: Double
        var latencyMicros: LatencySummary
        var statuses: [String: Int]
        var errors: Int
        var errorReasons: [String: Int]
        var reconnects: Int
        var skipped: Int
        var serverCPUPercent: Double?
        var clientCPUPercent: Double?
    }

    mutating func validate() throws {
        guard HTTPEndpoint(self.url) != nil else { throw ValidationError("--url: expected http://host:port/path") }
        guard self.connections > 0, self.duration > 0, self.warmup >= 0 else {
            throw ValidationError("--connections and --duration must be positive")
        }
        guard (1...256).contains(self.threads) else { throw ValidationError("--threads must be in 1...256") }
        if let rate = self.rate, !(rate > 0) { throw ValidationError("--rate must be positive") }
        for header in self.headers where !header.contains(":") {
            throw ValidationError("--header: expected 'Name: value', got '\(header)'")
        }
        guard self.method.allSatisfy({ $0.isLetter }), !self.method.isEmpty else {
            throw ValidationError("--method: expected a token such as GET or POST")
        }
    }

    func run() async throws {
        guard let endpoint = HTTPEndpoint(self.url) else { throw ExitCode(2) }
        raiseOpenFileLimit()
        let headers = self.headers.map { header -> (String, String) in
            let colon = header.firstIndex(of: ":") ?? header.endIndex
            let value = header[colon...].dropFirst().trimmingSpaces()
            return (String(header[..<colon].trimmingSpaces()), String(value))
        }
        let method = self.method.uppercased()
        let maker = FixedRequest(
            head: HTTPWire.head(method: method, target: endpoint.target, host: endpoint.hostHeader, headers: headers),
            body: Array((self.body ?? "").utf8),
            needsLength: ["POST", "PUT", "PATCH"].contains(method),
            isHead: method == "HEAD"
        )
        let loops = LoopSet(threads: self.threads)
        let load = HTTPLoad(loops: loops.loops, endpoints: [endpoint], maker: maker, deliveredField: nil)
        let progress = ProgressLine(events: "requests/s") {
            let now = await load.progress()
            return ProgressLine.Sample(open: now.open, events: now.completed, errors: now.errors)
        }
        let connected = await load.connect(count: self.connections)
        if !connected.failures.isEmpty { printError("connections failed: \(connected.failures)") }
        guard connected.opened > 0 else {
            await progress.finish()
            await loops.close([])
            throw ExitCode(1)
        }
        try await load.start(rate: self.rate)
        try await Task.sleep(nanoseconds: UInt64(self.warmup * 1e9))
        let started = monotonicNanos() + windowLead
        try await load.setWindow(start: started)
        try await sleep(until: started)
        let cpu = CPUWindow(serverPid: self.pid)
        let ended = started + UInt64(self.duration * 1e9)
        try await sleep(until: ended - windowLead)
        try await load.setWindow(start: started, end: ended)
        try await sleep(until: ended)
        let usage = cpu.finish(seconds: Double(ended - started) / 1e9)
        try await load.stop()
        await load.waitForLastAnswers()
        let summary = try await load.summary()
        await progress.finish()
        await load.close()
        await loops.close([])

        let seconds = Double(ended - started) / 1e9
        let node = summary.nodes[0]
        let report = Report(
            label: self.label,
            url: endpoint.description,
            method: method,
            connections: self.connections,
            opened: connected.opened,
            targetRate: self.rate,
            threads: self.threads,
            seconds: (seconds * 1000).rounded() / 1000,
            requests: node.requests,
            requestsPerSecond: (Double(node.requests) / seconds).rounded(),
            latencyMicros: LatencySummary(node.latency),
            statuses: node.statusCounts,
            errors: summary.errors,
            errorReasons: summary.errorReasons,
            reconnects: summary.reconnects,
            skipped: summary.skipped,
            serverCPUPercent: usage.serverPercent,
            clientCPUPercent: usage.clientPercent
        )
        var text = "\(report.label): \(report.method) \(report.url), \(report.opened)/\(report.connections) connections"
        text += report.targetRate.map { ", open loop at \(Int($0)) requests/s" } ?? ", closed loop"
        text += ", \(report.threads) thread(s)\n"
        text += "  requests/s: \(Int(report.requestsPerSecond)) (\(report.requests) in \(report.seconds) s)\n"
        text += "  latency: \(report.latencyMicros.line)\n"
        let statuses = report.statuses.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        text += "  statuses: \(statuses.joined(separator: ", ")); errors: \(report.errors)"
        text += ", reconnects: \(report.reconnects)\n"
        if !report.errorReasons.isEmpty { text += "  errors: \(report.errorReasons)\n" }
        if report.skipped > 0 { text += "  requests skipped (queue full): \(report.skipped)\n" }
        text += usage.lines
        print(text, terminator: "")
        if let path = self.json { try writeJSON(report, to: path) }
        if let path = self.report {
            let series = [LatencyChart.Series(name: "\(method) \(endpoint.target)", histogram: node.latency)]
            try MarkdownReport(scenario: "http", results: report, series: series).write(to: path)
        }
        if report.requests == 0 { throw ExitCode(1) }
    }
}

/// The same request every time (the `http` scenario).
struct FixedRequest: HTTPRequestMaker {
    var head: [UInt8]
    var body: [UInt8]
    var needsLength: Bool
    var isHead: Bool

    func write(number: Int, node: Int, stamp: UInt64, into buffer: inout ByteBuffer) {
        HTTPWire.writeRequest(head: self.head, bodyParts: [self.body], needsLength: self.needsLength, into: &buffer)
    }
}
