import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
import SwitchboardCore
import SwitchboardPipeline
import Synchronization
import Testing

struct JWKSProviderTests {
    @Test("discovers jwks_uri, caches the key set and rate-limits forced refreshes on the injected clock")
    func discoveryCachingAndRateLimit() async throws {
        let server = try await IssuerServer.start()
        let clock = Mutex<Int64>(1_000)
        let provider = HTTPJWKSProvider(
            configuration: JWTConfiguration(issuer: "\(server.baseURL)/", audience: ["api"]),
            client: .shared,
            nowMillis: { clock.withLock { $0 } }
        )
        #expect(provider.discoveryURL == "\(server.baseURL)/.well-known/openid-configuration")

        #expect(try await provider.jwks(forceRefresh: false) == Array(IssuerServer.firstKeys.utf8))
        #expect(server.count("/.well-known/openid-configuration") == 1)
        #expect(server.count("/keys") == 1)

        // Cached: no request, whoever asks.
        #expect(try await provider.jwks(forceRefresh: false) == Array(IssuerServer.firstKeys.utf8))
        #expect(server.count("/keys") == 1)

        // The issuer rotates; a forced refresh within 10 s of the last fetch still answers from the cache.
        server.setKeys(IssuerServer.secondKeys)
        clock.withLock { $0 += 9_999 }
        #expect(try await provider.jwks(forceRefresh: true) == Array(IssuerServer.firstKeys.utf8))
        #expect(server.count("/keys") == 1)

        // 10 s after the last fetch a forced refresh fetches again; the discovered address is reused.
        clock.withLock { $0 += 1 }
        #expect(try await provider.jwks(forceRefresh: true) == Array(IssuerServer.secondKeys.utf8))
        #expect(server.count("/keys") == 2)
        #expect(try await provider.jwks(forceRefresh: true) == Array(IssuerServer.secondKeys.utf8))
        #expect(server.count("/keys") == 2)
        #expect(server.count("/.well-known/openid-configuration") == 1)

        // After the cache lifetime an ordinary call fetches again.
        clock.withLock { $0 += HTTPJWKSProvider.maxAgeMillis }
        _ = try await provider.jwks(forceRefresh: false)
        #expect(server.count("/keys") == 3)
        try await server.stop()
    }

    @Test(
        "a configured jwksUri skips discovery; a failed fetch is not cached, and a stale set outlives a failed refresh"
    )
    func configuredURIAndFailures() async throws {
        let server = try await IssuerServer.start()
        let clock = Mutex<Int64>(0)
        let provider = HTTPJWKSProvider(
            configuration: JWTConfiguration(issuer: "https://unused.example", jwksUri: "\(server.baseURL)/keys"),
            client: .shared,
            nowMillis: { clock.withLock { $0 } }
        )
        server.setFailing(true)
        await #expect(throws: (any Error).self) { try await provider.jwks(forceRefresh: false) }
        server.setFailing(false)
        #expect(try await provider.jwks(forceRefresh: false) == Array(IssuerServer.firstKeys.utf8))
        #expect(server.count("/keys") == 2)
        #expect(server.count("/.well-known/openid-configuration") == 0)

        server.setFailing(true)
        clock.withLock { $0 += HTTPJWKSProvider.minimumRefreshIntervalMillis }
        #expect(try await provider.jwks(forceRefresh: true) == Array(IssuerServer.firstKeys.utf8))
        #expect(server.count("/keys") == 3)

        // Past its lifetime the stale set is still served while the issuer fails, retried at most every 10 s.
        clock.withLock { $0 += HTTPJWKSProvider.maxAgeMillis }
        #expect(try await provider.jwks(forceRefresh: false) == Array(IssuerServer.firstKeys.utf8))
        #expect(server.count("/keys") == 4)
        clock.withLock { $0 += HTTPJWKSProvider.minimumRefreshIntervalMillis - 1 }
        #expect(try await provider.jwks(forceRefresh: false) == Array(IssuerServer.firstKeys.utf8))
        #expect(server.count("/keys") == 4)
        server.setFailing(false)
        server.setKeys(IssuerServer.secondKeys)
        clock.withLock { $0 += 1 }
        #expect(try await provider.jwks(forceRefresh: false) == Array(IssuerServer.secondKeys.utf8))
        #expect(server.count("/keys") == 5)
        try await server.stop()
    }

