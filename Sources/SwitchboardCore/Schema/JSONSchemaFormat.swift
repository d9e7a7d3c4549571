/// The draft 4 `format` values that are checked. Other values are accepted without a check, as draft 4 allows.
enum JSONSchemaFormat: String, Sendable {
    case dateTime = "date-time"
    case email
    case hostname
    case ipv4
    case ipv6
    case uri
    case regex

    /// `true` when `string` is valid for the format.
    func accepts(_ string: String) -> Bool {
        let bytes = Array(string.utf8)
        switch self {
        case .dateTime: return Self.isDateTime(bytes)
        case .email: return Self.isEmail(bytes)
        case .hostname: return Self.isHostname(bytes[...])
        case .ipv4: return Self.isIPv4(bytes[...])
        case .ipv6: return Self.isIPv6(bytes[...])
        case .uri: return Self.isURI(bytes)
        case .regex: return JSONSchemaPattern(string) != nil
        }
    }

    /// The Java validator's message for a string that fails the format.
    func message(for string: String) -> String {
        switch self {
        case .dateTime:
            "string \"\(string)\" is invalid against requested date format(s) "
                + "[yyyy-MM-dd'T'HH:mm:ssZ, yyyy-MM-dd'T'HH:mm:ss.[0-9]{1,12}Z]"
        case .email: "string \"\(string)\" is not a valid email address"
        case .hostname: "string \"\(string)\" is not a valid hostname"
        case .ipv4: "string \"\(string)\" is not a valid IPv4 address"
        case .ipv6: "string \"\(string)\" is not a valid IPv6 address"
        case .uri: "string \"\(string)\" is not a valid URI"
        case .regex: "string \"\(string)\" is not a valid ECMA 262 regular expression"
        }
    }

    // MARK: - date-time (RFC 3339 §5.6)

    private static func isDateTime(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 20 else { return false }
        func number(_ start: Int, _ length: Int) -> Int? {
            guard start + length <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<(start + length)] {
                guard Self.isDigit(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0, 4), bytes[4] == UInt8(ascii: "-"), let month = number(5, 2),
            bytes[7] == UInt8(ascii: "-"), let day = number(8, 2), bytes[10] | 0x20 == UInt8(ascii: "t"),
            let hour = number(11, 2), bytes[13] == UInt8(ascii: ":"), let minute = number(14, 2),
            bytes[16] == UInt8(ascii: ":"), let second = number(17, 2)
        else { return false }
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year), hour < 24,
            minute < 60, second <= 60
        else { return false }
        var position = 19
        if bytes[position] == UInt8(ascii: ".") {
            position += 1
            let start = position
            while position < bytes.count, Self.isDigit(bytes[position]) { position += 1 }
            guard position > start else { return false }
        }
        guard position < bytes.count else { return false }
        var offset = 0
        if bytes[position] | 0x20 == UInt8(ascii: "z") {
            guard position + 1 == bytes.count else { return false }
        } else {
            let sign = bytes[position]
            guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"), position + 6 == bytes.count,
                let offsetHour = number(position + 1, 2), bytes[position + 3] == UInt8(ascii: ":"),
                let offsetMinute = number(position + 4, 2), offsetHour < 24, offsetMinute < 60
            else { return false }
            offset = (offsetHour * 60 + offsetMinute) * (sign == UInt8(ascii: "+") ? 1 : -1)
        }
        if second == 60 {
            // A leap second is only valid at 23:59 UTC.
            let utcMinute = ((hour * 60 + minute - offset) % 1440 + 1440) % 1440
            guard utcMinute == 23 * 60 + 59 else { return false }
        }
        return true
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // MARK: - email (RFC 5322 dot-atom local part)

    private static func isEmail(_ bytes: [UInt8]) -> Bool {
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return false }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        let atext = Set("!#$%&'*+-/=?^_`{|}~".utf8)
        guard !local.isEmpty, local.first != UInt8(ascii: "."), local.last != UInt8(ascii: ".") else { return false }
        var previousWasDot = false
        for byte in local {
            let isDot = byte == UInt8(ascii: ".")
            guard isDot ? !previousWasDot : (Self.isAlphanumeric(byte) || atext.contains(byte)) else { return false }
            previousWasDot = isDot
        }
        if domain.first == UInt8(ascii: "["), domain.last == UInt8(ascii: "]"), domain.count > 2 {
            let literal = domain.dropFirst().dropLast()
            let ipv6Prefix = Array("IPv6:".utf8)
            if literal.starts(with: ipv6Prefix) { return Self.isIPv6(literal.dropFirst(ipv6Prefix.count)) }
            return Self.isIPv4(literal)
        }
        return Self.isHostname(domain)
    }

    // MARK: - hostname (RFC 1123)

