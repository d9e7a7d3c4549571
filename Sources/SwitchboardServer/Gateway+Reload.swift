import NIOConcurrencyHelpers
package import SwitchboardCore
import SwitchboardPipeline

/// Why a reload was refused; the running configuration stays.
package struct GatewayReloadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One line per problem, e.g. `server.listen cannot change on reload; restart to apply`.
    package var problems: [String]

    /// Creates an error.
    package init(problems: [String]) {
        self.problems = problems
    }

    /// One problem per line.
    package var description: String { self.problems.joined(separator: "\n") }
}

extension Gateway {
    /// Compiles a new configuration and makes it current, without touching established connections.
    ///
    /// New requests, upgrades and `@connections` calls use it at once. Messages on WebSocket connections
    /// accepted before the reload are routed with the new definition of their API (as an AWS redeployment
    /// applies to new messages on existing connections), and so is their `$disconnect`; a connection whose
    /// API the new configuration removes keeps the routes it was accepted with until it closes. Per-connection
    /// limits (frame and message sizes, idle and maximum durations, compression) stay those the connection
    /// was accepted with.
    ///
    /// Keys that the running node cannot apply — `server.listen`, `server.nodeId`,
    /// `server.eventLoopThreads`, `registry` and `cluster.*` — must be unchanged.
    /// - Parameter config: the new, validated configuration.
    /// - Returns: the new snapshot.
    /// - Throws: ``GatewayReloadError`` when a fixed key changed or an API does not compile; the running
    ///   snapshot stays.
    @discardableResult
    package func reload(_ config: GatewayConfig) throws(GatewayReloadError) -> GatewaySnapshot {
        self.reloadLock.lock()
        defer { self.reloadLock.unlock() }
        let old = self.snapshot
        let changed = Self.fixedKeysChanged(from: old.config, to: config)
        guard changed.isEmpty else {
            throw GatewayReloadError(problems: changed.map { "\($0) cannot change on reload; restart to apply" })
        }
        let snapshot: GatewaySnapshot
        do throws(GatewaySnapshot.Failure) {
            snapshot = try GatewaySnapshot(
                config: config,
                httpClient: self.httpClient,
                pool: self.upstreamPool,
                traffic: self.traffic,
                messenger: GatewayMessenger(table: self.table, cluster: self.cluster)
            )
        } catch {
            throw GatewayReloadError(problems: [error.message])
        }
        self.current.withLockedValue { $0 = snapshot }
        return snapshot
    }

    /// The keys, in YAML spelling, whose values differ between two configurations but that only a restart
    /// applies: the listener, the event loops, the node's identity and its cluster membership.
    package static func fixedKeysChanged(from old: GatewayConfig, to new: GatewayConfig) -> [String] {
        var keys: [String] = []
        if old.server.host != new.server.host || old.server.port != new.server.port { keys.append("server.listen") }
        if old.server.nodeId != new.server.nodeId { keys.append("server.nodeId") }
        if old.server.eventLoopThreads != new.server.eventLoopThreads { keys.append("server.eventLoopThreads") }
        if old.registry != new.registry { keys.append("registry") }
        let cluster: [(String, KeyPath<ClusterSettings, Int>)] = [
            ("heartbeatIntervalMillis", \.heartbeatIntervalMillis),
            ("nodeTimeoutMillis", \.nodeTimeoutMillis),
            ("sweepIntervalMillis", \.sweepIntervalMillis),
            ("recordRefreshMillis", \.recordRefreshMillis),
            ("crossNodeTimeoutMillis", \.crossNodeTimeoutMillis),
        ]
        for (name, key) in cluster where old.cluster[keyPath: key] != new.cluster[keyPath: key] {
            keys.append("cluster." + name)
        }
        return keys
    }
}
