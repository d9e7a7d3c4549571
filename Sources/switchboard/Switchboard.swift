import ArgumentParser
import AsyncHTTPClient
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import SwitchboardConfig
import SwitchboardCore
import SwitchboardServer
import UnixSignals

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct Switchboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchboard",
        abstract: "A WebSocket-first API gateway that speaks Amazon API Gateway.",
        subcommands: [Serve.self, Validate.self, Routes.self, APIKeyCommand.self],
        defaultSubcommand: Serve.self
    )
}

/// Loads a config file, printing every diagnostic (file:line:column: key path: message) on failure.
func loadConfig(_ path: String) -> GatewayConfig? {
    loadConfig(
        { () throws(ConfigError) in try ConfigLoader.load(path: path, environment: currentEnvironment()) },
        path: path
    )
}

/// Runs a config loader, printing every diagnostic on failure.
func loadConfig(_ load: () throws(ConfigError) -> GatewayConfig, path: String) -> GatewayConfig? {
    do {
        return try load()
    } catch {
        for diagnostic in error.diagnostics {
            printError("\(diagnostic)")
        }
        printError("\(path): \(error.diagnostics.count) problem(s); nothing started")
        return nil
    }
}

func printError(_ text: String) {
    let line = text + "\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
}

func currentEnvironment() -> [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
        let text = String(cString: entry)
        if let equals = text.firstIndex(of: "=") {
            result[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        pointer += 1
    }
    return result
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the gateway.")

    @Option(name: .shortAndLong, help: "The configuration file.")
    var config = "Config/switchboard.yaml"

    @Option(help: "Override server.listen (host:port).")
    var listen: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func run() async throws {
        var listen: (host: String, port: Int)?
        if let value = self.listen {
            guard let colon = value.lastIndex(of: ":"), let port = Int(value[value.index(after: colon)...]) else {
                printError("--listen: expected host:port, got \(value)")
                throw ExitCode(2)
            }
            listen = (String(value[..<colon]), port)
        }
        let path = self.config
        // Reads the file with the command line's overrides applied, at start and on every SIGHUP.
        let load = { @Sendable [listen] () throws(ConfigError) -> GatewayConfig in
            var config = try ConfigLoader.load(path: path, environment: currentEnvironment())
            if let listen {
                config.server.host = listen.host
                config.server.port = listen.port
            }
            return config
        }
        guard let gatewayConfig = loadConfig(load, path: path) else { throw ExitCode(1) }
        let level = Logger.Level(rawValue: self.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "switchboard")
        let threads = gatewayConfig.server.eventLoopThreads
        let group: MultiThreadedEventLoopGroup =
            threads > 0 ? MultiThreadedEventLoopGroup(numberOfThreads: threads) : .singleton
        let httpClient = HTTPClient(eventLoopGroupProvider: .shared(group))
        do {
            let gateway = try Gateway(config: gatewayConfig, httpClient: httpClient, logger: logger)
            let server = GatewayServer(gateway: gateway, group: group, logger: logger)
            let banner = Banner(server: server, config: gatewayConfig)
            // Trap SIGHUP before serving, so a hang-up never takes the default action (terminate).
            let hangups = await UnixSignalsSequence(trapping: .sighup)
            let reloader = ConfigReloader(gateway: gateway, triggers: hangups, logger: logger) {
                Result { () throws(ConfigError) in try load() }
            }
            let serviceGroup = ServiceGroup(
                configuration: .init(
                    services: [.init(service: server), .init(service: banner), .init(service: reloader)],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger
                )
            )
            try await serviceGroup.run()
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        try await httpClient.shutdown()
        if threads > 0 { try await group.shutdownGracefully() }
    }
}

/// Prints where each API is reachable once the listener is bound.
struct Banner: Service {
    let server: GatewayServer
    let config: GatewayConfig

    func run() async throws {
        guard let address = await self.server.waitUntilBound() else { return }
        let host = self.config.server.host.contains(":") ? "[\(self.config.server.host)]" : self.config.server.host
        let base = "\(host):\(address.port ?? self.config.server.port)"
        var text = "Switchboard \(self.server.gateway.nodeId) listening on \(base)\n"
        for line in RouteListing.lines(config: self.config, base: base) { text += "  " + line + "\n" }
        _ = text.withCString { write(1, $0, strlen($0)) }
        try await gracefulShutdown()
    }
}

/// Human-readable endpoints of every API.
enum RouteListing {
    static func lines(config: GatewayConfig, base: String) -> [String] {
        var lines: [String] = []
        for api in config.apis {
            let scheme = api.protocolType == .webSocket ? "ws" : "http"
            var urls: [String] = []
            for domain in config.domains {
                for mapping in domain.mappings where mapping.api == api.id {
                    urls.append("\(scheme)://\(base)/\(mapping.apiMappingKey) (stage \(mapping.stage))")
                }
            }
            if config.apis.count == 1 {
                for stage in api.stages {
                    let path = stage.name == "$default" ? "" : stage.name
                    urls.append("\(scheme)://\(base)/\(path)")
                }
            }
            lines.append(
                "\(api.id) (\(api.protocolType.rawValue)): "
                    + (urls.isEmpty ? "Host \(api.id).execute-api.*" : urls.joined(separator: ", "))
            )
            switch api.protocolType {
            case .webSocket, .http:
                for route in api.routes {
                    lines.append(
                        "    \(route.routeKey) → \(route.integration?.type.rawValue ?? "no integration")\(route.isTwoWay ? " (two-way)" : "")"
                    )
                }
            case .rest:
                for resource in api.resources {
                    for method in resource.methods {
                        lines.append(
                            "    \(method.httpMethod) \(resource.path) → \(method.integration?.type.rawValue ?? "no integration")"
                        )
                    }
                }
            }
        }
        return lines
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check a configuration file and report every problem.")

    @Argument(help: "The configuration file.")
    var file = "Config/switchboard.yaml"

    func run() throws {
        guard let config = loadConfig(self.file) else { throw ExitCode(1) }
        print(
            "\(self.file): OK (\(config.apis.count) API(s): \(config.apis.map { "\($0.id) \($0.protocolType.rawValue)" }.joined(separator: ", ")))"
        )
    }
}

struct Routes: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List every API's endpoints and routes.")

    @Argument(help: "The configuration file.")
    var file = "Config/switchboard.yaml"

    func run() throws {
        guard let config = loadConfig(self.file) else { throw ExitCode(1) }
        let host = config.server.host
        for line in RouteListing.lines(config: config, base: "\(host):\(config.server.port)") { print(line) }
    }
}