    private static func isHostname(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        for label in bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.count <= 63, label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-"),
                label.allSatisfy({ Self.isAlphanumeric($0) || $0 == UInt8(ascii: "-") })
            else { return false }
        }
        return true
    }

    // MARK: - ipv4, ipv6

    private static func isIPv4(_ bytes: ArraySlice<UInt8>) -> Bool {
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(Self.isDigit),
                part.count == 1 || part.first != UInt8(ascii: "0")
            else { return false }
            let value = part.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard value <= 255 else { return false }
        }
        return true
    }

    private static func isIPv6(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= 2, bytes.count <= 45 else { return false }
        let colon = UInt8(ascii: ":")
        var doubleColon: Int?
        var position = bytes.startIndex
        while position < bytes.endIndex - 1 {
            if bytes[position] == colon, bytes[position + 1] == colon {
                guard doubleColon == nil else { return false }
                doubleColon = position
            }
            position += 1
        }
        func groups(_ part: ArraySlice<UInt8>, last: Bool) -> Int? {
            guard !part.isEmpty else { return 0 }
            let fields = part.split(separator: colon, omittingEmptySubsequences: false)
            var count = 0
            for (index, field) in fields.enumerated() {
                if last, index == fields.count - 1, field.contains(UInt8(ascii: ".")) {
                    guard Self.isIPv4(field) else { return nil }
                    count += 2
                } else {
                    guard (1...4).contains(field.count), field.allSatisfy(Self.isHexDigit) else { return nil }
                    count += 1
                }
            }
            return count
        }
        guard let doubleColon else {
            return groups(bytes, last: true) == 8
        }
        guard let head = groups(bytes[..<doubleColon], last: false),
            let tail = groups(bytes[(doubleColon + 2)...], last: true)
        else { return false }
        return head + tail <= 7
    }

    // MARK: - uri (RFC 3986 absolute URI)

    private static let unreservedOrSubDelimiter = Set("-._~!$&'()*+,;=".utf8)

    private static func isURI(_ bytes: [UInt8]) -> Bool {
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, Self.isAlpha(bytes[0]),
            bytes[..<colon].allSatisfy({ Self.isAlphanumeric($0) || "+-.".utf8.contains($0) })
        else { return false }
        var rest = bytes[(colon + 1)...]
        let fragmentStart = rest.firstIndex(of: UInt8(ascii: "#"))
        if let fragmentStart {
            guard Self.isURIText(rest[(fragmentStart + 1)...], extra: "/?:@") else { return false }
            rest = rest[..<fragmentStart]
        }
        if let queryStart = rest.firstIndex(of: UInt8(ascii: "?")) {
            guard Self.isURIText(rest[(queryStart + 1)...], extra: "/?:@") else { return false }
            rest = rest[..<queryStart]
        }
        if rest.starts(with: "//".utf8) {
            rest = rest.dropFirst(2)
            let pathStart = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
            guard Self.isAuthority(rest[..<pathStart]) else { return false }
            rest = rest[pathStart...]
        }
        return Self.isURIText(rest, extra: "/:@")
    }

    private static func isAuthority(_ authority: ArraySlice<UInt8>) -> Bool {
        var host = authority
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) {
            guard Self.isURIText(authority[..<at], extra: ":") else { return false }
            host = authority[(at + 1)...]
        }
        var port: ArraySlice<UInt8> = []
        if host.first == UInt8(ascii: "[") {
            guard let close = host.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let literal = host[(host.startIndex + 1)..<close]
            let isFuture = literal.first == UInt8(ascii: "v") || literal.first == UInt8(ascii: "V")
            guard isFuture ? Self.isURIText(literal, extra: ":") : Self.isIPv6(literal) else { return false }
            let after = host[(close + 1)...]
            guard after.isEmpty || after.first == UInt8(ascii: ":") else { return false }
            port = after.dropFirst()
        } else {
            if let colon = host.lastIndex(of: UInt8(ascii: ":")) {
                port = host[(colon + 1)...]
                host = host[..<colon]
            }
            guard Self.isURIText(host, extra: "") else { return false }
        }
        return port.allSatisfy(Self.isDigit)
    }

    /// `true` when every byte is unreserved, a sub-delimiter, one of `extra` or part of a `%XX` escape.
    private static func isURIText(_ bytes: ArraySlice<UInt8>, extra: String) -> Bool {
        var position = bytes.startIndex
        while position < bytes.endIndex {
            let byte = bytes[position]
            if byte == UInt8(ascii: "%") {
                guard position + 2 < bytes.endIndex, Self.isHexDigit(bytes[position + 1]),
                    Self.isHexDigit(bytes[position + 2])
                else { return false }
                position += 3
                continue
            }
            guard Self.isAlphanumeric(byte) || Self.unreservedOrSubDelimiter.contains(byte) || extra.utf8.contains(byte)
            else { return false }
            position += 1
        }
        return true
    }

    // MARK: - ASCII classes

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isAlpha(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool { Self.isDigit(byte) || Self.isAlpha(byte) }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        Self.isDigit(byte) || ((byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "f"))
    }
}
