import Histogram
import NIOCore

/// The stamp `post` and `broadcast` put in front of every message they send through the management API, so
/// that the receiving client can time it: `sbb:NODE:NUMBER:STAMP:TEXT`, where NODE is the index of the node the
/// post went through (0 for `--post-url`, 1 for `--post-url2`), NUMBER the request's unique number and STAMP
/// ``monotonicNanos()`` when the post was sent (open loop: when it was due). Sender and receivers live in one
/// process, so the stamp needs no clock synchronization.
enum DeliveryMarker {
    private static let prefix = Array("sbb:".utf8)

    /// The marker for one post; the body is this followed by the message text.
    static func marker(node: Int, number: Int, stamp: UInt64) -> String {
        "sbb:\(node):\(number):\(stamp):"
    }

    /// A parsed marker.
    struct Stamp: Equatable {
        var node: Int
        var number: Int
        var stamp: UInt64
    }

    /// Parses the marker at the start of `message`; `nil` when there is none.
    static func parse(_ message: ByteBuffer) -> Stamp? {
        message.withUnsafeReadableBytes { bytes -> Stamp? in
            guard bytes.count > self.prefix.count, bytes.starts(with: self.prefix) else { return nil }
            var index = self.prefix.count
            var fields: [UInt64] = []
            while fields.count < 3 {
                var value: UInt64 = 0
                var digits = 0
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39, digits < 20 {
                    value = value &* 10 &+ UInt64(bytes[index] - 0x30)
                    index += 1
                    digits += 1
                }
                guard digits > 0, index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                fields.append(value)
            }
            return Stamp(
                node: Int(truncatingIfNeeded: fields[0]),
                number: Int(truncatingIfNeeded: fields[1]),
                stamp: fields[2]
            )
        }
    }

    /// Records one received message in `stats`: its delivery latency when its stamp is in the measured window.
    static func record(_ message: ByteBuffer, into stats: LoopStats, now: UInt64 = monotonicNanos()) {
        guard let stamp = self.parse(message), stamp.node >= 0, stamp.node < stats.deliveries.count else {
            stats.unmarked += 1
            return
        }
        stats.marked += 1
        guard stamp.stamp >= stats.windowStart, stamp.stamp < stats.windowEnd else { return }
        stats.deliveries[stamp.node].record(now > stamp.stamp ? now - stamp.stamp : 0)
    }

    /// The connection id in a `whoami` answer: the string value of `"connectionId"` when the answer is a JSON
    /// object holding one (`{"connectionId":"$context.connectionId"}`), else the whole answer without surrounding
    /// white space or quotes (a template of just `$context.connectionId`); `nil` when that leaves nothing.
    static func connectionId(fromAnswer answer: ByteBuffer) -> String? {
        let text = String(decoding: answer.readableBytesView, as: UTF8.self)
        if let key = text.firstRange(of: "\"connectionId\"") {
            var rest = text[key.upperBound...].drop { $0 == " " || $0 == ":" }
            guard rest.first == "\"" else { return nil }
            rest = rest.dropFirst()
            var id = ""
            var escaped = false
            for character in rest {
                if escaped {
                    id.append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    return id.isEmpty ? nil : id
                } else {
                    id.append(character)
                }
            }
            return nil
        }
        let trimmed = text.trimmingCharacters(where: { " \n\r\t\"".contains($0) })
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters (ids such as `L0SM9cOFvHcCIhw=` end in `=`).
    static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }
}

extension String {
    /// The string without leading and trailing characters that match `isTrimmed`.
    func trimmingCharacters(where isTrimmed: (Character) -> Bool) -> String {
        String(self.drop(while: isTrimmed).reversed().drop(while: isTrimmed).reversed())
    }
}
