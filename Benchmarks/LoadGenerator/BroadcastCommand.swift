import ArgumentParser
import Histogram

/// `switchboard-bench broadcast`: fan-out through Switchboard's `@broadcast` extension (`POST {stage}/@broadcast`
/// sends the body to every connection of the stage and answers `{"delivered":N}`), or through any publish URL
/// that answers with a JSON count of its receivers (nchan: `POST /pub/CHANNEL` with `Accept: text/json` answers
/// `{"subscribers":N,…}`): messages delivered per second at the clients and the fan-out latency, from the post
/// to each client's frame. The receiving connections send nothing.
struct BroadcastCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broadcast",
        abstract: "@broadcast fan-out to N connections: delivered messages/s and fan-out latency at the clients.",
        discussion: """
            Each broadcast's body is 'sbb:0:NUMBER:STAMP:' followed by --message; every client times it from \
            STAMP. Any WebSocket API stage works: the connections only receive. Another server's publish endpoint: \
            --publish-url (used as is) with --header and --delivered-field, e.g. nchan: --url \
            ws://127.0.0.1:8090/sub/bench --publish-url http://127.0.0.1:8090/pub/bench --header 'Accept: text/json' \
            --delivered-field subscribers.
            """
    )

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("broadcast-url"), help: "The stage's management API base: http://host:port/STAGE.")
    var broadcastURL = "http://127.0.0.1:8080/dev"

    @Option(
        name: .customLong("publish-url"),
        help: "POST every broadcast to this URL as is (not {broadcast-url}/@broadcast), e.g. nchan's publisher."
    )
    var publishURL: String?

    @Option(name: .customLong("header"), help: "A header 'Name: value' on every broadcast request (repeatable).")
    var headers: [String] = []

    @Option(
        name: .customLong("delivered-field"),
        help: "JSON field of a 2xx answer that counts the receivers it was sent to (nchan: subscribers)."
    )
    var deliveredField = "delivered"

    @Option(name: .shortAndLong, help: "Receiving WebSocket connections.")
    var connections = 1_000

    @Option(help: "Broadcasts per second (open loop; default: closed loop over --concurrency).")
    var rate: Double?

    @Option(help: "HTTP keep-alive connections for the broadcasts, each with one in flight.")
    var concurrency = 1

    @OptionGroup var window: DeliveryWindowOptions

    @Option(help: "Text after the marker in every broadcast's body.")
    var message = "hello from switchboard-bench"

    @Option(help: "Label for this run in the output.")
    var label = "broadcast"

    /// What `--json` receives.
    struct Report: Codable {
        var scenario = "broadcast"
        var label: String
        var url: String
        var broadcastURL: String
        var connections: Int
        var opened: Int
        var httpConnections: Int
        var targetRate: Double?
        var threads: Int
        var seconds: Double
        var broadcasts: Int
        var broadcastsPerSecond: Double
        var statuses: [String: Int]
        /// POST to HTTP response (the server has queued the message on every connection).
        var broadcastLatencyMicros: LatencySummary
        /// Sum of `delivered` in the answers.
        var deliveredReported: Int
        /// Messages received at the clients for the broadcasts of the window.
        var delivered: UInt64
        var deliveredPerSecond: Double
        /// POST sent (open loop: due) to each client's frame.
        var fanOutLatencyMicros: LatencySummary
        /// `deliveredReported` − `delivered` (lost, or still in flight after --drain).
        var missing: Int
        var errors: Int
        var errorReasons: [String: Int]
        var skipped: Int
        var unmarkedMessages: Int
        var droppedConnections: Int
        var serverCPUPercent: Double?
        var clientCPUPercent: Double?
    }

    mutating func validate() throws {
        guard HTTPEndpoint(self.broadcastURL) != nil else {
            throw ValidationError("--broadcast-url: expected http://host:port/STAGE")
        }
        if let url = self.publishURL, HTTPEndpoint(url) == nil {
            throw ValidationError("--publish-url: expected http://host:port/path[?query]")
        }
        for header in self.headers where !header.contains(":") {
            throw ValidationError("--header: expected 'Name: value', got '\(header)'")
        }
        guard !self.deliveredField.isEmpty, !self.deliveredField.contains("\"") else {
            throw ValidationError("--delivered-field: expected a JSON field name")
        }
        guard self.connections > 0, self.concurrency > 0, self.window.duration > 0, self.window.warmup >= 0,
            self.window.drain >= 0
        else {
            throw ValidationError("--connections, --concurrency and --duration must be positive")
        }
        if let rate = self.rate, !(rate > 0) { throw ValidationError("--rate must be positive") }
    }

    func run() async throws {
        let endpoints = [self.publishURL ?? self.broadcastURL].compactMap(HTTPEndpoint.init)
        let targets = endpoints.map { [self.publishURL == nil ? $0.appending(path: "@broadcast") : $0.target] }
        let headers = self.headers.map { header -> (String, String) in
            let colon = header.firstIndex(of: ":") ?? header.endIndex
            let value = header[colon...].dropFirst().trimmingSpaces()
            return (String(header[..<colon].trimmingSpaces()), String(value))
        }
        let text = self.message
        let run = DeliveryRun(
            common: self.common,
            connections: self.connections,
            whoami: nil,
            endpoints: endpoints,
            httpConnections: self.concurrency,
            rate: self.rate,
            window: self.window,
            deliveredField: self.deliveredField
        ) { _ in
            MarkedPostRequests(endpoints: endpoints, targets: targets, text: text, headers: headers)
        }
        let outcome = try await run.run()
        let seconds = outcome.seconds
        let node = outcome.http.nodes[0]
        let delivered = outcome.allDeliveries
        let report = Report(
            label: self.label,
            url: self.common.url,
            broadcastURL: node.endpoint,
            connections: self.connections,
            opened: outcome.opened,
            httpConnections: outcome.httpOpened,
            targetRate: self.rate,
            threads: self.common.threads,
            seconds: (seconds * 1000).rounded() / 1000,
            broadcasts: node.requests,
            broadcastsPerSecond: (Double(node.requests) / seconds * 10).rounded() / 10,
            statuses: node.statusCounts,
            broadcastLatencyMicros: LatencySummary(node.latency),
            deliveredReported: outcome.http.delivered,
            delivered: delivered.totalCount,
            deliveredPerSecond: (Double(delivered.totalCount) / seconds).rounded(),
            fanOutLatencyMicros: LatencySummary(delivered),
            missing: outcome.http.delivered - Int(delivered.totalCount),
            errors: outcome.http.errors,
            errorReasons: outcome.http.errorReasons,
            skipped: outcome.http.skipped,
            unmarkedMessages: outcome.unmarked,
            droppedConnections: outcome.dropped,
            serverCPUPercent: outcome.usage.serverPercent,
            clientCPUPercent: outcome.usage.clientPercent
        )
        var out = "\(report.label): \(report.url), \(report.opened)/\(report.connections) receivers, "
        out += report.targetRate.map { "\($0) broadcasts/s (open loop)" } ?? "closed loop × \(report.httpConnections)"
        out += ", \(report.threads) thread(s)\n"
        out += "  broadcasts: \(report.broadcasts) in \(report.seconds) s (\(report.broadcastsPerSecond)/s), "
        let statuses = report.statuses.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        out += "statuses: \(statuses.joined(separator: ", "))\n"
        out += "  delivered messages/s: \(Int(report.deliveredPerSecond)) (\(report.delivered) received, "
        out += "\(report.deliveredReported) reported by the server, \(report.missing) missing)\n"
        out += "  fan-out latency: \(report.fanOutLatencyMicros.line)\n"
        out += "  broadcast response: \(report.broadcastLatencyMicros.line)\n"
        out += "  errors: \(report.errors), receivers dropped: \(report.droppedConnections), "
        out += "unmarked messages: \(report.unmarkedMessages)\n"
        if !report.errorReasons.isEmpty { out += "  errors: \(report.errorReasons)\n" }
        if report.skipped > 0 { out += "  broadcasts skipped (queue full): \(report.skipped)\n" }
        out += outcome.usage.lines
        print(out, terminator: "")
        if let path = self.common.json { try writeJSON(report, to: path) }
        if let path = self.common.report {
            let series = [
                LatencyChart.Series(name: "fan-out (post to each client)", histogram: delivered),
                LatencyChart.Series(name: "broadcast HTTP response", histogram: node.latency),
            ]
            try MarkdownReport(scenario: "broadcast", results: report, series: series).write(to: path)
        }
        if report.broadcasts == 0 { throw ExitCode(1) }
    }
}
