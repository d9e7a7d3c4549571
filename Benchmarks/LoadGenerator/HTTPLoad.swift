import Histogram
import NIOCore

/// An HTTP/1.1 keep-alive load spread over event loops, one ``HTTPLoopDriver`` each: `connect`, `start`, set the
/// measured window, `stop`, then read the ``Summary``.
struct HTTPLoad: Sendable {
    let drivers: [HTTPLoopDriver]
    let endpoints: [HTTPEndpoint]

    /// What one node (endpoint) answered inside the measured window.
    struct NodeResult: Sendable {
        var endpoint: String
        var latency: Histogram<UInt64>
        var statuses: [Int: Int]
        var requests: Int { self.statuses.values.reduce(0, +) }

        /// The status counts with string keys, for JSON.
        var statusCounts: [String: Int] {
            Dictionary(uniqueKeysWithValues: self.statuses.map { (String($0.key), $0.value) })
        }

        /// Responses with `status`.
        func count(_ status: Int) -> Int { self.statuses[status] ?? 0 }

        /// Responses with a 2xx status.
        var count2xx: Int { self.statuses.filter { (200..<300).contains($0.key) }.values.reduce(0, +) }

        /// Responses with any status other than those listed.
        func countOther(than listed: [Int]) -> Int {
            self.statuses.filter { !listed.contains($0.key) }.values.reduce(0, +)
        }
    }

    /// The load's results once it has stopped.
    struct Summary: Sendable {
        var nodes: [NodeResult]
        var errors = 0
        var errorReasons: [String: Int] = [:]
        var reconnects = 0
        var skipped = 0
        var delivered = 0
        /// The latency of every node together.
        var merged: Histogram<UInt64> {
            var histogram = LoopStats.makeHistogram()
            for node in self.nodes { histogram.add(node.latency) }
            return histogram
        }
    }

    /// A load on `loops` against `endpoints`, whose requests `maker` writes; with `deliveredField`, the number
    /// under that JSON key in every 2xx answer counts the deliveries it promises.
    init(loops: [any EventLoop], endpoints: [HTTPEndpoint], maker: any HTTPRequestMaker, deliveredField: String?) {
        self.endpoints = endpoints
        self.drivers = loops.enumerated().map { index, loop in
            HTTPLoopDriver(
                loop: loop,
                index: index,
                loopCount: loops.count,
                endpoints: endpoints,
                maker: maker,
                deliveredField: deliveredField
            )
        }
    }

    /// Opens `count` connections, spread round-robin over the loops and the endpoints; returns how many opened
    /// and why the others failed.
    func connect(count: Int) async -> (opened: Int, failures: [String: Int]) {
        var opened = 0
        var failures: [String: Int] = [:]
        await withTaskGroup(of: String?.self) { group in
            for index in 0..<count {
                let driver = self.drivers[index % self.drivers.count]
                let node = index % self.endpoints.count
                group.addTask {
                    do {
                        try await driver.loop.flatSubmit { driver.connect(node: node) }.get()
                        return nil
                    } catch {
                        return "\(error)"
                    }
                }
            }
            for await failure in group {
                if let failure { failures[failure, default: 0] += 1 } else { opened += 1 }
            }
        }
        return (opened, failures)
    }

    /// Starts sending: `rate` requests/s in all (shared by the loops in proportion to their connections), or a
    /// closed loop when `rate` is `nil`.
    func start(rate: Double?) async throws {
        let open = try await self.onEachDriver { $0.open }
        let total = max(open.reduce(0, +), 1)
        for (driver, count) in zip(self.drivers, open) {
            let share = rate.map { $0 * Double(count) / Double(total) }
            try await driver.loop.submit { driver.start(rate: share) }.get()
        }
    }

    /// Records only requests stamped from `start` (and before `end`, when given).
    func setWindow(start: UInt64, end: UInt64 = .max) async throws {
        _ = try await self.onEachDriver { driver in
            driver.windowStart = start
            driver.windowEnd = end
        }
    }

    /// Stops sending; requests in flight still complete.
    func stop() async throws {
        _ = try await self.onEachDriver { $0.stop() }
    }

    /// Responses so far, errors so far and connections open now, for the progress line.
    func progress() async -> (completed: Int, errors: Int, open: Int) {
        let counts = (try? await self.onEachDriver { ($0.completed, $0.errors, $0.open) }) ?? []
        return (counts.map(\.0).reduce(0, +), counts.map(\.1).reduce(0, +), counts.map(\.2).reduce(0, +))
    }

    /// Requests recorded in the window so far (to wait for the last answers).
    func recorded() async -> Int {
        let counts = (try? await self.onEachDriver { $0.statuses.map { $0.values.reduce(0, +) }.reduce(0, +) }) ?? []
        return counts.reduce(0, +)
    }

    /// Waits, at most `timeout` seconds, until no request is in flight (after ``stop()``).
    func waitForLastAnswers(timeout: Double = 2) async {
        let deadline = monotonicNanos() + UInt64(timeout * 1e9)
        while monotonicNanos() < deadline {
            let busy = (try? await self.onEachDriver { $0.inFlightCount }) ?? []
            if busy.reduce(0, +) == 0 { return }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    /// Merges what every loop recorded.
    func summary() async throws -> Summary {
        let parts = try await self.onEachDriver { driver in
            (
                driver.latency, driver.statuses, driver.errors, driver.errorReasons, driver.reconnects,
                driver.skipped, driver.delivered
            )
        }
        var summary = Summary(
            nodes: self.endpoints.map {
                NodeResult(endpoint: $0.description, latency: LoopStats.makeHistogram(), statuses: [:])
            }
        )
        for part in parts {
            for node in summary.nodes.indices {
                summary.nodes[node].latency.add(part.0[node])
                summary.nodes[node].statuses.merge(part.1[node], uniquingKeysWith: +)
            }
            summary.errors += part.2
            summary.errorReasons.merge(part.3, uniquingKeysWith: +)
            summary.reconnects += part.4
            summary.skipped += part.5
            summary.delivered += part.6
        }
        return summary
    }

    /// Closes every connection.
    func close() async {
        _ = try? await self.onEachDriver { $0.closeAll() }
    }

    private func onEachDriver<T: Sendable>(_ body: @escaping @Sendable (HTTPLoopDriver) -> T) async throws -> [T] {
        var results: [T] = []
        for driver in self.drivers { results.append(try await driver.loop.submit { body(driver) }.get()) }
        return results
    }
}
