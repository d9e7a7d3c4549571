import Foundation
import SwitchboardConfig
import SwitchboardCore
import Testing

/// Seeded fuzzing of the configuration loader (issue 7): mutated versions of the shipped configurations (byte
/// edits, truncations, duplicated, dropped and re-indented lines, deep nesting, alias bombs) either load or throw
/// a `ConfigError` whose every diagnostic names a line; nothing crashes or hangs.
///
/// The generator is SplitMix64 with fixed seeds, so every run sees the same inputs; failure messages name the seed
/// and the case. `SWITCHBOARD_FUZZ_SEED` and `SWITCHBOARD_FUZZ_SCALE` (a multiplier for the case counts) override.
struct ConfigLoaderFuzzTests {
    /// The shipped configurations the mutations start from.
    static let seeds: [String] = ShippedConfigTests.shippedFiles.compactMap { name in
        try? String(contentsOf: ShippedConfigTests.configDirectory.appendingPathComponent(name), encoding: .utf8)
    }

    /// What `${NAME}` resolves to.
    static let environment = ["PORT": "8080", "NODE_ID": "node-a", "X": ""]

    /// Fragments that mean something to YAML or to the loader.
    static let tokens = [
        ": ", "- ", "\n", "  ", "{", "}", "[", "]", ", ", "&a ", "*a", "<<: *a\n", "!!str ", "!!binary ", "!custom ",
        "|\n", ">-\n", "'", "\"", " #", "---\n", "...\n", "${PORT}", "${X:-1}", "${UNSET}", "$default", "\t", "? ",
        "%YAML 1.1\n", "~", "null", "0x10", "1e400", "-1", "99999999999999999999", "\u{FEFF}", "\u{0}", "é",
    ]

    @Test("byte edits of the shipped configurations load or are diagnosed")
    func byteEdits() {
        var random = Random(seed: 0xC0DF_1600_0001)
        for index in 0..<Random.cases(600) {
            let yaml = random.mutate(random.pick(Self.seeds), tokens: Self.tokens, maxMutations: 3)
            Self.check(yaml, context: "seed \(random.seed) case \(index)")
        }
    }

    @Test("truncations of the shipped configurations load or are diagnosed")
    func truncations() {
        var random = Random(seed: 0xC0DF_1600_0002)
        for index in 0..<Random.cases(600) {
            let bytes = Array(random.pick(Self.seeds).utf8)
            let cut = String(decoding: bytes.prefix(random.int(0...bytes.count)), as: UTF8.self)
            Self.check(cut, context: "seed \(random.seed) case \(index)")
        }
    }

    @Test("duplicated, dropped, swapped and re-indented lines load or are diagnosed")
    func lineEdits() {
        var random = Random(seed: 0xC0DF_1600_0003)
        for index in 0..<Random.cases(600) {
            var lines = random.pick(Self.seeds).split(separator: "\n", omittingEmptySubsequences: false).map(
                String.init
            )
            for _ in 0..<random.int(1...3) {
                let line = random.int(0...(lines.count - 1))
                let other = random.int(0...(lines.count - 1))
                switch random.int(0...4) {
                case 0: lines.insert(lines[line], at: other)
                case 1: lines.remove(at: line)
                case 2: lines.swapAt(line, other)
                case 3: lines[line] = String(repeating: " ", count: random.int(0...6)) + lines[line].drop { $0 == " " }
                default: lines.insert(contentsOf: lines[min(line, other)...max(line, other)].prefix(8), at: other)
                }
                if lines.isEmpty { lines = [""] }
            }
            Self.check(lines.joined(separator: "\n"), context: "seed \(random.seed) case \(index)")
        }
    }

