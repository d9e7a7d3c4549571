import SwitchboardCore
import Testing

/// Seeded fuzzing of the `Sec-WebSocket-Extensions` parser and permessage-deflate negotiation (issue 7): no crash,
/// no hang, and whatever is agreed is within RFC 7692's limits and acceptable when offered back.
struct DeflateNegotiationFuzzTests {
    /// Pieces random header values are built from.
    static let alphabet = [
        "permessage-deflate", "PerMessage-Deflate", "permessage-deflate", "x-webkit-deflate-frame", ";", ";", ",", ",",
        "=", "\"", " ", "\t", "server_no_context_takeover", "client_no_context_takeover", "server_max_window_bits",
        "client_max_window_bits", "8", "9", "10", "15", "16", "08", "-1", "1e1", "", "é", "\u{0663}", "\u{0}", "\r\n",
        "\u{301}",
    ]

    /// Valid offers the mutation test starts from.
    static let seeds = [
        "permessage-deflate", "permessage-deflate; client_max_window_bits",
        "permessage-deflate; server_max_window_bits=10; client_max_window_bits=12",
        "permessage-deflate; client_no_context_takeover; server_no_context_takeover",
        #"permessage-deflate; client_max_window_bits="10", foo; bar"#,
        "x-webkit-deflate-frame, permessage-deflate; server_max_window_bits=15",
    ]

    /// The policies a server can be configured with.
    static let policies: [DeflateNegotiation.Policy] =
        [.noContextTakeover] + (9...15).map { .contextTakeover(windowBits: $0) }

    @Test("random header values negotiate within RFC 7692's limits")
    func randomHeaders() {
        var random = FuzzRandom(seed: 0xDEF1_A7E0_0001)
        for index in 0..<FuzzRandom.cases(5_000) {
            let headers = (0..<random.int(0...3)).map { _ in random.string(from: Self.alphabet, maxLength: 14) }
            Self.check(headers, random: &random, context: "seed \(random.seed) case \(index)")
        }
    }

    @Test("mutated valid offers negotiate within RFC 7692's limits")
    func mutatedHeaders() {
        var random = FuzzRandom(seed: 0xDEF1_A7E0_0002)
        for index in 0..<FuzzRandom.cases(5_000) {
            let headers = (0..<random.int(1...2)).map { _ in
                random.mutate(random.pick(Self.seeds), tokens: Self.alphabet)
            }
            Self.check(headers, random: &random, context: "seed \(random.seed) case \(index)")
        }
    }

    @Test("100 KB header values are parsed in one pass")
    func longHeaders() {
        let bytes = 100_000
        for piece in [",", ";", "=", "\"", " ", "permessage-deflate; x, ", "permessage-deflate;;", "a=\"\","] {
            let header = String(repeating: piece, count: bytes / piece.utf8.count)
            _ = DeflateNegotiation.splitOffers(header)
            #expect(DeflateNegotiation.negotiate(headerValues: [header], policy: .noContextTakeover) == nil, "\(piece)")
        }
        let last = String(repeating: "permessage-deflate; unknown, ", count: bytes / 29) + "permessage-deflate"
        #expect(DeflateNegotiation.negotiate(headerValues: [last], policy: .noContextTakeover) != nil)
        let manyHeaders = Array(repeating: "permessage-deflate; server_max_window_bits=8", count: 10_000)
        #expect(DeflateNegotiation.negotiate(headerValues: manyHeaders, policy: .noContextTakeover) == nil)
    }

    /// Negotiates `headers` under a random policy and checks the agreement.
    private static func check(_ headers: [String], random: inout FuzzRandom, context: String) {
        for header in headers {
            for offer in DeflateNegotiation.splitOffers(header) {
                #expect(!offer.name.isEmpty, "\(context): \(FuzzRandom.preview(header))")
            }
        }
        let policy = random.pick(Self.policies)
        guard let agreed = DeflateNegotiation.negotiate(headerValues: headers, policy: policy) else { return }
        let described = "\(context): \(headers.map { FuzzRandom.preview($0) }) under \(policy)"
        #expect((9...15).contains(agreed.serverMaxWindowBits), "\(described)")
        #expect((8...15).contains(agreed.clientMaxWindowBits), "\(described)")
        if case .contextTakeover(let bits) = policy {
            #expect(agreed.serverMaxWindowBits <= bits, "\(described)")
        } else {
            #expect(agreed.serverNoContextTakeover && agreed.clientNoContextTakeover, "\(described)")
        }
        // What the server answers is itself a valid offer, and offering it back agrees to the same windows.
        let again = DeflateNegotiation.negotiate(headerValues: [agreed.responseHeaderValue], policy: policy)
        #expect(again?.serverMaxWindowBits == agreed.serverMaxWindowBits, "\(described)")
        #expect(again?.clientMaxWindowBits == agreed.clientMaxWindowBits, "\(described)")
    }
}
