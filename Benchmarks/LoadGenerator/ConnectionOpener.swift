import NIOCore
import NIOPosix

/// Opens many client WebSockets over the loops of an event loop group, at a bounded rate and concurrency,
/// each from one of several loopback source addresses.
struct ConnectionOpener: Sendable {
    var url: WebSocketURL
    var deflate: Bool
    var work: ConnectionWork
    /// Handshakes in flight at once.
    var concurrency: Int
    /// New connections per second; `nil` means as fast as `concurrency` allows.
    var rate: Double?
    /// Source addresses 127.0.0.1 ... 127.0.0.`sources`; 0 lets the kernel choose.
    var sources: Int
    /// Connection i opens the URL's path plus `/c<i>` (``channelName(_:)``): a channel of its own on servers that
    /// address channels rather than connection ids (nchan).
    var channelPerConnection = false

    /// The channel connection `index` subscribes to with ``channelPerConnection``.
    static func channelName(_ index: Int) -> String { "c\(index)" }

    /// The open connections and what the servers answered.
    struct Outcome: Sendable {
        var channels: [any Channel] = []
        /// Each open channel's connection index (its position among the connections asked for).
        var indices: [Int] = []
        var failures = 0
        var failureReasons: [String: Int] = [:]
        var deflateAccepted = 0
        var seconds: Double = 0
    }

    /// Opens `count` connections, spreading them round-robin over `loops` with matching `stats`.
    func open(count: Int, loops: [any EventLoop], stats: [LoopStats]) async -> Outcome {
        let started = monotonicNanos()
        var outcome = Outcome()
        outcome.channels.reserveCapacity(count)
        await withTaskGroup(of: (Int, Result<(any Channel, WebSocketWire.UpgradeResponse), any Error>).self) { group in
            var next = 0
            var running = 0
            func record(_ indexed: (Int, Result<(any Channel, WebSocketWire.UpgradeResponse), any Error>)) {
                let (index, result) = indexed
                switch result {
                case .success(let (channel, response)):
                    outcome.channels.append(channel)
                    outcome.indices.append(index)
                    if response.deflate { outcome.deflateAccepted += 1 }
                case .failure(let error):
                    outcome.failures += 1
                    outcome.failureReasons["\(error)", default: 0] += 1
                }
            }
            while next < count {
                if running >= self.concurrency, let result = await group.next() {
                    running -= 1
                    record(result)
                }
                if let rate = self.rate {
                    let due = started + UInt64(Double(next) / rate * 1e9)
                    let now = monotonicNanos()
                    if due > now { try? await Task.sleep(nanoseconds: due - now) }
                }
                let index = next
                let loop = loops[index % loops.count]
                let loopStats = stats[index % stats.count]
                group.addTask { (index, await self.openOne(index: index, loop: loop, stats: loopStats)) }
                next += 1
                running += 1
            }
            for await result in group { record(result) }
        }
        outcome.seconds = Double(monotonicNanos() - started) / 1e9
        return outcome
    }

    private func openOne(
        index: Int,
        loop: any EventLoop,
        stats: LoopStats
    ) async -> Result<(any Channel, WebSocketWire.UpgradeResponse), any Error> {
        let handshake = loop.makePromise(of: WebSocketWire.UpgradeResponse.self)
        var url = self.url
        if self.channelPerConnection {
            url.path += (url.path.hasSuffix("/") ? "" : "/") + Self.channelName(index)
        }
        let deflate = self.deflate
        let work = self.work
        var bootstrap = ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = BenchConnection(
                        url: url,
                        deflate: deflate,
                        work: work,
                        stats: stats,
                        handshake: handshake
                    )
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        if self.sources > 0 {
            do {
                let source = try SocketAddress(ipAddress: "127.0.0.\(1 + index % self.sources)", port: 0)
                bootstrap = bootstrap.bind(to: source)
            } catch {
                handshake.fail(error)
                return .failure(error)
            }
        }
        do {
            let channel = try await bootstrap.connect(host: url.host, port: url.port).get()
            do {
                let response = try await handshake.futureResult.get()
                return .success((channel, response))
            } catch {
                try? await channel.close()
                return .failure(error)
            }
        } catch {
            handshake.fail(error)
            return .failure(error)
        }
    }
}

/// The event loops of a group, each with its stats object.
struct LoopSet: Sendable {
    let group: MultiThreadedEventLoopGroup
    let loops: [any EventLoop]
    let stats: [LoopStats]

    init(threads: Int) {
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(threads, 1))
        self.loops = Array(self.group.makeIterator())
        self.stats = self.loops.map { _ in LoopStats() }
    }

    /// Runs `body` on every loop with its stats and waits for all.
    func onEachLoop<T: Sendable>(_ body: @escaping @Sendable (LoopStats) -> T) async throws -> [T] {
        var results: [T] = []
        for (loop, stats) in zip(self.loops, self.stats) {
            results.append(try await loop.submit { body(stats) }.get())
        }
        return results
    }

    /// Closes every channel and shuts the group down.
    func close(_ channels: [any Channel]) async {
        _ = try? await self.onEachLoop { $0.stopping = true }
        for channel in channels { channel.close(promise: nil) }
        for channel in channels { try? await channel.closeFuture.get() }
        try? await self.group.shutdownGracefully()
    }
}
