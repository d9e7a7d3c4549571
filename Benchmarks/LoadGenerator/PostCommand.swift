import ArgumentParser
import Histogram

/// `switchboard-bench post`: `@connections` post-to-connection load through the management API, on the node that
/// holds the connections and (with `--post-url2`) through another node of the cluster, timed from the post to
/// the frame at the receiving client.
struct PostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post",
        abstract: "@connections posts: posts/s, statuses, delivery latency at the clients (same node and cross-node).",
        discussion: """
            The WebSocket API at --url needs a two-way route that tells a connection its id, by default a MOCK \
            'whoami' route with the response template {"connectionId":"$context.connectionId"} \
            (routeResponseSelectionExpression: $default). Each post's body is 'sbb:NODE:NUMBER:STAMP:' followed \
            by --message; the clients time it from STAMP. With --channels the same load runs against a server that \
            addresses channels instead (nginx with nchan): connection i subscribes at --url/c<i> and its posts go \
            to --post-url/c<i>.
            """
    )

    @OptionGroup var common: CommonOptions

    @Option(
        name: .customLong("post-url"),
        help: "Management API base of the node holding the connections: http://host:port/STAGE."
    )
    var postURL = "http://127.0.0.1:8080/dev"

    @Option(
        name: .customLong("post-url2"),
        help: "A second node's management API base (cross-node): posts alternate between the two."
    )
    var postURL2: String?

    @Option(name: .shortAndLong, help: "Receiving WebSocket connections (posts go round-robin over them).")
    var connections = 64

    @Option(help: "Open loop: this many posts/s in all (default: closed loop over --concurrency).")
    var rate: Double?

    @Option(help: "HTTP keep-alive connections for the posts, each with one post in flight.")
    var concurrency = 16

    @OptionGroup var window: DeliveryWindowOptions

    @Option(help: "Text after the marker in every post's body.")
    var message = "hello from switchboard-bench"

    @Option(help: "Message each connection sends first; the answer carries its id (connectionId, or the whole text).")
    var whoami = #"{"action":"whoami"}"#

    @Flag(help: "No whoami: connection i subscribes at URL/c<i>, posts go to POST-URL/c<i> (nchan-style channels).")
    var channels = false

    @Option(help: "Label for this run in the output.")
    var label = "post"

    /// One node's results.
    struct NodeReport: Codable {
        var postURL: String
        var posts: Int
        var postsPerSecond: Double
        var status200: Int
        var status410: Int
        var status429: Int
        var statusOther: Int
        var statuses: [String: Int]
        /// POST to HTTP response.
        var postLatencyMicros: LatencySummary
        /// Messages received at the clients for this node's posts in the window.
        var delivered: UInt64
        var deliveriesPerSecond: Double
        /// POST sent (open loop: due) to frame received.
        var deliveryLatencyMicros: LatencySummary
        /// 200 answers minus deliveries (messages lost or still in flight after --drain).
        var undelivered: Int
    }

    /// What `--json` receives.
    struct Report: Codable {
        var scenario = "post"
        var label: String
        var url: String
        var crossNode: Bool
        var connections: Int
        var opened: Int
        var connectionIdsLearned: Int
        var httpConnections: Int
        var httpOpened: Int
        var targetRate: Double?
        var threads: Int
        var seconds: Double
        var posts: Int
        var postsPerSecond: Double
        var deliveriesPerSecond: Double
        var deliveryLatencyMicros: LatencySummary
        var nodes: [NodeReport]
        var errors: Int
        var errorReasons: [String: Int]
        var reconnects: Int
        var skipped: Int
        var unmarkedMessages: Int
        var droppedConnections: Int
        var serverCPUPercent: Double?
        var clientCPUPercent: Double?
    }

    mutating func validate() throws {
        guard HTTPEndpoint(self.postURL) != nil else {
            throw ValidationError("--post-url: expected http://host:port/STAGE")
        }
        if let second = self.postURL2, HTTPEndpoint(second) == nil {
            throw ValidationError("--post-url2: expected http://host:port/STAGE")
        }
        guard self.connections > 0, self.concurrency > 0, self.window.duration > 0, self.window.warmup >= 0,
            self.window.drain >= 0
        else {
            throw ValidationError("--connections, --concurrency and --duration must be positive")
        }
        if let rate = self.rate, !(rate > 0) { throw ValidationError("--rate must be positive") }
    }

    func run() async throws {
        let endpoints = ([self.postURL] + (self.postURL2.map { [$0] } ?? [])).compactMap(HTTPEndpoint.init)
        let text = self.message
        let run = DeliveryRun(
            common: self.common,
            connections: self.connections,
            whoami: self.channels ? nil : self.whoami,
            channelPerConnection: self.channels,
            endpoints: endpoints,
            httpConnections: max(self.concurrency, endpoints.count),
            rate: self.rate,
            window: self.window,
            deliveredField: nil
        ) { ids in
            guard !ids.isEmpty else {
                throw DeliveryRun.SetupError(description: "no connection id learned: is there a whoami route?")
            }
            let prefix = self.channels ? "" : "@connections/"
            let paths = ids.map { prefix + DeliveryMarker.percentEncode($0) }
            return MarkedPostRequests(endpoints: endpoints, paths: endpoints.map { _ in paths }, text: text)
        }
        let outcome: DeliveryRun.Outcome
        do {
            outcome = try await run.run()
        } catch let error as DeliveryRun.SetupError {
            printError("post: \(error)")
            throw ExitCode(1)
        }
        let seconds = outcome.seconds
        func perSecond(_ count: Int) -> Double { (Double(count) / seconds).rounded() }
        let nodes = zip(outcome.http.nodes, outcome.deliveries).map { node, deliveries in
            NodeReport(
                postURL: node.endpoint,
                posts: node.requests,
                postsPerSecond: perSecond(node.requests),
                status200: node.count(200),
                status410: node.count(410),
                status429: node.count(429),
                statusOther: node.countOther(than: [200, 410, 429]),
                statuses: node.statusCounts,
                postLatencyMicros: LatencySummary(node.latency),
                delivered: deliveries.totalCount,
                deliveriesPerSecond: perSecond(Int(deliveries.totalCount)),
                deliveryLatencyMicros: LatencySummary(deliveries),
                undelivered: node.count2xx - Int(deliveries.totalCount)
            )
        }
        let posts = nodes.map(\.posts).reduce(0, +)
        let report = Report(
            label: self.label,
            url: self.common.url,
            crossNode: endpoints.count > 1,
            connections: self.connections,
            opened: outcome.opened,
            connectionIdsLearned: outcome.idsLearned,
            httpConnections: max(self.concurrency, endpoints.count),
            httpOpened: outcome.httpOpened,
            targetRate: self.rate,
            threads: self.common.threads,
            seconds: (seconds * 1000).rounded() / 1000,
            posts: posts,
            postsPerSecond: perSecond(posts),
            deliveriesPerSecond: perSecond(Int(outcome.allDeliveries.totalCount)),
            deliveryLatencyMicros: LatencySummary(outcome.allDeliveries),
            nodes: nodes,
            errors: outcome.http.errors,
            errorReasons: outcome.http.errorReasons,
            reconnects: outcome.http.reconnects,
            skipped: outcome.http.skipped,
            unmarkedMessages: outcome.unmarked,
            droppedConnections: outcome.dropped,
            serverCPUPercent: outcome.usage.serverPercent,
            clientCPUPercent: outcome.usage.clientPercent
        )
        self.print(report, usage: outcome.usage)
        if let path = self.common.json { try writeJSON(report, to: path) }
        if let path = self.common.report {
            var series: [LatencyChart.Series] = []
            for (index, (node, deliveries)) in zip(outcome.http.nodes, outcome.deliveries).enumerated() {
                let name = endpoints.count > 1 ? (index == 0 ? "same node" : "cross-node") : "post"
                series.append(LatencyChart.Series(name: "\(name): delivery", histogram: deliveries))
                series.append(LatencyChart.Series(name: "\(name): HTTP response", histogram: node.latency))
            }
            try MarkdownReport(scenario: "post", results: report, series: series).write(to: path)
        }
        if posts == 0 { throw ExitCode(1) }
    }

    private func print(_ report: Report, usage: CPUWindow.Usage) {
        var text = "\(report.label): \(report.url), \(report.opened)/\(report.connections) receivers"
        text += " (\(report.connectionIdsLearned) ids), \(report.httpOpened) HTTP connections"
        text += report.targetRate.map { ", open loop at \(Int($0)) posts/s" } ?? ", closed loop"
        text += ", \(report.threads) thread(s)\n"
        text += "  posts/s: \(Int(report.postsPerSecond)) (\(report.posts) in \(report.seconds) s), "
        text += "deliveries/s: \(Int(report.deliveriesPerSecond))\n"
        for (index, node) in report.nodes.enumerated() {
            let name = report.crossNode ? (index == 0 ? "same node " : "cross-node ") : ""
            text += "  \(name)\(node.postURL): \(Int(node.postsPerSecond)) posts/s, 200: \(node.status200), "
            text += "410: \(node.status410), 429: \(node.status429), other: \(node.statusOther)\n"
            text += "    delivery: \(node.deliveryLatencyMicros.line)\n"
            text += "    response: \(node.postLatencyMicros.line)\n"
            if node.undelivered != 0 { text += "    200 answers without a delivery: \(node.undelivered)\n" }
        }
        text += "  errors: \(report.errors), reconnects: \(report.reconnects), receivers dropped: "
        text += "\(report.droppedConnections), unmarked messages: \(report.unmarkedMessages)\n"
        if !report.errorReasons.isEmpty { text += "  errors: \(report.errorReasons)\n" }
        if report.skipped > 0 { text += "  posts skipped (queue full): \(report.skipped)\n" }
        text += usage.lines
        Swift.print(text, terminator: "")
    }
}