    @Test("bodies over 150000 bytes, error statuses and discovery documents without jwks_uri are refused")
    func refusedDocuments() async throws {
        let server = try await IssuerServer.start()
        let cases: [JWTConfiguration] = [
            JWTConfiguration(issuer: "https://unused.example", jwksUri: "\(server.baseURL)/big"),
            JWTConfiguration(issuer: "https://unused.example", jwksUri: "\(server.baseURL)/missing"),
            JWTConfiguration(issuer: "\(server.baseURL)/nodiscovery"),
        ]
        for configuration in cases {
            let provider = HTTPJWKSProvider(configuration: configuration, client: .shared, nowMillis: { 0 })
            await #expect(throws: (any Error).self) { try await provider.jwks(forceRefresh: false) }
        }
        #expect(server.count("/big") == 1)
        try await server.stop()
    }

    @Test("a body of exactly 150000 bytes is accepted")
    func largestBody() async throws {
        let server = try await IssuerServer.start()
        let provider = HTTPJWKSProvider(
            configuration: JWTConfiguration(issuer: "https://unused.example", jwksUri: "\(server.baseURL)/limit"),
            client: .shared,
            nowMillis: { 0 }
        )
        #expect(try await provider.jwks(forceRefresh: false).count == HTTPJWKSProvider.maxBodyBytes)
        try await server.stop()
    }
}

// MARK: - A local issuer

/// A tiny HTTP/1.1 issuer on 127.0.0.1 (port 0): a discovery document, a JWKS, and some broken documents.
/// Counts requests per path.
private final class IssuerServer: Sendable {
    static let firstKeys = #"{"keys":[{"kty":"RSA","kid":"first","n":"AQAB","e":"AQAB"}]}"#
    static let secondKeys = #"{"keys":[{"kty":"RSA","kid":"second","n":"AQAB","e":"AQAB"}]}"#

    fileprivate struct State {
        var counts: [String: Int] = [:]
        var keys = IssuerServer.firstKeys
        var failing = false
    }

    fileprivate let state = Mutex(State())
    private let channel: Mutex<(any Channel)?> = Mutex(nil)
    private let port = Mutex(0)

    var baseURL: String { "http://127.0.0.1:\(self.port.withLock { $0 })" }

    static func start() async throws -> IssuerServer {
        let server = IssuerServer()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(IssuerHandler(server: server))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        server.channel.withLock { $0 = channel }
        server.port.withLock { $0 = channel.localAddress?.port ?? 0 }
        return server
    }

    func stop() async throws {
        let channel = self.channel.withLock { $0 }
        try await channel?.close()
    }

    func count(_ path: String) -> Int {
        self.state.withLock { $0.counts[path] ?? 0 }
    }

    func setKeys(_ keys: String) {
        self.state.withLock { $0.keys = keys }
    }

    func setFailing(_ failing: Bool) {
        self.state.withLock { $0.failing = failing }
    }

    /// The status and body for a path, counting the request.
    fileprivate func respond(to path: String) -> (HTTPResponseStatus, String) {
        let baseURL = self.baseURL
        return self.state.withLock { state in
            state.counts[path, default: 0] += 1
            switch path {
            case "/.well-known/openid-configuration":
                return (.ok, #"{"issuer":"\#(baseURL)","jwks_uri":"\#(baseURL)/keys"}"#)
            case "/nodiscovery/.well-known/openid-configuration":
                return (.ok, #"{"issuer":"\#(baseURL)/nodiscovery"}"#)
            case "/keys":
                return state.failing ? (.internalServerError, "{}") : (.ok, state.keys)
            case "/big":
                return (.ok, String(repeating: " ", count: HTTPJWKSProvider.maxBodyBytes + 1))
            case "/limit":
                return (.ok, String(repeating: " ", count: HTTPJWKSProvider.maxBodyBytes))
            default:
                return (.notFound, "{}")
            }
        }
    }
}

private final class IssuerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: IssuerServer
    private var path = ""

    init(server: IssuerServer) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.path = head.uri
        case .body:
            break
        case .end:
            let (status, body) = self.server.respond(to: self.path)
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: "application/json")
            headers.add(name: "content-length", value: String(body.utf8.count))
            context.write(
                self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                promise: nil
            )
            context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
            context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
