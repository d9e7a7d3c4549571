// The HTTP backend of Benchmarks/scripts/peers.sh's first scenario: WebSocket messages through a gateway to an
// HTTP backend. It answers both gateways the same way:
//
// - Pushpin in WebSocket-over-HTTP mode (`over_http` route) POSTs `Content-Type: application/websocket-events`
//   bodies; every event gets its answer in the response, in the same format (``WebSocketEvents``): `OPEN` to
//   `OPEN`, each `TEXT`/`BINARY` echoed, `PONG` to `PING`, `CLOSE` to `CLOSE`.
// - Any other request (Switchboard's WebSocket HTTP_PROXY integration POSTs the raw message) is answered 200
//   with its body as is, under the request's Content-Type.
//
//   ws-over-http-echo --port 18091
//   curl -s --data-binary $'TEXT 2\r\nhi\r\n' -H 'Content-Type: application/websocket-events' 127.0.0.1:18091/
//
// Plain SwiftNIO (NIOHTTP1 on `--threads` event loops, default 1), keep-alive, no logging: as little work per
// request as a server can do, so that the gateways in front of it are what is measured.
import ArgumentParser
import NIOCore
import NIOHTTP1
import NIOPosix

/// Command-line options (`ws-over-http-echo --help`).
struct WSOverHTTPEcho: ParsableArguments {
    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port to bind.")
    var port = 18091

    @Option(help: "Event loop threads.")
    var threads = 1

    func serve() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(self.threads, 1))
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(EchoHandler())
                }
            }
            .bind(host: self.host, port: self.port)
            .get()
        print("ws-over-http-echo listening on http://\(self.host):\(self.port) (\(self.threads) event loop(s))")
        try await channel.closeFuture.get()
    }
}

let options = WSOverHTTPEcho.parseOrExit()
do {
    try await options.serve()
} catch {
    WSOverHTTPEcho.exit(withError: error)
}
