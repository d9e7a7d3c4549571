import NIOCore

/// A parsed `http://host[:port][/path][?query]` URL.
struct HTTPEndpoint: Sendable, CustomStringConvertible {
    var host: String
    var port: Int
    /// The request target: path and query, at least `/`.
    var target: String

    /// Parses a plain `http://` URL; `nil` for anything else (no TLS, no user info).
    init?(_ text: String) {
        guard text.hasPrefix("http://") else { return nil }
        let rest = text.dropFirst("http://".count)
        let end = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<end]
        let target = String(rest[end...])
        self.target = target.isEmpty ? "/" : (target.hasPrefix("?") ? "/" + target : target)
        if let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]) {
            self.host = String(authority[..<colon])
            self.port = port
        } else {
            self.host = String(authority)
            self.port = 80
        }
        guard !self.host.isEmpty, !self.host.contains("@"), (1...65_535).contains(self.port) else { return nil }
    }

    /// The `Host` header value.
    var hostHeader: String { self.port == 80 ? self.host : "\(self.host):\(self.port)" }

    /// The target with `suffix` appended to its path (before any query), without doubling a slash.
    func appending(path suffix: String) -> String {
        let query = self.target.firstIndex(of: "?").map { String(self.target[$0...]) } ?? ""
        var path = query.isEmpty ? self.target : String(self.target.prefix { $0 != "?" })
        while path.hasSuffix("/") { path.removeLast() }
        return path + (suffix.hasPrefix("/") ? suffix : "/" + suffix) + query
    }

    var description: String { "http://\(self.host):\(self.port)\(self.target)" }
}

/// Client-side HTTP/1.1: request heads and the responses to them, just enough for keep-alive load (no
/// pipelining, no `Expect`, no TLS).
enum HTTPWire {
    /// A request head without its final blank line or `Content-Length`: the request line, `Host` (unless
    /// `headers` has one) and `headers`.
    static func head(method: String, target: String, host: String, headers: [(String, String)]) -> [UInt8] {
        var text = "\(method) \(target) HTTP/1.1\r\n"
        if !headers.contains(where: { $0.0.lowercased() == "host" }) { text += "Host: \(host)\r\n" }
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        return Array(text.utf8)
    }

    /// Writes `head`, `Content-Length` (when there is a body or the method needs one), a blank line and `body`.
    static func writeRequest(head: [UInt8], bodyParts: [[UInt8]], needsLength: Bool, into buffer: inout ByteBuffer) {
        buffer.writeBytes(head)
        let length = bodyParts.reduce(0) { $0 + $1.count }
        if length > 0 || needsLength {
            buffer.writeString("Content-Length: \(length)\r\n")
        }
        buffer.writeBytes([13, 10])
        for part in bodyParts { buffer.writeBytes(part) }
    }

    /// One complete response.
    struct Response {
        var status: Int
        var body: ByteBuffer
        /// The server will close the connection after it (`Connection: close`, HTTP/1.0, or a body that ends
        /// with the connection).
        var closes: Bool
    }

    /// A response the load generator cannot read.
    struct MalformedResponse: Error, CustomStringConvertible {
        var reason: String
        var description: String { "malformed HTTP response: \(self.reason)" }
    }

    /// Takes one complete response off the front of `buffer`; `nil` (consuming nothing) until it is complete.
    /// A response without `Content-Length` or chunked encoding ends with the connection: it is returned with the
    /// bytes received so far and `closes` set.
    static func takeResponse(from buffer: inout ByteBuffer, toHead: Bool) throws -> Response? {
        while true {
            guard let headEnd = self.find(crlfcrlf: buffer, from: buffer.readerIndex) else {
                if buffer.readableBytes > 65_536 { throw MalformedResponse(reason: "head over 64 KB") }
                return nil
            }
            let headLength = headEnd - buffer.readerIndex
            let head = buffer.getString(at: buffer.readerIndex, length: headLength) ?? ""
            var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).makeIterator()
            let statusLine = lines.next() ?? ""
            let parts = statusLine.split(separator: " ", maxSplits: 2)
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
                throw MalformedResponse(reason: "status line \(statusLine.prefix(60))")
            }
            var contentLength: Int?
            var chunked = false
            var closes = parts[0] == "HTTP/1.0"
            while let line = lines.next() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingSpaces().lowercased()
                switch name {
                case "content-length": contentLength = Int(value)
                case "transfer-encoding": chunked = value.hasSuffix("chunked")
                case "connection":
                    if value.contains("close") { closes = true }
                    if value.contains("keep-alive") { closes = false }
                default: break
                }
            }
            let bodyStart = headEnd + 4
            if (100..<200).contains(status) {
                buffer.moveReaderIndex(to: bodyStart)  // an interim response: the real one follows
                continue
            }
            if toHead || status == 204 || status == 304 {
                buffer.moveReaderIndex(to: bodyStart)
                return Response(status: status, body: ByteBuffer(), closes: closes)
            }
            if chunked {
                guard let (body, end) = try self.readChunked(buffer, from: bodyStart) else { return nil }
                buffer.moveReaderIndex(to: end)
                return Response(status: status, body: body, closes: closes)
            }
            let length = contentLength ?? (buffer.writerIndex - bodyStart)
            guard buffer.writerIndex - bodyStart >= length,
                let body = buffer.getSlice(at: bodyStart, length: length)
            else { return nil }
            buffer.moveReaderIndex(to: bodyStart + length)
            return Response(status: status, body: body, closes: closes || contentLength == nil)
        }
    }

    /// The body of a chunked message starting at `start` and the index after it; `nil` until it is complete.
    private static func readChunked(_ buffer: ByteBuffer, from start: Int) throws -> (ByteBuffer, Int)? {
        var body = ByteBuffer()
        var index = start
        while true {
            guard let lineEnd = self.find(crlf: buffer, from: index) else { return nil }
            let line = buffer.getString(at: index, length: lineEnd - index) ?? ""
            guard let size = Int(line.prefix { $0 != ";" }.trimmingSpaces(), radix: 16), size >= 0 else {
                throw MalformedResponse(reason: "chunk size \(line.prefix(20))")
            }
            index = lineEnd + 2
            if size == 0 {
                // The last chunk; trailers, if any, end with an empty line.
                guard buffer.writerIndex - index >= 2 else { return nil }
                if buffer.getInteger(at: index, as: UInt16.self) == 0x0D0A { return (body, index + 2) }
                guard let end = self.find(crlfcrlf: buffer, from: index) else { return nil }
                return (body, end + 4)
            }
            guard buffer.writerIndex - index >= size + 2, var chunk = buffer.getSlice(at: index, length: size) else {
                return nil
            }
            body.writeBuffer(&chunk)
            index += size + 2
        }
    }

    private static func find(crlf buffer: ByteBuffer, from start: Int) -> Int? {
        buffer.withUnsafeReadableBytes { bytes -> Int? in
            let offset = start - buffer.readerIndex
            guard bytes.count >= 2, offset <= bytes.count - 2 else { return nil }
            for index in offset...(bytes.count - 2) where bytes[index] == 13 && bytes[index + 1] == 10 {
                return buffer.readerIndex + index
            }
            return nil
        }
    }

    private static func find(crlfcrlf buffer: ByteBuffer, from start: Int) -> Int? {
        var index = start
        while let crlf = self.find(crlf: buffer, from: index) {
            if buffer.getInteger(at: crlf + 2, as: UInt16.self) == 0x0D0A { return crlf }
            index = crlf + 1
        }
        return nil
    }
}
