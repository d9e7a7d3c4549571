import Histogram
import NIOCore
import NIOPosix

/// The HTTP load of one event loop: its keep-alive connections, the requests waiting for one (open loop), and
/// what the responses said. Closed loop: every connection sends its next request as soon as the last one is
/// answered. Open loop (`rate`): a timer set for when the next request is due (at least 0.1 ms apart) hands every
/// request due by then to an idle connection of its node, or queues it until one is free; latency is timed from
/// when the request was due (as wrk2 does), so a server that falls behind shows it.
// SAFETY: every field is read and written only on `loop` (the load reaches it through `loop.submit`), so there is
// no concurrent access.
final class HTTPLoopDriver: @unchecked Sendable {
    let loop: any EventLoop
    let maker: any HTTPRequestMaker
    private let endpoints: [HTTPEndpoint]
    private let index: Int
    private let loopCount: Int
    /// `"FIELD"`, the quoted JSON key whose number in a 2xx answer counts the deliveries it promises.
    private let deliveredKey: String?

    // MARK: - Results (read by ``HTTPLoad``)

    /// Latency of the requests stamped inside the measured window, per node, in nanoseconds.
    var latency: [Histogram<UInt64>]
    /// Status codes of the responses to requests stamped inside the measured window, per node.
    var statuses: [[Int: Int]]
    /// Sum of `"FIELD":N` in the 2xx answers inside the window (`@broadcast`: `delivered`; nchan: `subscribers`).
    var delivered = 0
    /// Responses received, whatever their stamp (for the progress line).
    var completed = 0
    /// Requests lost to a closed connection, failed connects and unreadable responses.
    var errors = 0
    /// Connections opened again after one closed.
    var reconnects = 0
    /// Open loop: requests that were due but dropped because their node's queue was full.
    var skipped = 0
    /// Connections open now.
    var open = 0
    /// One error message per kind, for the report.
    var errorReasons: [String: Int] = [:]
    /// Only requests stamped in `windowStart..<windowEnd` are recorded.
    var windowStart = UInt64.max
    var windowEnd = UInt64.max
    /// The run is over: send nothing more, do not reconnect.
    var stopping = false

    // MARK: - Load state

    private var started = false
    private var openLoop = false
    private var connections: [HTTPBenchConnection] = []
    private var idle: [[HTTPBenchConnection]]
    private var queue: [[(number: Int, stamp: UInt64)]]
    private var queueHead: [Int]
    private var issued = 0
    private var pacer: Scheduled<Void>?

    /// Shortest gap between two pacer ticks (at high rates one tick sends every request due since the last).
    static let minimumTick: UInt64 = 100_000

    /// Most requests one node's queue holds before due requests are skipped.
    static let maxQueued = 1 << 18

    init(
        loop: any EventLoop,
        index: Int,
        loopCount: Int,
        endpoints: [HTTPEndpoint],
        maker: any HTTPRequestMaker,
        deliveredField: String?
    ) {
        self.loop = loop
        self.index = index
        self.loopCount = loopCount
        self.endpoints = endpoints
        self.maker = maker
        self.deliveredKey = deliveredField.map { "\"\($0)\"" }
        self.latency = endpoints.map { _ in LoopStats.makeHistogram() }
        self.statuses = endpoints.map { _ in [:] }
        self.idle = endpoints.map { _ in [] }
        self.queue = endpoints.map { _ in [] }
        self.queueHead = endpoints.map { _ in 0 }
    }

