import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import SwitchboardServer
import SwitchboardTesting
import Testing

typealias Frame = RawWebSocketClient.Frame

struct WebSocketSessionLiveTests {
    @Test("the handshake answers 101 with the RFC 6455 accept value")
    func handshake() async throws {
        try await LiveGateway.with(try LiveGateway.echoConfig()) { port, _, _ in
            let (_, response) = try await RawWebSocketClient.connect(port: port, path: "/dev")
            #expect(response.status == 101)
            #expect(response.headers["sec-websocket-accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
            #expect(response.headers["sec-websocket-extensions"] == nil)
        }
    }

    @Test("a ping gets a pong with the same payload, and messages echo")
    func pingAndEcho() async throws {
        try await LiveGateway.with(try LiveGateway.echoConfig()) { port, _, _ in
            let (client, _) = try await RawWebSocketClient.connect(port: port, path: "/dev")
            try await client.send(Frame(opcode: 9, payload: [1, 2, 3]))
            #expect(try await client.receive() == Frame(opcode: 10, payload: [1, 2, 3]))
            try await client.sendText("hello")
            #expect(try await client.receive().text == "hello")
        }
    }

    @Test("fragments are reassembled, with control frames interleaved")
    func fragments() async throws {
        try await LiveGateway.with(try LiveGateway.echoConfig()) { port, _, _ in
            let (client, _) = try await RawWebSocketClient.connect(port: port, path: "/dev")
            try await client.send(Frame(fin: false, opcode: 1, payload: Array("hel".utf8)))
            try await client.send(Frame(opcode: 9, payload: []))
            try await client.send(Frame(fin: false, opcode: 0, payload: Array("lo ".utf8)))
            try await client.send(Frame(opcode: 0, payload: Array("world".utf8)))
            #expect(try await client.receive().opcode == 10)
            #expect(try await client.receive().text == "hello world")
        }
    }

    @Test(
        "protocol violations close with 1002",
        arguments: [
            "unmasked", "rsv2", "rsv1 without deflate", "continuation first", "reserved opcode",
            "text during fragments",
            "fragmented ping", "long ping", "close code 1005", "one-byte close",
        ]
    )
    func protocolViolations(kind: String) async throws {
        try await LiveGateway.with(try LiveGateway.echoConfig()) { port, _, _ in
            let (client, _) = try await RawWebSocketClient.connect(port: port, path: "/dev")
            switch kind {
            case "unmasked": try await client.send(Frame(opcode: 1, payload: [0x61]), masked: false)
            case "rsv2": try await client.send(Frame(opcode: 1, payload: [0x61]), rsv2: true)
            case "rsv1 without deflate": try await client.send(Frame(rsv1: true, opcode: 1, payload: [0x61]))
            case "continuation first": try await client.send(Frame(opcode: 0, payload: [0x61]))
            case "reserved opcode": try await client.send(Frame(opcode: 3, payload: []))
            case "text during fragments":
                try await client.send(Frame(fin: false, opcode: 1, payload: [0x61]))
                try await client.send(Frame(opcode: 1, payload: [0x62]))
            case "fragmented ping": try await client.send(Frame(fin: false, opcode: 9, payload: []))
            case "long ping": try await client.send(Frame(opcode: 9, payload: Array(repeating: 0, count: 126)))
            case "close code 1005": try await client.send(Frame(opcode: 8, payload: [0x03, 0xED]))
            default: try await client.send(Frame(opcode: 8, payload: [0x03]))
            }
            #expect(try await client.receiveClose().closeCode == 1002)
        }
    }

    @Test("invalid UTF-8 closes with 1007, even split across fragments")
    func invalidUTF8() async throws {
        try await LiveGateway.with(try LiveGateway.echoConfig()) { port, _, _ in
            let (client, _) = try await RawWebSocketClient.connect(port: port, path: "/dev")
            try await client.send(Frame(fin: false, opcode: 1, payload: [0xCE, 0xBA, 0xE1]))
            try await client.send(Frame(fin: false, opcode: 0, payload: [0xBD, 0xB9, 0xCF]))
            try await client.send(Frame(opcode: 0, payload: [0xFF]))
            #expect(try await client.receiveClose().closeCode == 1007)
        }
    }

    @Test("a client close is echoed with its code and the socket closes")
    func closeHandshake() async throws {
        try await LiveGateway.with(try LiveGateway.echoConfig()) { port, _, _ in
            let (client, _) = try await RawWebSocketClient.connect(port: port, path: "/dev")
            try await client.send(Frame(opcode: 8, payload: [0x0F, 0xA0] + Array("bye".utf8)))
            #expect(try await client.receiveClose().closeCode == 4000)
            #expect(await client.waitForEOF())
        }
    }

    @Test("binary frames close with 1003 unless allowed")
    func binary() async throws {
        try await LiveGateway.with(try LiveGateway.echoConfig()) { port, _, _ in
            let (client, _) = try await RawWebSocketClient.connect(port: port, path: "/dev")
            try await client.send(Frame(opcode: 2, payload: [1]))
            #expect(try await client.receiveClose().closeCode == 1003)
        }
        try await LiveGateway.with(try LiveGateway.echoConfig(webSocket: "{ allowBinary: true }")) { port, _, _ in
            let (client, _) = try await RawWebSocketClient.connect(port: port, path: "/dev")
            try await client.send(Frame(opcode: 2, payload: [0, 1, 2]))
            #expect(try await client.receive() == Frame(opcode: 2, payload: [0, 1, 2]))
        }
    }

    @Test("posts larger than the frame limit go out as several frames")
    func outboundFragmentation() async throws {
        try await LiveGateway.with(
            try LiveGateway.echoConfig(webSocket: "{ maxFrameBytes: 1000, maxMessageBytes: 5000 }")
        ) {
            port,
            _,
            http in
            let (client, _) = try await RawWebSocketClient.connect(port: port, path: "/dev")
            try await client.sendText(#"{"action":"whoami"}"#)
            let id = try await client.receive().text
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/dev/@connections/\(id.replacingEquals())")
            request.method = .POST
            request.body = .bytes(ByteBuffer(string: String(repeating: "x", count: 2500)))
            let response = try await http.execute(request, timeout: .seconds(5))
            #expect(response.status.code == 200)
            let frames = [try await client.receive(), try await client.receive(), try await client.receive()]
            #expect(frames.map(\.opcode) == [1, 0, 0])
            #expect(frames.map(\.fin) == [false, false, true])
            #expect(frames.map(\.payload.count) == [1000, 1000, 500])
        }
    }

    @Test("graceful shutdown closes sessions with 1001 Going away")
    func gracefulShutdown() async throws {
        let config = try LiveGateway.echoConfig()
        let client = try await LiveGateway.with(config) { port, _, _ in
            let (client, _) = try await RawWebSocketClient.connect(port: port, path: "/dev")
            try await client.sendText("ready")
            _ = try await client.receive()
            return client
        }
        // with(...) returned only after the server stopped: the close frame is already buffered.
        let close = try await client.receiveClose()
        #expect(close.closeCode == 1001)
        #expect(String(decoding: close.payload.dropFirst(2), as: UTF8.self) == "Going away")
    }
}

extension String {
    func replacingEquals() -> String {
        self.replacing("=", with: "%3D")
    }
}
