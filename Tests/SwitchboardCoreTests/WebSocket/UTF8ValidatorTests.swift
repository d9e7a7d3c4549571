import SwitchboardCore
import Testing

private let validSamples: [[UInt8]] = [
    [], Array("hello world, this is longer than eight bytes".utf8), Array("κόσμε".utf8), Array("日本語テキスト".utf8),
    Array("😀 emoji 𝄞".utf8), [0xF4, 0x8F, 0xBF, 0xBF],
    Array("abcdefgh".utf8) + [0xC3, 0xA9] + Array("ijklmnop".utf8),
]
private let invalidSamples: [[UInt8]] = [
    [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xFF], [0xE0, 0x80, 0xAF],
    Array("abcdefghijklmnop".utf8) + [0xFE], Array("12345678".utf8) + [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF],
]

struct UTF8ValidatorTests {
    @Test("valid UTF-8 is accepted whole and split at every position", arguments: validSamples)
    func valid(bytes: [UInt8]) {
        #expect(UTF8Validator.isValid(bytes))
        for split in 0...bytes.count {
            var validator = UTF8Validator()
            let fed1 = validator.feed(bytes[..<split])
            #expect(fed1)
            let fed2 = validator.feed(bytes[split...])
            #expect(fed2)
            #expect(validator.isComplete)
        }
    }

    @Test("invalid UTF-8 is rejected", arguments: invalidSamples)
    func invalid(bytes: [UInt8]) {
        #expect(!UTF8Validator.isValid(bytes))
    }

    @Test("a truncated code point is a valid prefix but not complete")
    func truncated() {
        var validator = UTF8Validator()
        let fed3 = validator.feed([0x61, 0xE6, 0x97])
        #expect(fed3)
        #expect(!validator.isComplete)
        let fed4 = validator.feed([0xA5])
        #expect(fed4)
        #expect(validator.isComplete)
    }

    @Test("the first invalid byte fails fast, before the rest arrives")
    func failFast() {
        var validator = UTF8Validator()
        let fed5 = validator.feed(Array("κόσμε".utf8))
        #expect(fed5)
        let fed6 = validator.feed([0xED, 0xA0])
        #expect(!fed6)
    }
}