    /// Opens one connection to endpoint `node` on this loop.
    func connect(node: Int) -> EventLoopFuture<Void> {
        let endpoint = self.endpoints[node]
        return ClientBootstrap(group: self.loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(HTTPBenchConnection(driver: self, node: node))
                }
            }
            .connect(host: endpoint.host, port: endpoint.port)
            .map { _ in }
    }

    /// Starts sending: at `rate` requests/s (open loop), or as fast as the answers come (closed loop, `nil`).
    func start(rate: Double?) {
        self.started = true
        self.openLoop = rate != nil
        guard let rate else {
            for connection in self.connections { self.dispatch(connection) }
            return
        }
        guard rate > 0 else { return }
        let begin = monotonicNanos()
        self.tick(begin: begin, rate: rate)
    }

    /// Stops sending (in-flight requests still complete and are recorded).
    func stop() {
        self.stopping = true
        self.pacer?.cancel()
        self.pacer = nil
    }

    /// Requests sent and not answered yet.
    var inFlightCount: Int { self.connections.reduce(0) { $0 + ($1.inFlight ? 1 : 0) } }

    /// Closes every connection.
    func closeAll() {
        self.stop()
        for connection in self.connections { connection.close() }
    }

    // MARK: - Connection events

    func connectionReady(_ connection: HTTPBenchConnection) {
        self.open += 1
        self.connections.append(connection)
        if self.started { self.dispatch(connection) } else { self.idle[connection.node].append(connection) }
    }

    func connectionClosed(_ connection: HTTPBenchConnection, inFlight: Bool) {
        self.open -= 1
        self.connections.removeAll { $0 === connection }
        self.idle[connection.node].removeAll { $0 === connection }
        guard !self.stopping else { return }
        if inFlight { self.fail("connection closed with a request in flight") }
        self.reconnect(node: connection.node)
    }

    func malformed(_ error: any Error) {
        self.fail("\(error)")
    }

    func responded(_ connection: HTTPBenchConnection, status: Int, body: ByteBuffer, stamp: UInt64) {
        self.completed += 1
        if stamp >= self.windowStart, stamp < self.windowEnd {
            let now = monotonicNanos()
            self.latency[connection.node].record(now > stamp ? now - stamp : 0)
            self.statuses[connection.node][status, default: 0] += 1
            if let key = self.deliveredKey, (200..<300).contains(status) {
                self.delivered += Self.deliveredCount(in: body, key: key)
            }
        }
        self.dispatch(connection)
    }

    // MARK: - Sending

    /// Gives `connection` its next request: a new one in a closed loop, the oldest queued one in an open loop;
    /// otherwise it waits in the idle list.
    private func dispatch(_ connection: HTTPBenchConnection) {
        guard !self.stopping, connection.isUsable else { return }
        let node = connection.node
        if !self.openLoop, self.started {
            let number = self.issued * self.loopCount + self.index
            self.issued += 1
            _ = connection.send(number: number, stamp: monotonicNanos())
        } else if self.queueHead[node] < self.queue[node].count {
            let request = self.queue[node][self.queueHead[node]]
            self.queueHead[node] += 1
            if self.queueHead[node] == self.queue[node].count {
                self.queue[node].removeAll(keepingCapacity: true)
                self.queueHead[node] = 0
            }
            _ = connection.send(number: request.number, stamp: request.stamp)
        } else {
            self.idle[node].append(connection)
        }
    }

    /// Sends every request due by now (request k is due k / rate seconds after `begin`), then schedules the next
    /// tick for when the next one is due, at least ``minimumTick`` from now.
    private func tick(begin: UInt64, rate: Double) {
        guard !self.stopping else { return }
        let now = monotonicNanos()
        let due = Int(Double(now - begin) / 1e9 * rate) + 1 - self.issued
        for _ in 0..<min(max(due, 0), OpenLoopPacer.maxPerTick) {
            let node = self.issued % self.endpoints.count
            let number = self.issued * self.loopCount + self.index
            let stamp = begin + UInt64(Double(self.issued) / rate * 1e9)
            self.issued += 1
            if let connection = self.idle[node].popLast(), connection.send(number: number, stamp: stamp) {
                continue
            }
            if self.queue[node].count - self.queueHead[node] < Self.maxQueued {
                self.queue[node].append((number, stamp))
            } else {
                self.skipped += 1
            }
        }
        let next = max(begin + UInt64(Double(self.issued) / rate * 1e9), monotonicNanos() + Self.minimumTick)
        self.pacer = self.loop.scheduleTask(deadline: .uptimeNanoseconds(next)) { self.tick(begin: begin, rate: rate) }
    }

    private func reconnect(node: Int) {
        guard !self.stopping else { return }
        self.reconnects += 1
        self.connect(node: node).whenFailure { error in
            self.fail("connect: \(error)")
            // Try again shortly: the server may be restarting or out of file descriptors.
            _ = self.loop.scheduleTask(in: .milliseconds(100)) { self.reconnect(node: node) }
        }
    }

    private func fail(_ reason: String) {
        self.errors += 1
        if self.errorReasons.count < 8 || self.errorReasons[reason] != nil {
            self.errorReasons[reason, default: 0] += 1
        }
    }

    /// `N` in a body such as `{"delivered":N}` (`key` is the quoted field name); 0 when there is none.
    static func deliveredCount(in body: ByteBuffer, key: String = "\"delivered\"") -> Int {
        let text = String(decoding: body.readableBytesView, as: UTF8.self)
        guard let key = text.firstRange(of: key) else { return 0 }
        let digits = text[key.upperBound...].drop { $0 == " " || $0 == ":" }.prefix { $0.isNumber }
        return Int(digits) ?? 0
    }
}
