import SwitchboardCore
import Testing

struct PercentEncodingTests {
    @Test(
        "decoding paths and queries",
        arguments: [
            ("R1kmxc2VNjMCFIA%3D", false, "R1kmxc2VNjMCFIA="), ("%40connections", false, "@connections"),
            ("a+b", true, "a b"), ("a+b", false, "a+b"), ("%zz%4", true, "%zz%4"), ("caf%C3%A9", true, "café"),
        ]
    )
    func decode(text: String, plusIsSpace: Bool, expected: String) {
        #expect(PercentEncoding.decode(text[...], plusIsSpace: plusIsSpace) == expected)
    }

    @Test("encoding keeps unreserved characters and the ones asked for")
    func encode() {
        #expect(PercentEncoding.queryComponent("a b&c=d/é") == "a%20b%26c%3Dd%2F%C3%A9")
        #expect(PercentEncoding.encode("arn:aws:lambda:f/x", keep: ":") == "arn:aws:lambda:f%2Fx")
    }
}
