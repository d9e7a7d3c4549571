import SwitchboardCore
import Testing

struct IdentifierGeneratorTests {
    @Test("random identifiers are 16 base64url characters ending in =")
    func randomShape() {
        let generator = RandomIdentifierGenerator()
        var seen = Set<String>()
        for _ in 0..<2000 {
            let identifier = generator.next()
            #expect(identifier.utf8.count == 16)
            #expect(identifier.hasSuffix("="))
            #expect(Identifier.isWellFormed(identifier))
            seen.insert(identifier)
        }
        #expect(seen.count == 2000)
    }

    @Test("random identifiers decode to 11 bytes and re-encode identically")
    func randomDecodes() throws {
        let identifier = RandomIdentifierGenerator().next()
        let bytes = try #require(Base64.decode(identifier, alphabet: .url))
        #expect(bytes.count == 11)
        #expect(Identifier.encode(bytes) == identifier)
    }

    @Test("sequential identifiers are deterministic and well formed")
    func sequential() {
        let generator = SequentialIdentifierGenerator()
        #expect(generator.next() == "AAAAAAAAAAAAAAA=")
        #expect(generator.next() == "AAAAAAAAAAAAAAE=")
        #expect(generator.next() == "AAAAAAAAAAAAAAI=")
        let later = SequentialIdentifierGenerator(start: 0x0123_4567_89AB_CDEF)
        let first = later.next()
        #expect(Identifier.isWellFormed(first))
        #expect(Base64.decode(first, alphabet: .url) == [0, 0, 0, 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF])
        #expect(later.next() != first)
    }

    @Test("sequential identifiers are unique across concurrent callers")
    func sequentialConcurrent() async {
        let generator = SequentialIdentifierGenerator()
        let identifiers = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask { (0..<250).map { _ in generator.next() } }
            }
            var all: [String] = []
            for await batch in group {
                all += batch
            }
            return all
        }
        #expect(Set(identifiers).count == 1000)
    }

    @Test("encodes the AWS sample connection ID bytes back to the same text")
    func awsSample() throws {
        let bytes = try #require(Base64.decode("R1kmxc2VNjMCFIA=", alphabet: .url))
        #expect(Identifier.encode(bytes) == "R1kmxc2VNjMCFIA=")
    }

    @Test(
        "recognises well-formed identifiers",
        arguments: [
            ("R1kmxc2VNjMCFIA=", true), ("AAAAAAAAAAAAAAA=", true), ("-_-_-_-_-_-_-_-=", true),
            ("R1kmxc2VNjMCFIA", false), ("R1kmxc2VNjMCFIAA", false), ("R1kmxc2VNjMCFIA==", false),
            ("R1kmxc2+NjMCFIA=", false), ("R1kmxc2/NjMCFIA=", false), ("R1kmxc2VNjMCFI==", false),
            ("", false), ("R1kmxc2VNjMCFIé=", false),
        ]
    )
    func wellFormed(text: String, expected: Bool) {
        #expect(Identifier.isWellFormed(text) == expected)
        #expect(Identifier.isWellFormed(text[...]) == expected)
    }
}
