package import NIOCore
import NIOPosix

/// A deliberately low-level WebSocket client for tests: it writes any frame (unmasked, reserved bits,
/// bad opcodes, fragmented control frames) and reads frames one by one, so protocol handling can be
/// tested byte for byte.
package final class RawWebSocketClient: Sendable {
    /// A frame as read or written.
    package struct Frame: Sendable, Equatable {
        /// FIN bit.
        package var fin: Bool
        /// RSV1 bit.
        package var rsv1: Bool
        /// Opcode (0 continuation, 1 text, 2 binary, 8 close, 9 ping, 10 pong).
        package var opcode: UInt8
        /// Payload (unmasked).
        package var payload: [UInt8]

        /// Creates a frame.
        package init(fin: Bool = true, rsv1: Bool = false, opcode: UInt8, payload: [UInt8]) {
            self.fin = fin
            self.rsv1 = rsv1
            self.opcode = opcode
            self.payload = payload
        }

        /// The payload as UTF-8 text.
        package var text: String { String(decoding: self.payload, as: UTF8.self) }

        /// The close code of a close frame.
        package var closeCode: UInt16? {
            guard self.opcode == 8, self.payload.count >= 2 else { return nil }
            return UInt16(self.payload[0]) << 8 | UInt16(self.payload[1])
        }
    }

    /// The handshake response.
    package struct Handshake: Sendable {
        /// Status code.
        package var status: Int
        /// Headers, names lower-cased.
        package var headers: [String: String]
        /// Body (for rejected handshakes).
        package var body: String
    }

    /// Errors.
    package enum ClientError: Error {
        /// The connection closed before the expected data arrived.
        case closed
        /// Nothing arrived in time.
        case timeout
        /// The handshake response could not be parsed.
        case badHandshake
    }

    private let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    private let reader: Reader

    // SAFETY: a test client is read by one task at a time (each `receive` awaits its read).
    private final class Reader: @unchecked Sendable {
        var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        var buffer: [UInt8] = []

        init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) {
            self.iterator = iterator
        }

        func fill() async throws {
            guard let chunk = try await self.iterator.next() else { throw ClientError.closed }
            self.buffer += chunk.readableBytesView
        }

        func take(_ count: Int) async throws -> [UInt8] {
            while self.buffer.count < count { try await self.fill() }
            let out = Array(self.buffer.prefix(count))
            self.buffer.removeFirst(count)
            return out
        }

        func headerBlock() async throws -> [UInt8] {
            while true {
                if let end = self.find([13, 10, 13, 10]) {
                    let out = Array(self.buffer.prefix(end + 4))
                    self.buffer.removeFirst(end + 4)
                    return out
                }
                try await self.fill()
            }
        }

        func rest() -> [UInt8] {
            defer { self.buffer = [] }
            return self.buffer
        }

        private func find(_ needle: [UInt8]) -> Int? {
            guard self.buffer.count >= needle.count else { return nil }
            for index in 0...(self.buffer.count - needle.count)
            where Array(self.buffer[index..<index + needle.count]) == needle {
                return index
            }
            return nil
        }
    }

    private init(channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>, reader: Reader) {
        self.channel = channel
        self.reader = reader
    }

    deinit {
        self.channel.outbound.finish()
        self.channel.channel.close(promise: nil)
    }

    /// Connects and performs the opening handshake.
    /// - Parameters:
    ///   - port: the gateway's port on 127.0.0.1.
    ///   - path: the request target.
    ///   - headers: extra request headers.
    ///   - version: the `Sec-WebSocket-Version` to send.
    /// - Returns: the client and the handshake response.
    package static func connect(
        port: Int,
        path: String,
        headers: [(String, String)] = [],
        version: String = "13"
    ) async throws -> (RawWebSocketClient, Handshake) {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: \(version)\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        try await channel.outbound.write(ByteBuffer(string: request))
        let reader = Reader(channel.inbound.makeAsyncIterator())
        let client = RawWebSocketClient(channel: channel, reader: reader)
        let head = String(decoding: try await reader.headerBlock(), as: UTF8.self)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: true)
        guard let statusLine = lines.first, statusLine.split(separator: " ").count >= 2,
            let status = Int(statusLine.split(separator: " ")[1])
        else { throw ClientError.badHandshake }
        var parsed: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            parsed[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingPrefixSpaces()
        }
        var body = ""
        if status != 101, let length = parsed["content-length"].flatMap({ Int($0) }), length > 0 {
            body = String(decoding: try await reader.take(length), as: UTF8.self)
        }
        return (client, Handshake(status: status, headers: parsed, body: body))
    }

    /// Writes a frame.
    /// - Parameters:
    ///   - frame: the frame.
    ///   - masked: mask it as a client must (false to test unmasked frames).
    ///   - rsv2: set RSV2.
    package func send(_ frame: Frame, masked: Bool = true, rsv2: Bool = false) async throws {
        var bytes: [UInt8] = []
        bytes.append((frame.fin ? 0x80 : 0) | (frame.rsv1 ? 0x40 : 0) | (rsv2 ? 0x20 : 0) | (frame.opcode & 0x0F))
        let count = frame.payload.count
        let maskBit: UInt8 = masked ? 0x80 : 0
        if count < 126 {
            bytes.append(maskBit | UInt8(count))
        } else if count <= 0xFFFF {
            bytes.append(maskBit | 126)
            bytes += [UInt8(count >> 8), UInt8(count & 0xFF)]
        } else {
            bytes.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8((count >> shift) & 0xFF)) }
        }
        if masked {
            let key: [UInt8] = [0x12, 0x34, 0x56, 0x78]
            bytes += key
            bytes += frame.payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
        } else {
            bytes += frame.payload
        }
        try await self.channel.outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Sends a text message in one frame.
    package func sendText(_ text: String) async throws {
        try await self.send(Frame(opcode: 1, payload: Array(text.utf8)))
    }

    /// Reads the next frame.
    /// - Parameter timeout: how long to wait.
    /// - Returns: the frame.
    package func receive(timeout: Duration = .seconds(10)) async throws -> Frame {
        try await withThrowingTaskGroup(of: Frame.self) { group in
            group.addTask { try await self.readFrame() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw ClientError.timeout
            }
            defer { group.cancelAll() }
            guard let frame = try await group.next() else { throw ClientError.closed }
            return frame
        }
    }

    /// Reads frames until a close frame, returning it (data frames before it are skipped).
    package func receiveClose(timeout: Duration = .seconds(10)) async throws -> Frame {
        while true {
            let frame = try await self.receive(timeout: timeout)
            if frame.opcode == 8 { return frame }
        }
    }

    private func readFrame() async throws -> Frame {
        let head = try await self.reader.take(2)
        var length = Int(head[1] & 0x7F)
        if length == 126 {
            let ext = try await self.reader.take(2)
            length = Int(ext[0]) << 8 | Int(ext[1])
        } else if length == 127 {
            let ext = try await self.reader.take(8)
            length = ext.reduce(0) { $0 << 8 | Int($1) }
        }
        let payload = try await self.reader.take(length)
        return Frame(fin: head[0] & 0x80 != 0, rsv1: head[0] & 0x40 != 0, opcode: head[0] & 0x0F, payload: payload)
    }

    /// Whether the server closed the TCP connection (reads until end of stream).
    package func waitForEOF(timeout: Duration = .seconds(10)) async -> Bool {
        do {
            while true { _ = try await self.receive(timeout: timeout) }
        } catch ClientError.closed {
            return true
        } catch {
            return false
        }
    }

    /// Closes the socket without a close frame.
    package func drop() async {
        try? await self.channel.channel.close()
    }
}

extension Substring {
    fileprivate func trimmingPrefixSpaces() -> String {
        String(self.drop { $0 == " " || $0 == "\t" })
    }
}