    @Test("100k-deep nesting is rejected with a diagnostic, not a stack overflow")
    func deepNesting() {
        let depth = 100_000
        let documents = [
            String(repeating: "[", count: depth),
            String(repeating: "[", count: depth) + String(repeating: "]", count: depth),
            String(repeating: "{a: ", count: depth) + "1" + String(repeating: "}", count: depth),
            "apis: " + String(repeating: "[", count: depth),
            String(repeating: "- ", count: depth) + "x",
            "server:\n" + (1...1_050).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n"),
            // At libyaml's own limit (1,000 levels) the document composes; the loader must then walk it.
            "apis:\n  - " + String(repeating: "[", count: 990) + String(repeating: "]", count: 990),
            "server: " + String(repeating: "{a: ", count: 990) + "1" + String(repeating: "}", count: 990),
        ]
        for (index, yaml) in documents.enumerated() {
            Self.check(yaml, context: "deep document \(index)", mustFail: true)
        }
    }

    @Test("alias expansion (billion laughs) is bounded")
    func aliasBomb() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let previous = Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ")
            yaml += "a\(level): &a\(level) [\(previous)]\n"
        }
        yaml += "server: { listen: *a9 }\napis: [ { id: x, stages: *a9, routes: { r: *a9 } } ]\n"
        Self.check(yaml, context: "billion laughs", mustFail: true)
    }

    /// Loads `yaml`: it must give a configuration or a `ConfigError` whose diagnostics all name a line ≥ 0.
    private static func check(_ yaml: String, context: String, mustFail: Bool = false) {
        do {
            _ = try ConfigLoader.load(yaml: yaml, file: "fuzz.yaml", environment: Self.environment)
            #expect(!mustFail, "\(context): loaded")
        } catch {
            #expect(!error.diagnostics.isEmpty, "\(context): no diagnostics")
            let lines = yaml.utf8.count { $0 == UInt8(ascii: "\n") } + 2
            for diagnostic in error.diagnostics {
                #expect(
                    (0...lines).contains(diagnostic.line) && diagnostic.column >= 0,
                    "\(context): \(diagnostic) in \(String(reflecting: yaml.prefix(300)))"
                )
            }
        }
    }

    /// SplitMix64 with the mutations above (the Core tests have their own copy, `FuzzRandom`).
    struct Random: RandomNumberGenerator {
        let seed: UInt64
        private var state: UInt64

        init(seed: UInt64) {
            let override = ProcessInfo.processInfo.environment["SWITCHBOARD_FUZZ_SEED"].flatMap { UInt64($0) }
            self.seed = override ?? seed
            self.state = self.seed
        }

        static func cases(_ count: Int) -> Int {
            count * max(ProcessInfo.processInfo.environment["SWITCHBOARD_FUZZ_SCALE"].flatMap { Int($0) } ?? 1, 1)
        }

        mutating func next() -> UInt64 {
            self.state &+= 0x9E37_79B9_7F4A_7C15
            var z = self.state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func int(_ range: ClosedRange<Int>) -> Int {
            Int.random(in: range, using: &self)
        }

        mutating func pick<Element>(_ elements: [Element]) -> Element {
            elements[self.int(0...(elements.count - 1))]
        }

        /// 1–`maxMutations` edits of the UTF-8 text: bit flips, byte replacements, token insertions, deletions,
        /// duplicated ranges. Invalid UTF-8 is repaired when decoding back (U+FFFD).
        mutating func mutate(_ text: String, tokens: [String], maxMutations: Int) -> String {
            var bytes = Array(text.utf8)
            for _ in 0..<self.int(1...maxMutations) {
                let position = bytes.isEmpty ? 0 : self.int(0...(bytes.count - 1))
                switch self.int(0...4) {
                case 0 where !bytes.isEmpty:
                    bytes[position] ^= UInt8(1) << UInt8(self.int(0...7))
                case 1 where !bytes.isEmpty:
                    bytes[position] = UInt8(truncatingIfNeeded: self.next())
                case 2:
                    bytes.insert(contentsOf: Array(self.pick(tokens).utf8), at: position)
                case 3 where !bytes.isEmpty:
                    bytes.removeSubrange(position..<min(bytes.count, position + self.int(1...16)))
                default:
                    let end = min(bytes.count, position + self.int(1...40))
                    bytes.insert(contentsOf: bytes[position..<end], at: self.int(0...bytes.count))
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
