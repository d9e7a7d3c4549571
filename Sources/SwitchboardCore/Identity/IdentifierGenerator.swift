import Synchronization

/// Makes connection and request identifiers. Injected so tests can be deterministic (house rule 9).
package protocol IdentifierGenerator: Sendable {
    /// Returns a new identifier.
    ///
    /// - Returns: An identifier for which `Identifier.isWellFormed(_:)` is `true`.
    func next() -> String
}

/// The identifier format API Gateway uses for connection IDs, such as `R1kmxc2VNjMCFIA=`: 11 bytes in
/// the base64url alphabet with one `=` pad, so always 16 characters ending in `=`.
package enum Identifier {
    /// The number of random bytes in an identifier.
    package static let byteCount = 11
    /// The length of an identifier in characters.
    package static let length = 16

    /// Checks the shape of an identifier: 16 characters, the first 15 from `A-Z a-z 0-9 - _`, the last `=`.
    ///
    /// - Parameter text: The candidate identifier.
    /// - Returns: Whether it has the identifier shape.
    package static func isWellFormed(_ text: some StringProtocol) -> Bool {
        var count = 0
        for byte in text.utf8 {
            count += 1
            if count == Self.length {
                guard byte == UInt8(ascii: "=") else { return false }
            } else {
                guard count < Self.length, Self.isURLAlphabet(byte) else { return false }
            }
        }
        return count == Self.length
    }

    /// Encodes exactly `byteCount` bytes as an identifier.
    ///
    /// - Parameter bytes: Eleven bytes; extra bytes are ignored, missing ones count as zero.
    /// - Returns: The 16-character identifier.
    package static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes.prefix(Self.byteCount))
        var high: UInt64 = 0
        var low: UInt32 = 0
        for (offset, byte) in input.enumerated() {
            if offset < 8 {
                high |= UInt64(byte) << UInt64(56 - offset * 8)
            } else {
                low |= UInt32(byte) << UInt32(24 - (offset - 8) * 8)
            }
        }
        return self.encode(high: high, low: low)
    }

    /// Encodes 88 bits, given as the first 8 bytes (`high`, big-endian) and the top 3 bytes of `low`.
    static func encode(high: UInt64, low: UInt32) -> String {
        let table = Base64.encodingTable(.url)
        return String(unsafeUninitializedCapacity: Self.length) { output in
            // 88 bits = 14 full sextets + 4 bits; emit the sextets of high (64 bits) then low (24 bits).
            var bits = high
            for index in 0..<10 {
                output[index] = table[Int(truncatingIfNeeded: bits >> 58)]
                bits <<= 6
            }
            // 4 bits of `high` remain in the top of `bits`; combine with `low`.
            let rest = UInt64(bits >> 60) << 24 | UInt64(low >> 8)  // 28 bits
            output[10] = table[Int(truncatingIfNeeded: rest >> 22 & 0x3F)]
            output[11] = table[Int(truncatingIfNeeded: rest >> 16 & 0x3F)]
            output[12] = table[Int(truncatingIfNeeded: rest >> 10 & 0x3F)]
            output[13] = table[Int(truncatingIfNeeded: rest >> 4 & 0x3F)]
            output[14] = table[Int(truncatingIfNeeded: rest << 2 & 0x3F)]
            output[15] = UInt8(ascii: "=")
            return Self.length
        }
    }

    private static func isURLAlphabet(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}

/// Makes random identifiers from a ChaCha20 keystream seeded from the system's cryptographically secure
/// generator (one `getrandom` per generator instead of two per identifier).
package struct RandomIdentifierGenerator: IdentifierGenerator {
    private final class Source: Sendable {
        let random = Mutex(ChaCha20Random())
    }

    private let source = Source()

    /// Makes a generator.
    package init() {}

    /// Returns 11 random bytes as a 16-character identifier, such as `R1kmxc2VNjMCFIA=`.
    ///
    /// - Returns: A new identifier.
    package func next() -> String {
        let (high, low) = self.source.random.withLock { random in
            (random.next() as UInt64, UInt32(truncatingIfNeeded: random.next() as UInt64))
        }
        return Identifier.encode(high: high, low: low & 0xFFFF_FF00)
    }
}

/// Makes deterministic, well-formed identifiers for tests: the counter, big-endian, in the last 8 of the
/// 11 bytes, so the first identifiers are `AAAAAAAAAAAAAAA=`, `AAAAAAAAAAAAAAE=`, `AAAAAAAAAAAAAAI=`, ….
package struct SequentialIdentifierGenerator: IdentifierGenerator {
    private final class Counter: Sendable {
        let value: Atomic<UInt64>

        init(_ start: UInt64) {
            self.value = Atomic(start)
        }
    }

    private let counter: Counter

    /// Makes a generator.
    ///
    /// - Parameter start: The counter value of the first identifier.
    package init(start: UInt64 = 0) {
        self.counter = Counter(start)
    }

    /// Returns the identifier for the current counter value and increments the counter.
    ///
    /// - Returns: A new identifier.
    package func next() -> String {
        let value = self.counter.value.wrappingAdd(1, ordering: .relaxed).oldValue
        var bytes = [UInt8](repeating: 0, count: Identifier.byteCount)
        for offset in 0..<8 {
            bytes[3 + offset] = UInt8(truncatingIfNeeded: value >> UInt64(56 - offset * 8))
        }
        return Identifier.encode(bytes)
    }
}
