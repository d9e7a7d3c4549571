/// Parameters agreed for permessage-deflate (RFC 7692 §7.1).
package struct DeflateParameters: Sendable, Equatable {
    /// The server resets its compressor after each message.
    package var serverNoContextTakeover: Bool
    /// The client resets its compressor after each message.
    package var clientNoContextTakeover: Bool
    /// The server's LZ77 window (8–15).
    package var serverMaxWindowBits: Int
    /// The client's LZ77 window (8–15).
    package var clientMaxWindowBits: Int

    /// The `Sec-WebSocket-Extensions` response value.
    package var responseHeaderValue: String {
        var value = "permessage-deflate"
        if self.serverNoContextTakeover { value += "; server_no_context_takeover" }
        if self.clientNoContextTakeover { value += "; client_no_context_takeover" }
        if self.serverMaxWindowBits < 15 { value += "; server_max_window_bits=\(self.serverMaxWindowBits)" }
        if self.clientMaxWindowBits < 15 { value += "; client_max_window_bits=\(self.clientMaxWindowBits)" }
        return value
    }
}

/// Negotiates permessage-deflate from a client's `Sec-WebSocket-Extensions` offers.
package enum DeflateNegotiation {
    /// How the server wants to compress.
    package enum Policy: Sendable, Equatable {
        /// Always ask for no context takeover in both directions (state shared per event loop).
        case noContextTakeover
        /// Keep context where the client allows, with the server window capped at `windowBits`.
        case contextTakeover(windowBits: Int)
    }

    /// Picks the first acceptable permessage-deflate offer.
    /// - Parameters:
    ///   - headerValues: every `Sec-WebSocket-Extensions` header value of the request.
    ///   - policy: the server's policy.
    /// - Returns: the agreed parameters, or `nil` when no offer is acceptable.
    package static func negotiate(headerValues: [String], policy: Policy) -> DeflateParameters? {
        for headerValue in headerValues {
            for offer in self.splitOffers(headerValue) {
                if let agreed = self.accept(offer: offer, policy: policy) {
                    return agreed
                }
            }
        }
        return nil
    }

    /// One parsed offer: its name and its parameters in order (value `nil` when absent).
    package struct Offer: Sendable, Equatable {
        /// Extension token.
        package var name: String
        /// Parameters.
        package var parameters: [(name: String, value: String?)]

        package static func == (lhs: Offer, rhs: Offer) -> Bool {
            lhs.name == rhs.name && lhs.parameters.elementsEqual(rhs.parameters) { $0 == $1 }
        }
    }

    /// Splits a header value into offers (`,` separated, parameters `;` separated, quoted values allowed).
    /// - Parameter headerValue: the raw header value.
    /// - Returns: the offers, malformed ones dropped.
    package static func splitOffers(_ headerValue: String) -> [Offer] {
        var offers: [Offer] = []
        for rawOffer in headerValue.split(separator: ",", omittingEmptySubsequences: true) {
            let pieces = rawOffer.split(separator: ";", omittingEmptySubsequences: false)
            guard let first = pieces.first else { continue }
            let name = first.trimmingWhitespace()
            guard !name.isEmpty else { continue }
            var parameters: [(name: String, value: String?)] = []
            var malformed = false
            for piece in pieces.dropFirst() {
                let trimmed = piece.trimmingWhitespace()
                if trimmed.isEmpty {
                    malformed = true
                    break
                }
                if let equals = trimmed.firstIndex(of: "=") {
                    let key = String(trimmed[..<equals]).trimmingWhitespace()
                    var value = String(trimmed[trimmed.index(after: equals)...]).trimmingWhitespace()
                    if value.count >= 2, value.first == "\"", value.last == "\"" {
                        value = String(value.dropFirst().dropLast())
                    }
                    parameters.append((key, value))
                } else {
                    parameters.append((trimmed, nil))
                }
            }
            if !malformed { offers.append(Offer(name: name, parameters: parameters)) }
        }
        return offers
    }

    private static func accept(offer: Offer, policy: Policy) -> DeflateParameters? {
        guard offer.name.lowercased() == "permessage-deflate" else { return nil }
        var seen = Set<String>()
        var serverNoContext = false
        var clientNoContext = false
        var serverWindow: Int?
        var clientWindowOffered = false
        var clientWindow: Int?
        for (name, value) in offer.parameters {
            let key = name.lowercased()
            guard seen.insert(key).inserted else { return nil }  // duplicate parameter: decline this offer
            switch key {
            case "server_no_context_takeover":
                guard value == nil else { return nil }
                serverNoContext = true
            case "client_no_context_takeover":
                guard value == nil else { return nil }
                clientNoContext = true
            case "server_max_window_bits":
                guard let bits = value.flatMap(self.windowBits) else { return nil }
                serverWindow = bits
            case "client_max_window_bits":
                clientWindowOffered = true
                if let value {
                    guard let bits = self.windowBits(value) else { return nil }
                    clientWindow = bits
                }
            default:
                return nil
            }
        }
        // zlib cannot produce a raw deflate stream with an 8-bit window; decline rather than risk the peer.
        if serverWindow == 8 { return nil }
        switch policy {
        case .noContextTakeover:
            return DeflateParameters(
                serverNoContextTakeover: true,
                clientNoContextTakeover: true,
                serverMaxWindowBits: serverWindow ?? 15,
                clientMaxWindowBits: clientWindowOffered ? (clientWindow ?? 15) : 15
            )
        case .contextTakeover(let windowBits):
            let server = min(serverWindow ?? 15, windowBits)
            return DeflateParameters(
                serverNoContextTakeover: serverNoContext,
                clientNoContextTakeover: clientNoContext,
                // We may only announce server_max_window_bits below 15 when the client offered it or
                // by choice (RFC 7692 §7.1.2.1 allows the server to include it even if not offered).
                serverMaxWindowBits: server,
                clientMaxWindowBits: clientWindowOffered ? (clientWindow ?? 15) : 15
            )
        }
    }

    private static func windowBits(_ value: String) -> Int? {
        guard value.count <= 2, value.allSatisfy({ $0.isASCII && $0.isNumber }), let bits = Int(value),
            (8...15).contains(bits), !(value.count == 2 && value.first == "0")
        else { return nil }
        return bits
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces and tabs.
    package func trimmingWhitespace() -> String {
        let scalars = self.unicodeScalars
        guard let start = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let end = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[start...end]))
    }
}
