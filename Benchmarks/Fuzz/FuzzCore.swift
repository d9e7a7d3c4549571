// A libFuzzer harness for SwitchboardCore's parsers of untrusted or configured text: the JSON parser, JSONPath,
// selection expressions and the Sec-WebSocket-Extensions negotiation. It is not part of the package: SwiftPM has no
// fuzzer sanitizer setting, so `Benchmarks/Fuzz/fuzz.sh` compiles it with the Core sources it needs straight
// through `swiftc -sanitize=fuzzer,address`. The first input byte picks the parser; the rest is its input.
// The seeded fuzz tests in Tests/SwitchboardCoreTests/Fuzz check the same properties on every `swift test`.

/// libFuzzer's entry point: returns 0, or traps when a property does not hold.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let input = UnsafeBufferPointer(rebasing: UnsafeBufferPointer(start: data, count: size)[1...])
    let text = String(decoding: input, as: UTF8.self)
    switch data[0] % 4 {
    case 0:
        do {
            let value = try JSONValue.parse(input)
            let printed = value.serialized
            guard (try? JSONValue.parse(printed))?.serialized == printed else { fatalError("JSON does not round-trip") }
            _ = value.selectionString
        } catch {
            guard (0...input.count).contains(error.offset) else { fatalError("JSON error offset out of range") }
        }
    case 1:
        do {
            let path = try JSONPath(parsing: text)
            guard (try? JSONPath(parsing: path.description)) == path else { fatalError("JSONPath does not round-trip") }
        } catch {
            guard (0...text.utf8.count).contains(error.offset) else { fatalError("JSONPath offset out of range") }
        }
    case 2:
        do {
            let expression = try SelectionExpression(parsing: text)
            _ = expression.evaluate(body: ["action": "echo", "data": ["room": [1, "a", .null]]])
            _ = expression.evaluate { _ in "v" }
        } catch {
            guard (0...text.utf8.count).contains(error.offset) else { fatalError("selection offset out of range") }
        }
    default:
        let headers = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let agreed = DeflateNegotiation.negotiate(headerValues: headers, policy: .contextTakeover(windowBits: 12)) {
            guard (9...12).contains(agreed.serverMaxWindowBits), (8...15).contains(agreed.clientMaxWindowBits) else {
                fatalError("window bits out of range")
            }
        }
    }
    return 0
}
