// A bare Hummingbird 2 WebSocket echo server: the baseline Switchboard's MOCK echo route is measured against.
//
//   hummingbird-echo --port 9090            # ws://127.0.0.1:9090/dev echoes every text message
//   hummingbird-echo --port 9090 --deflate  # offers hummingbird-websocket's default permessage-deflate
//
// Written as hummingbird-websocket 2.8.1's README and Snippets do it: a `Router` with a `ws` route, served by
// `.http1WebSocketUpgrade(webSocketRouter:)`. GET /health answers 200 for readiness checks.
import ArgumentParser
import Hummingbird
import HummingbirdWSCompression
import HummingbirdWebSocket
import Logging

/// Command-line options (`hummingbird-echo --help`).
struct HummingbirdEcho: ParsableArguments {
    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port to bind.")
    var port = 9090

    @Option(help: "WebSocket path.")
    var path = "/dev"

    @Flag(help: "Enable permessage-deflate with hummingbird-websocket's defaults (.perMessageDeflate()).")
    var deflate = false

    @Option(help: "Log level.")
    var logLevel = "warning"

    func serve() async throws {
        var logger = Logger(label: "hummingbird-echo")
        logger.logLevel = Logger.Level(rawValue: self.logLevel) ?? .warning

        let router = Router()
        router.get("health") { _, _ in "ok" }

        let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
        webSocketRouter.ws(RouterPath(self.path)) { inbound, outbound, _ in
            for try await message in inbound.messages(maxSize: 1 << 20) {
                switch message {
                case .text(let text):
                    try await outbound.write(.text(text))
                case .binary(let buffer):
                    try await outbound.write(.binary(buffer))
                }
            }
        }

        let extensions: [WebSocketExtensionFactory] = self.deflate ? [.perMessageDeflate()] : []
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(
                webSocketRouter: webSocketRouter,
                configuration: .init(ws: .init(maxFrameSize: 1 << 20, extensions: extensions))
            ),
            configuration: .init(address: .hostname(self.host, port: self.port), backlog: 4096),
            logger: logger
        )
        print(
            "hummingbird-echo listening on ws://\(self.host):\(self.port)\(self.path)\(self.deflate ? " (deflate)" : "")"
        )
        try await app.runService()
    }
}

let options = HummingbirdEcho.parseOrExit()
do {
    try await options.serve()
} catch {
    HummingbirdEcho.exit(withError: error)
}
