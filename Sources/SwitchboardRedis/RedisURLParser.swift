/// Parses `redis://[[user]:password@]host[:port][/db]` into a ``RedisConfiguration`` (no Foundation).
enum RedisURLParser {
    static func parse(_ url: String, into configuration: inout RedisConfiguration) throws(RedisError) {
        guard let schemeEnd = url.firstRange(of: "://") else {
            throw .invalidURL("expected redis://[[user]:password@]host[:port][/db]")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "redis" else {
            throw .invalidURL(
                scheme == "rediss"
                    ? "rediss:// (TLS) is not supported; use redis://"
                    : "unsupported scheme '\(scheme)'; use redis://"
            )
        }
        var rest = url[schemeEnd.upperBound...]

        // User info: everything before the last '@' (a password's '@' or '/' should be percent-encoded, but
        // taking the last '@' also accepts them raw).
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            guard let colon = userInfo.firstIndex(of: ":") else {
                throw .invalidURL("user info must be [user]:password")
            }
            let user = try Self.percentDecoded(userInfo[..<colon])
            let password = try Self.percentDecoded(userInfo[userInfo.index(after: colon)...])
            configuration.username = user.isEmpty ? nil : user
            configuration.password = password.isEmpty ? nil : password
        }
        guard !rest.contains("?"), !rest.contains("#") else {
            throw .invalidURL("query strings and fragments are not supported")
        }

        // Path: the database number.
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !path.isEmpty {
                guard let database = Int(path), database >= 0 else {
                    throw .invalidURL("the database must be a non-negative integer, not '\(path)'")
                }
                configuration.database = database
            }
        }

        // Host and port; IPv6 literals are bracketed.
        var hostPart = rest
        var portPart: Substring? = nil
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { throw .invalidURL("unclosed '[' in host") }
            let after = hostPart[hostPart.index(after: close)...]
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .invalidURL("unexpected text after ']'") }
                portPart = after.dropFirst()
            }
        } else if let colon = hostPart.lastIndex(of: ":") {
            portPart = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }
        guard !hostPart.isEmpty else { throw .invalidURL("the host is missing") }
        configuration.host = String(hostPart)
        if let portPart {
            guard let port = Int(portPart), (1...65535).contains(port) else {
                throw .invalidURL("the port must be 1-65535, not '\(portPart)'")
            }
            configuration.port = port
        }
    }

    private static func percentDecoded(_ text: Substring) throws(RedisError) -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue)
            else { throw .invalidURL("bad percent-encoding in user info") }
            bytes.append(high << 4 | low)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
