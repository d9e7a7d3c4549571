/// A ChaCha20 keystream (RFC 8439) used as a random number generator: seeded once from the system's
/// generator, then about 50 times cheaper per identifier than a `getrandom` call for every 8 bytes.
/// Not thread-safe; ``RandomIdentifierGenerator`` guards one with a mutex.
package struct ChaCha20Random: RandomNumberGenerator, Sendable {
    private var state: [UInt32]
    private var block = [UInt32](repeating: 0, count: 16)
    private var used = 16

    /// Seeds a generator from the system's cryptographically secure generator.
    package init() {
        var system = SystemRandomNumberGenerator()
        var key: [UInt32] = []
        for _ in 0..<4 {
            let value = system.next() as UInt64
            key.append(UInt32(truncatingIfNeeded: value))
            key.append(UInt32(truncatingIfNeeded: value >> 32))
        }
        let nonce = system.next() as UInt64
        self.init(
            key: key,
            counter: 0,
            nonce: [UInt32(truncatingIfNeeded: nonce), UInt32(truncatingIfNeeded: nonce >> 32), 0]
        )
    }

    /// Creates a generator with an explicit key (8 words), block counter and nonce (3 words), for tests.
    package init(key: [UInt32], counter: UInt32, nonce: [UInt32]) {
        self.state = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574] + key.prefix(8) + [counter] + nonce.prefix(3)
    }

    /// The next keystream block as 16 little-endian words (advances the counter).
    package mutating func nextBlock() -> [UInt32] {
        var x = self.state
        for _ in 0..<10 {
            Self.quarterRound(&x, 0, 4, 8, 12)
            Self.quarterRound(&x, 1, 5, 9, 13)
            Self.quarterRound(&x, 2, 6, 10, 14)
            Self.quarterRound(&x, 3, 7, 11, 15)
            Self.quarterRound(&x, 0, 5, 10, 15)
            Self.quarterRound(&x, 1, 6, 11, 12)
            Self.quarterRound(&x, 2, 7, 8, 13)
            Self.quarterRound(&x, 3, 4, 9, 14)
        }
        for index in 0..<16 { x[index] &+= self.state[index] }
        self.state[12] &+= 1
        if self.state[12] == 0 { self.state[13] &+= 1 }
        return x
    }

    /// The next 64 random bits.
    package mutating func next() -> UInt64 {
        if self.used > 14 {
            self.block = self.nextBlock()
            self.used = 0
        }
        let value = UInt64(self.block[self.used]) | UInt64(self.block[self.used + 1]) << 32
        self.used += 2
        return value
    }

    @inline(__always)
    private static func quarterRound(_ x: inout [UInt32], _ a: Int, _ b: Int, _ c: Int, _ d: Int) {
        x[a] &+= x[b]
        x[d] = (x[d] ^ x[a]).rotatedLeft(16)
        x[c] &+= x[d]
        x[b] = (x[b] ^ x[c]).rotatedLeft(12)
        x[a] &+= x[b]
        x[d] = (x[d] ^ x[a]).rotatedLeft(8)
        x[c] &+= x[d]
        x[b] = (x[b] ^ x[c]).rotatedLeft(7)
    }
}

extension UInt32 {
    @inline(__always)
    fileprivate func rotatedLeft(_ count: UInt32) -> UInt32 {
        (self << count) | (self >> (32 - count))
    }
}
