import ArgumentParser

/// `switchboard-bench`: a WebSocket and HTTP load generator on SwiftNIO for Switchboard (or any WebSocket or
/// HTTP/1.1 server).
@main
struct SwitchboardBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchboard-bench",
        abstract: "Load generator: echo round trips, connection capacity, @connections posts, broadcast, HTTP.",
        discussion: """
            Examples:
              switchboard-bench echo --url ws://127.0.0.1:8080/dev --connections 64 --duration 10
              switchboard-bench connect --url ws://127.0.0.1:8080/dev --connections 5000 --pid $(pidof switchboard)
              switchboard-bench post --url ws://127.0.0.1:8080/dev --post-url http://127.0.0.1:8080/dev --rate 20000
              switchboard-bench broadcast --url ws://127.0.0.1:8080/dev --broadcast-url http://127.0.0.1:8080/dev \\
                --connections 1000 --rate 20
              switchboard-bench http --url http://127.0.0.1:8080/items --connections 32 --duration 10
            """,
        subcommands: [
            EchoCommand.self, ConnectCommand.self, PostCommand.self, BroadcastCommand.self, HTTPCommand.self,
        ]
    )
}

/// Options every scenario shares.
struct CommonOptions: ParsableArguments {
    @Option(help: "WebSocket URL, ws://host:port/path.")
    var url = "ws://127.0.0.1:8080/dev"

    @Option(help: "Event loop threads of the load generator.")
    var threads = 1

    @Flag(help: "Offer permessage-deflate (Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits).")
    var deflate = false

    @Option(help: "Connect from 127.0.0.1 ... 127.0.0.X (more source ports for many connections); 0: kernel's choice.")
    var sources = 0

    @Option(help: "Also write the results to this file as JSON.")
    var json: String?

    @Option(help: "Also write a Markdown report (summary table, percentiles, SVG latency chart) to this file.")
    var report: String?

    func parsedURL() throws -> WebSocketURL {
        guard let url = WebSocketURL(self.url) else { throw ValidationError("--url: expected ws://host:port/path") }
        return url
    }

    mutating func validate() throws {
        _ = try self.parsedURL()
        guard (1...256).contains(self.threads) else { throw ValidationError("--threads must be in 1...256") }
        guard (0...254).contains(self.sources) else { throw ValidationError("--sources must be in 0...254") }
    }
}
