package import Logging
import ServiceLifecycle
package import SwitchboardConfig
package import SwitchboardCore

/// Reloads the gateway's configuration each time a trigger arrives (SIGHUP in `switchboard serve`), as a
/// `Service` that lives as long as the listener.
///
/// A reload re-reads the configuration through `load`. When the file has problems, every diagnostic is logged
/// at error level in `switchboard validate`'s shape (`file:line:column: key.path: message`) and the running
/// configuration stays; the same happens when a key that needs a restart changed (``Gateway/reload(_:)``).
/// Established connections are never touched.
package struct ConfigReloader<Triggers: AsyncSequence & Sendable>: Service where Triggers.Element: Sendable {
    /// The outcome of one reload.
    package enum Outcome: Sendable, Equatable {
        /// The new configuration is serving; it has this many APIs.
        case reloaded(apis: Int)
        /// The running configuration stays; these are the problems, one line each.
        case rejected([String])
    }

    private let gateway: Gateway
    private let triggers: Triggers
    private let load: @Sendable () -> Result<GatewayConfig, ConfigError>
    private let logger: Logger

    /// Creates a reloader.
    /// - Parameters:
    ///   - gateway: the gateway whose snapshot is replaced.
    ///   - triggers: each element starts one reload (e.g. `UnixSignalsSequence(trapping: .sighup)`).
    ///   - logger: where outcomes and diagnostics go.
    ///   - load: reads and validates the configuration (the same file and overrides as at start).
    package init(
        gateway: Gateway,
        triggers: Triggers,
        logger: Logger,
        load: @escaping @Sendable () -> Result<GatewayConfig, ConfigError>
    ) {
        self.gateway = gateway
        self.triggers = triggers
        self.logger = logger
        self.load = load
    }

    package func run() async throws {
        for try await _ in self.triggers.cancelOnGracefulShutdown() {
            self.reload()
        }
    }

    /// Reloads once and logs the outcome.
    @discardableResult
    package func reload() -> Outcome {
        self.logger.info("reloading configuration")
        let config: GatewayConfig
        switch self.load() {
        case .success(let value): config = value
        case .failure(let error): return self.reject(error.diagnostics.map(\.description))
        }
        do {
            let snapshot = try self.gateway.reload(config)
            let count = snapshot.config.apis.count
            self.logger.notice("reloaded configuration (\(count) API\(count == 1 ? "" : "s"))")
            return .reloaded(apis: count)
        } catch {
            return self.reject(error.problems)
        }
    }

    private func reject(_ problems: [String]) -> Outcome {
        for problem in problems {
            self.logger.error("\(problem)")
        }
        self.logger.error(
            "configuration reload rejected (\(problems.count) problem(s)); still serving the previous configuration"
        )
        return .rejected(problems)
    }
}
