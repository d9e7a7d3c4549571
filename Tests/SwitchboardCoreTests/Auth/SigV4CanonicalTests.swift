import Testing

@testable import SwitchboardCore

/// The canonical-request pieces, checked against what botocore's `SigV4Auth` produces.
struct SigV4CanonicalTests {
    @Test(
        "canonical URI is botocore's quote(normalize_url_path(path), safe='/~')",
        arguments: [
            ("/dev/@connections/R1kmxc2VNjMCFIA%3D", "/dev/%40connections/R1kmxc2VNjMCFIA%253D"),
            ("/prod/%40connections/R0oXAdfD0kwCH6w%3D", "/prod/%2540connections/R0oXAdfD0kwCH6w%253D"),
            ("/dev/./a//b/../@connections/Q%3D", "/dev/a/%40connections/Q%253D"),
            ("/dev/items/", "/dev/items/"),
            ("/", "/"),
            ("", "/"),
            ("/..", "/"),
            ("/a/../", "/"),
            ("/caf%C3%A9", "/caf%25C3%25A9"),
            ("/sp ace/ü~_-.", "/sp%20ace/%C3%BC~_-."),
            ("relative/./x", "relative/x"),
        ] as [(String, String)]
    )
    func canonicalURI(raw: String, expected: String) {
        #expect(SigV4Verifier.canonicalURI(raw) == expected)
    }

    @Test(
        "canonical query decodes, re-encodes with -_.~ safe and sorts by name then value",
        arguments: [
            (
                "b=2&a=1&a=0&name=hello%20world&empty=&path=%2Fx%2Fy&tilde=~ok",
                "a=0&a=1&b=2&empty=&name=hello%20world&path=%2Fx%2Fy&tilde=~ok"
            ),
            ("Param2=value2&Param1=value1", "Param1=value1&Param2=value2"),
            ("z&y=&x=a=b", "x=a%3Db&y=&z="),
            ("k=a+b&k=%2b", "k=%2B&k=a%2Bb"),
            ("q=%e2%9c%93&Q=1", "Q=1&q=%E2%9C%93"),
            ("bad=%zz%4", "bad=%25zz%254"),
            ("&&a=1&&", "a=1"),
        ] as [(String, String)]
    )
    func canonicalQuery(raw: String, expected: String) {
        let query = QueryPair.parse(raw)
        #expect(SigV4Verifier.canonicalQuery(query, excludeSignatureParameter: false) == expected)
    }

    @Test("presigned canonical query leaves out X-Amz-Signature only")
    func presignedQuery() {
        let query = QueryPair.parse("X-Amz-Signature=abc&x-amz-signature=keep&a=1")
        #expect(SigV4Verifier.canonicalQuery(query, excludeSignatureParameter: true) == "a=1&x-amz-signature=keep")
    }

    @Test(
        "header values are trimmed and inner whitespace collapsed as Python's split() does",
        arguments: [
            ("  a   b\tc  ", "a b c"),
            ("plain", "plain"),
            ("", ""),
            (" \t\r\n ", ""),
            ("x\u{1C}y\u{A0}z", "x y z"),
        ] as [(String, String)]
    )
    func trimAll(raw: String, expected: String) {
        #expect(SigV4Verifier.trimAll(raw) == expected)
    }

    @Test(
        "Date header formats",
        arguments: [
            ("Sat, 20 Jan 2024 11:55:00 GMT", Int64(1_705_751_700_000)),
            ("Sat, 20 Jan 2024 11:55:00 -0000", 1_705_751_700_000),
            ("20 Jan 2024 12:55:00 +0100", 1_705_751_700_000),
            ("Sat, 20 Jan 2024 11:55:00", 1_705_751_700_000),
            ("20240120T115500Z", 1_705_751_700_000),
            ("Thu, 29 Feb 2024 00:00:00 GMT", 1_709_164_800_000),
        ] as [(String, Int64)]
    )
    func httpDates(text: String, expected: Int64) {
        #expect(SigV4Verifier.parseHTTPDate(text) == expected)
    }

    @Test(
        "malformed Date headers are rejected",
        arguments: [
            "", "yesterday", "Fri, 30 Feb 2024 00:00:00 GMT", "Sat, 20 Foo 2024 11:55:00 GMT",
            "Sat, 20 Jan 2024 25:00:00 GMT", "Sat, 20 Jan 2024 11:55:00 +-1-1", "Sat, 20 Jan 2024 11:55 GMT",
        ]
    )
    func badHTTPDates(text: String) {
        #expect(SigV4Verifier.parseHTTPDate(text) == nil)
    }

    @Test("sha256Hex hashes arrays and raw buffers alike")
    func sha256() {
        #expect(SigV4Verifier.sha256Hex([]) == SigV4Verifier.emptyPayloadSHA256Hex)
        let bytes = Array("{\"hello\":\"world\"}".utf8)
        let fromArray = SigV4Verifier.sha256Hex(bytes)
        let fromBuffer = bytes.withUnsafeBytes { SigV4Verifier.sha256Hex($0) }
        #expect(fromArray == fromBuffer)
        #expect(
            SigV4Verifier.sha256Hex(Array("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
    }

    @Test("the signing key follows the AWS documentation example")
    func signingKey() {
        // AWS docs, "Examples of how to derive a signing key for Signature Version 4".
        let key = SigV4Verifier.signingKey(
            secret: Array("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".utf8),
            date: "20120215",
            region: "us-east-1",
            service: "iam"
        )
        #expect(SigV4Verifier.hex(key) == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }

    @Test("constant-time comparison")
    func constantTime() {
        #expect(SigV4Verifier.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!SigV4Verifier.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!SigV4Verifier.constantTimeEquals([1, 2], [1, 2, 3]))
    }
}
