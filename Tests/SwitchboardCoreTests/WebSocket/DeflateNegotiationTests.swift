import SwitchboardCore
import Testing

struct DeflateNegotiationTests {
    @Test(
        "no context takeover: the server asks for it in both directions and keeps the client's window",
        arguments: [
            ("permessage-deflate", "permessage-deflate; server_no_context_takeover; client_no_context_takeover"),
            (
                "permessage-deflate; client_max_window_bits",
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover"
            ),
            (
                "permessage-deflate; server_max_window_bits=10; client_max_window_bits=12",
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=12"
            ),
        ]
    )
    func noContextTakeover(offer: String, response: String) {
        #expect(
            DeflateNegotiation.negotiate(headerValues: [offer], policy: .noContextTakeover)?.responseHeaderValue
                == response
        )
    }

    @Test("context takeover: the server window is capped by policy and by the offer")
    func contextTakeover() throws {
        let agreed = try #require(
            DeflateNegotiation.negotiate(
                headerValues: ["permessage-deflate; client_no_context_takeover; server_max_window_bits=13"],
                policy: .contextTakeover(windowBits: 11)
            )
        )
        #expect(!agreed.serverNoContextTakeover)
        #expect(agreed.clientNoContextTakeover)
        #expect(agreed.serverMaxWindowBits == 11)
    }

    @Test(
        "bad or unknown offers are declined, and the next acceptable one is taken",
        arguments: [
            "permessage-deflate; server_max_window_bits=16", "permessage-deflate; server_max_window_bits=8",
            "permessage-deflate; client_max_window_bits=07", "permessage-deflate; unknown_param",
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover", "x-webkit-deflate-frame",
            "permessage-deflate; server_no_context_takeover=1",
        ]
    )
    func declined(offer: String) {
        #expect(DeflateNegotiation.negotiate(headerValues: [offer], policy: .noContextTakeover) == nil)
        let fallback = DeflateNegotiation.negotiate(
            headerValues: [offer + ", permessage-deflate"],
            policy: .noContextTakeover
        )
        #expect(fallback?.serverMaxWindowBits == 15)
    }

    @Test("offers split over several headers and quoted values")
    func parsing() {
        let offers = DeflateNegotiation.splitOffers(#"permessage-deflate; client_max_window_bits="10", foo; bar"#)
        #expect(offers.map(\.name) == ["permessage-deflate", "foo"])
        #expect(offers.first?.parameters.first?.value == "10")
        #expect(
            DeflateNegotiation.negotiate(headerValues: ["foo", "permessage-deflate"], policy: .noContextTakeover) != nil
        )
    }
}
