import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A seeded source of fuzz inputs for the seeded-generator fuzz tests (issue 7: "libFuzzer where SwiftPM can build
/// it, else a seeded generator in the tests").
///
/// The generator is SplitMix64, so a seed gives the same inputs on every machine and every run. Every failure
/// message names the seed and the case number; a crash reproduces by running the same test again (the default
/// seeds are fixed), or with `SWITCHBOARD_FUZZ_SEED=<seed>`. `SWITCHBOARD_FUZZ_SCALE=<n>` runs n times as many
/// cases, for a longer hunt than CI does.
struct FuzzRandom: RandomNumberGenerator {
    /// The seed this generator started from, for failure messages.
    let seed: UInt64
    private var state: UInt64

    /// Makes a generator from `SWITCHBOARD_FUZZ_SEED` when it is set, else from `seed`.
    init(seed: UInt64) {
        let override = ProcessInfo.processInfo.environment["SWITCHBOARD_FUZZ_SEED"].flatMap { UInt64($0) }
        self.seed = override ?? seed
        self.state = self.seed
    }

    /// `count` times `SWITCHBOARD_FUZZ_SCALE` (default 1).
    static func cases(_ count: Int) -> Int {
        let scale = ProcessInfo.processInfo.environment["SWITCHBOARD_FUZZ_SCALE"].flatMap { Int($0) } ?? 1
        return count * max(scale, 1)
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    // MARK: - Primitives

    /// A uniform integer in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &self)
    }

    /// `true` with probability `1 / n`.
    mutating func oneIn(_ n: Int) -> Bool {
        self.int(0...(n - 1)) == 0
    }

    /// A uniformly chosen element of a non-empty array.
    mutating func pick<Element>(_ elements: [Element]) -> Element {
        elements[self.int(0...(elements.count - 1))]
    }

    /// A string of `length` (0…`maxLength`) pieces drawn from `alphabet`.
    mutating func string(from alphabet: [String], maxLength: Int) -> String {
        var output = ""
        for _ in 0..<self.int(0...maxLength) { output += self.pick(alphabet) }
        return output
    }

    // MARK: - Mutation

    /// Bytes that tend to matter to the parsers under test.
    static let interestingBytes: [UInt8] =
        Array("{}[]()\"'\\$.:,;=-+*@#&!|>?%/ \t\r\n0123456789eE".utf8) + [
            0x00, 0x01, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xFE, 0xFF,
        ]

    /// Applies 1–`maxMutations` random edits to `input`: bit flips, byte replacements, insertions of
    /// interesting bytes or of `tokens`, deletions, duplicated ranges and truncation.
    mutating func mutate(_ input: [UInt8], tokens: [String] = [], maxMutations: Int = 4) -> [UInt8] {
        var bytes = input
        for _ in 0..<self.int(1...maxMutations) {
            let position = bytes.isEmpty ? 0 : self.int(0...(bytes.count - 1))
            switch self.int(0...7) {
            case 0 where !bytes.isEmpty:
                bytes[position] ^= UInt8(1) << UInt8(self.int(0...7))
            case 1 where !bytes.isEmpty:
                bytes[position] = self.pick(Self.interestingBytes)
            case 2:
                bytes.insert(self.pick(Self.interestingBytes), at: position)
            case 3 where !tokens.isEmpty:
                bytes.insert(contentsOf: Array(self.pick(tokens).utf8), at: position)
            case 4 where !bytes.isEmpty:
                let end = min(bytes.count, position + self.int(1...16))
                bytes.removeSubrange(position..<end)
            case 5 where !bytes.isEmpty:
                let end = min(bytes.count, position + self.int(1...32))
                let slice = bytes[position..<end]
                bytes.insert(contentsOf: slice, at: self.int(0...bytes.count))
            case 6 where !bytes.isEmpty:
                bytes.removeSubrange(self.int(0...(bytes.count - 1))...)
            default:
                bytes.insert(UInt8(truncatingIfNeeded: self.next()), at: position)
            }
        }
        return bytes
    }

    /// `mutate(_:tokens:maxMutations:)` on a string's UTF-8, decoded back with invalid bytes repaired (U+FFFD).
    mutating func mutate(_ input: String, tokens: [String] = [], maxMutations: Int = 4) -> String {
        String(decoding: self.mutate(Array(input.utf8), tokens: tokens, maxMutations: maxMutations), as: UTF8.self)
    }

    // MARK: - JSON

    /// Object keys: a few short ones (so generated paths hit) and awkward ones.
    static let keys = [
        "a", "b", "action", "data", "room", "0", "", "k y", "a.b", "x'y", "q\"r", "[0]", "é", "$", "*",
        "'\u{301}", "\u{0604}\\",
    ]

    /// Strings for JSON string values.
    static let strings = [
        "", "x", "echo", "hello, world", "line\nbreak", "tab\t", "quote\"", "back\\slash", "é😀", "\u{0}",
    ]

    /// Number literals, including ones that do not fit in `Int` or `Double`.
    static let numbers = [
        "0", "-0", "1", "-1", "42", "3.25", "1e3", "-2.5E-7", "123456789012345678901234567890", "1e400",
    ]

    /// A random JSON value at most `depth` levels deep, with at most `width` members or elements per container.
    mutating func json(depth: Int, width: Int) -> JSONValue {
        let kind = depth <= 0 ? self.int(0...3) : self.int(0...5)
        switch kind {
        case 0: return .null
        case 1: return .bool(self.oneIn(2))
        case 2: return .number(self.pick(Self.numbers))
        case 3: return .string(self.pick(Self.strings))
        case 4:
            return .array((0..<self.int(0...width)).map { _ in self.json(depth: depth - 1, width: width) })
        default:
            var object = JSONObject()
            for _ in 0..<self.int(0...width) {
                object[self.pick(Self.keys)] = self.json(depth: depth - 1, width: width)
            }
            return .object(object)
        }
    }

    /// A path that exists in `value`, found by walking it at random, with the value it leads to.
    mutating func existingPath(in value: JSONValue) -> (JSONPath, JSONValue) {
        var segments: [JSONPath.Segment] = []
        var current = value
        while !self.oneIn(4) {
            switch current {
            case .array(let elements) where !elements.isEmpty:
                let index = self.int(0...(elements.count - 1))
                segments.append(.index(index))
                current = elements[index]
            case .object(let object) where !object.isEmpty:
                let key = self.pick(object.keys)
                segments.append(.key(key))
                current = object[key] ?? .null
            default:
                return (JSONPath(segments: segments), current)
            }
        }
        return (JSONPath(segments: segments), current)
    }

    // MARK: - Messages

    /// `text` quoted and cut to `limit` characters, for failure messages.
    static func preview(_ text: String, limit: Int = 160) -> String {
        text.count <= limit ? text.debugDescription : String(text.prefix(limit)).debugDescription + "…"
    }
}
