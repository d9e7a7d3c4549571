import NIOCore

/// A parsed `ws://host:port/path` URL.
struct WebSocketURL: Sendable, CustomStringConvertible {
    var host: String
    var port: Int
    var path: String

    /// Parses `ws://host[:port][/path]`; `nil` when it is not a plain `ws://` URL.
    init?(_ text: String) {
        guard text.hasPrefix("ws://") else { return nil }
        let rest = text.dropFirst("ws://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        self.path = slash == rest.endIndex ? "/" : String(rest[slash...])
        if let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]) {
            self.host = String(authority[..<colon])
            self.port = port
        } else {
            self.host = String(authority)
            self.port = 80
        }
        guard !self.host.isEmpty, (1...65_535).contains(self.port) else { return nil }
    }

    var description: String { "ws://\(self.host):\(self.port)\(self.path)" }
}

/// Client-side WebSocket wire format (RFC 6455): the upgrade request, the 101 response and masked frames.
enum WebSocketWire {
    /// Frame opcodes.
    enum Opcode: UInt8 {
        case continuation = 0x0
        case text = 0x1
        case binary = 0x2
        case close = 0x8
        case ping = 0x9
        case pong = 0xA
    }

    /// The upgrade request for `url`, optionally offering permessage-deflate.
    static func upgradeRequest(url: WebSocketURL, deflate: Bool, allocator: ByteBufferAllocator) -> ByteBuffer {
        var key: [UInt8] = []
        key.reserveCapacity(16)
        for _ in 0..<16 { key.append(UInt8.random(in: 0...255)) }
        var text = "GET \(url.path) HTTP/1.1\r\nHost: \(url.host):\(url.port)\r\n"
        text += "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        text += "Sec-WebSocket-Key: \(self.base64(key))\r\nSec-WebSocket-Version: 13\r\n"
        if deflate {
            text += "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
        }
        text += "\r\n"
        return allocator.buffer(string: text)
    }

    /// What the server answered to the upgrade.
    struct UpgradeResponse: Sendable {
        /// The HTTP status code.
        var status: Int
        /// permessage-deflate was accepted.
        var deflate: Bool
        /// The server resets its compression context per message.
        var serverNoContextTakeover: Bool
        /// `client_max_window_bits=N` from the server, when present.
        var clientMaxWindowBits: Int?
    }

    /// Parses a complete response head (without the final blank line).
    static func parseResponse(_ head: String) -> UpgradeResponse {
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: true).makeIterator()
        let statusLine = lines.next() ?? ""
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        let status = parts.count >= 2 ? Int(parts[1]) ?? 0 : 0
        var response = UpgradeResponse(status: status, deflate: false, serverNoContextTakeover: false)
        while let line = lines.next() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            guard line[..<colon].lowercased() == "sec-websocket-extensions" else { continue }
            let value = line[line.index(after: colon)...].lowercased()
            guard value.contains("permessage-deflate") else { continue }
            response.deflate = true
            for parameter in value.split(separator: ";") {
                let item = parameter.trimmingSpaces()
                if item == "server_no_context_takeover" { response.serverNoContextTakeover = true }
                if item.hasPrefix("client_max_window_bits="), let bits = Int(item.dropFirst(23)) {
                    response.clientMaxWindowBits = bits
                }
            }
        }
        return response
    }

    /// Appends one masked, final frame to `buffer`.
    static func writeMaskedFrame(
        opcode: Opcode,
        payload: ByteBuffer,
        compressed: Bool = false,
        into buffer: inout ByteBuffer
    ) {
        let mask = (
            UInt8.random(in: 0...255), UInt8.random(in: 0...255), UInt8.random(in: 0...255), UInt8.random(in: 0...255)
        )
        buffer.writeInteger(0x80 | (compressed ? 0x40 : 0) | opcode.rawValue)
        let length = payload.readableBytes
        if length < 126 {
            buffer.writeInteger(0x80 | UInt8(length))
        } else if length <= 0xFFFF {
            buffer.writeInteger(UInt8(0x80 | 126))
            buffer.writeInteger(UInt16(length))
        } else {
            buffer.writeInteger(UInt8(0x80 | 127))
            buffer.writeInteger(UInt64(length))
        }
        buffer.writeMultipleIntegers(mask.0, mask.1, mask.2, mask.3)
        let key = [mask.0, mask.1, mask.2, mask.3]
        payload.withUnsafeReadableBytes { bytes in
            for (index, byte) in bytes.enumerated() {
                buffer.writeInteger(byte ^ key[index & 3])
            }
        }
    }

    /// One decoded frame header.
    struct FrameHeader {
        var fin: Bool
        var rsv1: Bool
        var opcode: UInt8
        var headerLength: Int
        var payloadLength: Int
        var mask: [UInt8]?
    }

    /// Reads a frame header at the reader index without consuming it; `nil` until enough bytes arrived.
    static func peekHeader(_ buffer: ByteBuffer) -> FrameHeader? {
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
            let second = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self)
        else { return nil }
        var offset = 2
        var length = Int(second & 0x7F)
        if length == 126 {
            guard let extended = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt16.self) else { return nil }
            length = Int(extended)
            offset += 2
        } else if length == 127 {
            guard let extended = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt64.self) else { return nil }
            length = Int(truncatingIfNeeded: extended)
            offset += 8
        }
        var mask: [UInt8]?
        if second & 0x80 != 0 {
            guard let bytes = buffer.getBytes(at: buffer.readerIndex + offset, length: 4) else { return nil }
            mask = bytes
            offset += 4
        }
        return FrameHeader(
            fin: first & 0x80 != 0,
            rsv1: first & 0x40 != 0,
            opcode: first & 0x0F,
            headerLength: offset,
            payloadLength: length,
            mask: mask
        )
    }

    /// Standard base64 with padding.
    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                if position <= chunk.count {
                    out.append(alphabet[Int((value >> (18 - 6 * UInt32(position))) & 0x3F)])
                } else {
                    out.append(UInt8(ascii: "="))
                }
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Substring {
    /// The substring without leading and trailing spaces.
    func trimmingSpaces() -> Substring {
        var result = self
        while result.first == " " { result = result.dropFirst() }
        while result.last == " " { result = result.dropLast() }
        return result
    }
}
