/// An incremental UTF-8 validator (Bjoern Hoehrmann's DFA formulation, written from the Unicode tables),
/// so a text message split over fragments is rejected on the first invalid byte (fail fast, RFC 6455 §8.1).
package struct UTF8Validator: Sendable {
    @usableFromInline var state: UInt8 = Self.accept

    @usableFromInline static let accept: UInt8 = 0
    @usableFromInline static let reject: UInt8 = 1

    /// Creates a validator at a code point boundary.
    package init() {}

    /// Whether the bytes so far end on a code point boundary.
    package var isComplete: Bool { self.state == Self.accept }

    /// Feeds bytes; returns `false` as soon as the input can no longer be valid UTF-8.
    /// - Parameter bytes: the next bytes of the message.
    /// - Returns: whether the input is still a valid prefix.
    @inlinable
    package mutating func feed(_ bytes: some Sequence<UInt8>) -> Bool {
        if let result = bytes.withContiguousStorageIfAvailable({ self.feed(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        let copy = Array(bytes)
        return copy.withUnsafeBytes { self.feed($0) }
    }

    /// Feeds raw bytes: eight ASCII bytes at a time while at a code point boundary, the DFA otherwise.
    /// - Parameter bytes: the next bytes of the message.
    /// - Returns: whether the input is still a valid prefix.
    package mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var state = self.state
        var index = 0
        let count = bytes.count
        while index < count {
            if state == Self.accept {
                while index + 8 <= count,
                    bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
                {
                    index += 8
                }
                while index < count, bytes[index] < 0x80 { index += 1 }
                if index == count { break }
            }
            state = Self.step(state, bytes[index])
            index += 1
            if state == Self.reject {
                self.state = state
                return false
            }
        }
        self.state = state
        return true
    }

    /// Resets to a code point boundary.
    package mutating func reset() { self.state = Self.accept }

    /// Validates a whole buffer.
    /// - Parameter bytes: the bytes.
    /// - Returns: whether they are complete, valid UTF-8.
    package static func isValid(_ bytes: some Sequence<UInt8>) -> Bool {
        var validator = UTF8Validator()
        return validator.feed(bytes) && validator.isComplete
    }

    // States: 0 accept, 1 reject, 2 need 1 more (80..BF), 3 need 2 more, 4 need 3 more,
    // 5 after E0 (A0..BF), 6 after ED (80..9F), 7 after F0 (90..BF), 8 after F4 (80..8F).
    @inline(__always)
    private static func step(_ state: UInt8, _ byte: UInt8) -> UInt8 {
        switch state {
        case 0:
            switch byte {
            case 0x00...0x7F: return 0
            case 0xC2...0xDF: return 2
            case 0xE0: return 5
            case 0xE1...0xEC, 0xEE...0xEF: return 3
            case 0xED: return 6
            case 0xF0: return 7
            case 0xF1...0xF3: return 4
            case 0xF4: return 8
            default: return 1
            }
        case 2: return (0x80...0xBF).contains(byte) ? 0 : 1
        case 3: return (0x80...0xBF).contains(byte) ? 2 : 1
        case 4: return (0x80...0xBF).contains(byte) ? 3 : 1
        case 5: return (0xA0...0xBF).contains(byte) ? 2 : 1
        case 6: return (0x80...0x9F).contains(byte) ? 2 : 1
        case 7: return (0x90...0xBF).contains(byte) ? 3 : 1
        case 8: return (0x80...0x8F).contains(byte) ? 3 : 1
        default: return 1
        }
    }
}
