import NIOCore

/// Pushpin's WebSocket-over-HTTP event format (`Content-Type: application/websocket-events`): a sequence of
/// events, each `TYPE\r\n` or, with content, `TYPE <content length in hex>\r\n<content>\r\n`. Types: `OPEN`,
/// `TEXT`, `BINARY`, `PING`, `PONG`, `CLOSE` (content: the 2-byte close code, optionally a reason) and
/// `DISCONNECT`. The backend answers in the response body, in the same format.
enum WebSocketEvents {
    static let contentType = "application/websocket-events"

    /// Writes the echo server's answer to every event of `body` into `out`: `OPEN` accepts the connection,
    /// `TEXT` and `BINARY` come back as they are, `PING` gets a `PONG` with its content, `CLOSE` is answered with
    /// the same `CLOSE`, `PONG` and `DISCONNECT` get nothing. Returns false when `body` is malformed.
    static func answer(_ body: ByteBuffer, into out: inout ByteBuffer) -> Bool {
        body.withUnsafeReadableBytes { bytes in
            var index = 0
            while index < bytes.count {
                guard let lineEnd = self.lineEnd(in: bytes, from: index) else { return false }
                var typeEnd = index
                while typeEnd < lineEnd, bytes[typeEnd] != UInt8(ascii: " ") { typeEnd += 1 }
                let type = UnsafeRawBufferPointer(rebasing: bytes[index..<typeEnd])
                var content: UnsafeRawBufferPointer?
                index = lineEnd + 2
                if typeEnd < lineEnd {
                    guard let length = self.hex(UnsafeRawBufferPointer(rebasing: bytes[(typeEnd + 1)..<lineEnd])),
                        index + length + 2 <= bytes.count
                    else { return false }
                    content = UnsafeRawBufferPointer(rebasing: bytes[index..<(index + length)])
                    index += length + 2
                }
                switch String(decoding: type, as: UTF8.self) {
                case "OPEN": self.write("OPEN", content: nil, into: &out)
                case "TEXT", "BINARY", "CLOSE": self.write(type, content: content, into: &out)
                case "PING": self.write("PONG", content: content, into: &out)
                default: break  // PONG, DISCONNECT and anything new: no answer
                }
            }
            return true
        }
    }

    /// The index of the next `\r\n` from `start`.
    private static func lineEnd(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == 13, bytes[index + 1] == 10 { return index }
            index += 1
        }
        return nil
    }

    /// A hexadecimal length (1 to 8 digits).
    private static func hex(_ digits: UnsafeRawBufferPointer) -> Int? {
        guard (1...8).contains(digits.count) else { return nil }
        var value = 0
        for digit in digits {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value * 16 + Int(digit - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value * 16 + Int(digit - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = value * 16 + Int(digit - UInt8(ascii: "A")) + 10
            default: return nil
            }
        }
        return value
    }

    private static func write(_ type: String, content: UnsafeRawBufferPointer?, into out: inout ByteBuffer) {
        out.writeString(type)
        self.finish(content, into: &out)
    }

    private static func write(
        _ type: UnsafeRawBufferPointer,
        content: UnsafeRawBufferPointer?,
        into out: inout ByteBuffer
    ) {
        out.writeBytes(type)
        self.finish(content, into: &out)
    }

    /// ` <hex length>\r\n<content>\r\n`, or just `\r\n` without content.
    private static func finish(_ content: UnsafeRawBufferPointer?, into out: inout ByteBuffer) {
        if let content {
            out.writeString(" " + String(content.count, radix: 16, uppercase: false) + "\r\n")
            out.writeBytes(content)
        }
        out.writeString("\r\n")
    }
}
