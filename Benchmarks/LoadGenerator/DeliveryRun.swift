import ArgumentParser
import Histogram
import NIOCore

/// The measured window of `post` and `broadcast`, and the server whose CPU use is read over it.
struct DeliveryWindowOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Measured seconds (after warm-up).")
    var duration = 10.0

    @Option(help: "Warm-up seconds, not measured.")
    var warmup = 1.0

    @Option(help: "Seconds to wait after the window for the last deliveries.")
    var drain = 2.0

    @Option(help: "Server process id: report its CPU use over the measured window (/proc/PID/stat).")
    var pid: Int32?
}

/// What `post` and `broadcast` share: open M receiving WebSockets (learning their ids with `whoami` when asked),
/// drive an HTTP load of marked messages (``DeliveryMarker``) through the management API, and time every message
/// at the client that receives it. The measured window is the posts stamped between the end of the warm-up and
/// the end of `duration`; after it, the run waits up to `drain` seconds for their last deliveries.
struct DeliveryRun {
    var common: CommonOptions
    var connections: Int
    /// Sent on each connection after its handshake; the answer is the connection's id.
    var whoami: String?
    /// Instead of `whoami`: connection i subscribes to a channel of its own, whose name is its id
    /// (``ConnectionOpener/channelPerConnection``).
    var channelPerConnection = false
    var endpoints: [HTTPEndpoint]
    /// HTTP keep-alive connections in all (spread over the endpoints).
    var httpConnections: Int
    var rate: Double?
    var window: DeliveryWindowOptions
    /// Broadcasts: the JSON field whose number in every 2xx answer is the deliveries it promises (`delivered` for
    /// `@broadcast`); `nil` (`post`): every 200 promises one.
    var deliveredField: String?
    /// The requests, given the learned connection ids (in connection order; empty without `whoami`).
    var makeRequests: ([String]) throws -> any HTTPRequestMaker

    /// What a run measured.
    struct Outcome {
        var opened: Int
        var failures: Int
        var failureReasons: [String: Int]
        var idsLearned: Int
        var httpOpened: Int
        var seconds: Double
        var http: HTTPLoad.Summary
        /// Delivery latency per node, for messages stamped in the window.
        var deliveries: [Histogram<UInt64>]
        /// Messages received without a marker.
        var unmarked: Int
        /// Receiving connections the server closed during the run.
        var dropped: Int
        var usage: CPUWindow.Usage

        /// All nodes' delivery latency together.
        var allDeliveries: Histogram<UInt64> {
            var merged = LoopStats.makeHistogram()
            for histogram in self.deliveries { merged.add(histogram) }
            return merged
        }
    }

    /// A problem that stops the run before it measures anything.
    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    func run() async throws -> Outcome {
        let url = try self.common.parsedURL()
        raiseOpenFileLimit()
        let loops = LoopSet(threads: self.common.threads)
        let opener = ConnectionOpener(
            url: url,
            deflate: self.common.deflate,
            work: .receive(whoami: self.whoami.map { ByteBuffer(string: $0) }),
            concurrency: 64,
            rate: nil,
            sources: self.common.sources,
            channelPerConnection: self.channelPerConnection
        )
        let holder = LoadHolder()
        let progress = ProgressLine(events: "posts/s", secondary: "deliveries/s") {
            let counts = (try? await loops.onEachLoop { ($0.handshakes.totalCount, $0.errors, $0.marked) }) ?? []
            let load = await holder.load
            let http = await load?.progress()
            return ProgressLine.Sample(
                open: counts.map { Int($0.0) - $0.1 }.reduce(0, +),
                events: http?.completed ?? 0,
                secondary: counts.map(\.2).reduce(0, +),
                errors: counts.map(\.1).reduce(0, +) + (http?.errors ?? 0)
            )
        }
        let outcome = await opener.open(count: self.connections, loops: loops.loops, stats: loops.stats)
        if outcome.failures > 0 { printError("\(outcome.failures) connection(s) failed: \(outcome.failureReasons)") }
        var ids: [String] = []
        if self.channelPerConnection {
            ids = outcome.indices.map(ConnectionOpener.channelName)
        } else if self.whoami != nil, !outcome.channels.isEmpty {
            ids = try await self.learnIds(loops: loops, expected: outcome.channels.count).filter { !$0.isEmpty }
            if ids.count < outcome.channels.count {
                printError("only \(ids.count) of \(outcome.channels.count) connections answered whoami with an id")
            }
        }
        let maker: any HTTPRequestMaker
        do {
            maker = try self.makeRequests(ids)
        } catch {
            await progress.finish()
            await loops.close(outcome.channels)
            throw error
        }
        let load = HTTPLoad(
            loops: loops.loops,
            endpoints: self.endpoints,
            maker: maker,
            deliveredField: self.deliveredField
        )
        await holder.set(load)
        let connected = await load.connect(count: self.httpConnections)
        if !connected.failures.isEmpty { printError("HTTP connections failed: \(connected.failures)") }
        try await load.start(rate: self.rate)
        try await Task.sleep(nanoseconds: UInt64(self.window.warmup * 1e9))
        // Each boundary is announced to every loop before it comes, so no request stamped inside the window is
        // answered or delivered on a loop that does not know the window yet.
        let started = monotonicNanos() + windowLead
        try await self.setWindow(load: load, loops: loops, start: started, end: .max)
        try await sleep(until: started)
        let cpu = CPUWindow(serverPid: self.window.pid)
        let ended = started + UInt64(self.window.duration * 1e9)
        try await sleep(until: ended - windowLead)
        try await self.setWindow(load: load, loops: loops, start: started, end: ended)
        try await sleep(until: ended)
        let usage = cpu.finish(seconds: Double(ended - started) / 1e9)
        try await load.stop()
        await load.waitForLastAnswers()
        let http = try await load.summary()
        let deliveries = try await self.waitForDeliveries(loops: loops, expected: self.expected(http))
        let counters = try await loops.onEachLoop { ($0.unmarked, $0.errors) }
        await progress.finish()
        await load.close()
        await loops.close(outcome.channels)
        return Outcome(
            opened: outcome.channels.count,
            failures: outcome.failures,
            failureReasons: outcome.failureReasons,
            idsLearned: ids.count,
            httpOpened: connected.opened,
            seconds: Double(ended - started) / 1e9,
            http: http,
            deliveries: deliveries,
            unmarked: counters.map(\.0).reduce(0, +),
            dropped: counters.map(\.1).reduce(0, +),
            usage: usage
        )
    }

