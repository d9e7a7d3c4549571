/// An IPv4 or IPv6 address range in CIDR form (`192.0.2.0/24`, `2001:db8::/32`, or one address), for resource
/// policy `IpAddress` / `NotIpAddress` conditions on `aws:SourceIp`.
package struct IPAddressRange: Sendable, Equatable {
    private let network: [UInt8]
    private let prefixLength: Int

    /// Parses a range; `nil` when it is not an address with an optional prefix length.
    package init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = Self.parseAddress(String(parts[0])) else { return nil }
        let maxLength = address.count * 8
        var length = maxLength
        if parts.count == 2 {
            guard let value = Int(parts[1]), (0...maxLength).contains(value) else { return nil }
            length = value
        }
        self.network = address
        self.prefixLength = length
    }

    /// Whether an address lies in the range (an IPv4-mapped IPv6 address counts as IPv4).
    package func contains(_ text: String) -> Bool {
        guard var address = Self.parseAddress(text) else { return false }
        if address.count == 16 && self.network.count == 4 && address[0..<10].allSatisfy({ $0 == 0 })
            && address[10] == 0xFF && address[11] == 0xFF
        {
            address = Array(address[12...])
        }
        guard address.count == self.network.count else { return false }
        var remaining = self.prefixLength
        for index in 0..<address.count where remaining > 0 {
            let bits = min(remaining, 8)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if address[index] & mask != self.network[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// Parses a dotted IPv4 address (4 bytes) or an IPv6 address (16 bytes).
    static func parseAddress(_ text: String) -> [UInt8]? {
        if text.contains(":") { return Self.parseIPv6(text) }
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for octet in octets {
            guard !octet.isEmpty, octet.count <= 3, let value = UInt8(octet) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    private static func parseIPv6(_ text: String) -> [UInt8]? {
        var halves = [text]
        if let range = text.firstRange(of: "::") {
            halves = [String(text[..<range.lowerBound]), String(text[range.upperBound...])]
            guard !halves[1].contains("::") else { return nil }
        }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                if group.contains("."), let v4 = Self.parseAddress(String(group)), v4.count == 4 {
                    // An embedded IPv4 tail (`::ffff:192.0.2.1`) is two groups.
                    result += [UInt16(v4[0]) << 8 | UInt16(v4[1]), UInt16(v4[2]) << 8 | UInt16(v4[3])]
                    continue
                }
                guard !group.isEmpty, group.count <= 4, let value = UInt16(group, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }
}
