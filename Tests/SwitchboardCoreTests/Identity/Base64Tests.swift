import SwitchboardCore
import Testing

struct Base64Tests {
    @Test(
        "encodes and decodes the RFC 4648 vectors",
        arguments: [
            ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ]
    )
    func rfcVectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test("the URL alphabet replaces + and / with - and _")
    func urlAlphabet() {
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF]
        #expect(Base64.encode(bytes) == "+/+/")
        #expect(Base64.encode(bytes, alphabet: .url) == "-_-_")
        #expect(Base64.decode("-_-_", alphabet: .url) == bytes)
        #expect(Base64.decode("-_-_") == nil)
        #expect(Base64.decode("+/+/", alphabet: .url) == nil)
    }

    @Test("padding can be left out when encoding and is optional when decoding")
    func unpadded() {
        #expect(Base64.encode(Array("f".utf8), padding: false) == "Zg")
        #expect(Base64.encode(Array("fo".utf8), alphabet: .url, padding: false) == "Zm8")
        #expect(Base64.decode("Zg") == Array("f".utf8))
        #expect(Base64.decode("Zm8") == Array("fo".utf8))
    }

    @Test(
        "rejects invalid text",
        arguments: ["Z", "Zg=", "Zg===", "Z===", "Zm9v\n", "Zm 9v", "Zm9v!", "=Zm9", "Zg==Zg==", "é"]
    )
    func rejects(text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test("round trips every byte value and length")
    func roundTrip() {
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        for length in 0..<40 {
            let slice = bytes[0..<length]
            for alphabet in [Base64.Alphabet.standard, .url] {
                #expect(Base64.decode(Base64.encode(slice, alphabet: alphabet), alphabet: alphabet) == Array(slice))
                let unpadded = Base64.encode(slice, alphabet: alphabet, padding: false)
                #expect(Base64.decode(unpadded, alphabet: alphabet) == Array(slice))
            }
        }
        #expect(Base64.decode(Base64.encode(bytes)) == bytes)
    }
}