    /// Deliveries the answers promise: the 2xx answers of `@connections` (200) or of a channel publisher (nchan:
    /// 201), or the sum of `"delivered"` (`deliveredField`) for broadcasts.
    private func expected(_ http: HTTPLoad.Summary) -> Int {
        self.deliveredField != nil ? http.delivered : http.nodes.map { $0.count2xx }.reduce(0, +)
    }

    private func setWindow(load: HTTPLoad, loops: LoopSet, start: UInt64, end: UInt64) async throws {
        try await load.setWindow(start: start, end: end)
        _ = try await loops.onEachLoop { stats in
            stats.windowStart = start
            stats.windowEnd = end
        }
    }

    /// Waits until every connection has answered `whoami` (at most 10 s); the ids in connection order per loop.
    private func learnIds(loops: LoopSet, expected: Int) async throws -> [String] {
        let deadline = monotonicNanos() + 10_000_000_000
        while true {
            let ids = try await loops.onEachLoop { $0.connectionIds }.flatMap { $0 }
            if ids.count >= expected || monotonicNanos() > deadline { return ids }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    /// Waits up to `drain` seconds for `expected` deliveries of messages stamped in the window; returns the
    /// delivery histograms per node.
    private func waitForDeliveries(loops: LoopSet, expected: Int) async throws -> [Histogram<UInt64>] {
        let deadline = monotonicNanos() + UInt64(self.window.drain * 1e9)
        while true {
            let parts = try await loops.onEachLoop { $0.deliveries }
            let received = parts.flatMap { $0 }.reduce(0) { $0 + Int($1.totalCount) }
            if received >= expected || monotonicNanos() > deadline {
                return self.endpoints.indices.map { node in
                    var merged = LoopStats.makeHistogram()
                    for part in parts { merged.add(part[node]) }
                    return merged
                }
            }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }
}

/// How far ahead of a window boundary the loops learn it.
let windowLead: UInt64 = 20_000_000

/// Sleeps until ``monotonicNanos()`` reaches `deadline`.
func sleep(until deadline: UInt64) async throws {
    let now = monotonicNanos()
    if deadline > now { try await Task.sleep(nanoseconds: deadline - now) }
}

/// The HTTP load once it exists, for the progress line that starts before it.
private actor LoadHolder {
    var load: HTTPLoad?

    func set(_ load: HTTPLoad) {
        self.load = load
    }
}

/// Requests whose body is a ``DeliveryMarker`` then a fixed text, to one of several targets per node: the
/// `@connections/{id}` paths for `post`, the `@broadcast` path (or a publish URL as is) for `broadcast`.
struct MarkedPostRequests: HTTPRequestMaker {
    /// Per node, the request heads (one per target).
    var heads: [[[UInt8]]]
    var text: [UInt8]
    var isHead: Bool { false }

    /// Heads for `paths[node]` appended to `endpoints[node]`'s path.
    init(endpoints: [HTTPEndpoint], paths: [[String]], text: String) {
        self.init(
            endpoints: endpoints,
            targets: zip(endpoints, paths).map { endpoint, paths in paths.map { endpoint.appending(path: $0) } },
            text: text
        )
    }

    /// Heads for the request targets `targets[node]` (path and query, used as they are) on `endpoints[node]`,
    /// with `headers` after `Host` (a `Content-Type` among them replaces the default `text/plain`).
    init(endpoints: [HTTPEndpoint], targets: [[String]], text: String, headers: [(String, String)] = []) {
        var all = headers
        if !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
            all.insert(("Content-Type", "text/plain; charset=utf-8"), at: 0)
        }
        self.heads = zip(endpoints, targets).map { endpoint, targets in
            targets.map { HTTPWire.head(method: "POST", target: $0, host: endpoint.hostHeader, headers: all) }
        }
        self.text = Array(text.utf8)
    }

    func write(number: Int, node: Int, stamp: UInt64, into buffer: inout ByteBuffer) {
        let targets = self.heads[node]
        let head = targets[(number / self.heads.count) % targets.count]
        let marker = Array(DeliveryMarker.marker(node: node, number: number, stamp: stamp).utf8)
        HTTPWire.writeRequest(head: head, bodyParts: [marker, self.text], needsLength: true, into: &buffer)
    }
}
