package import AsyncHTTPClient
import NIOCore
import NIOHTTP1
package import SwitchboardCore
import Synchronization

/// Where a ``JWTAuthorizer`` gets its issuer's signing keys.
package protocol JWKSProvider: Sendable {
    /// The JWKS JSON bytes.
    ///
    /// Implementations should return the same array while the key set is unchanged, so the authorizer can reuse
    /// the keys it already read from it.
    ///
    /// - Parameter forceRefresh: `true` after a token named a `kid` the current key set does not have (the
    ///   issuer may have rotated its keys); the provider may still answer from its cache.
    /// - Returns: The JWKS document.
    /// - Throws: When no key set can be obtained.
    func jwks(forceRefresh: Bool) async throws -> [UInt8]
}

/// Fetches an issuer's JWKS over HTTP(S) and caches it.
///
/// The key set is read from `jwksUri` when configured, otherwise from the `jwks_uri` of the issuer's OpenID
/// discovery document at `<issuer without trailing />/.well-known/openid-configuration` (the discovered address is
/// kept). As in API Gateway, each fetch has 1500 ms and a body may be at most 150000 bytes.
///
/// Caching: the key set is used for ``maxAgeMillis`` after it was fetched (API Gateway does not publish its own
/// lifetime; one hour here). A forced refresh (a token with an unknown `kid`) refetches, but once a key set is
/// cached no fetch of any kind starts within ``minimumRefreshIntervalMillis`` of the previous one, so a flood of
/// tokens with made-up key IDs, or an issuer that is down, costs the issuer at most one request per 10 s.
/// Concurrent callers share one fetch. A failed fetch is never cached: while an older key set exists it is
/// served instead, and otherwise the next call tries again.
package final class HTTPJWKSProvider: JWKSProvider {
    /// Time allowed for one discovery or JWKS fetch (API Gateway: 1500 ms).
    package static let fetchTimeoutMillis: Int64 = 1500
    /// Largest discovery document or JWKS accepted (API Gateway: 150000 bytes).
    package static let maxBodyBytes = 150_000
    /// Shortest time between two fetches caused by `forceRefresh`.
    package static let minimumRefreshIntervalMillis: Int64 = 10_000
    /// How long a fetched key set is used before it is fetched again.
    package static let maxAgeMillis: Int64 = 3_600_000

    /// Why a fetch failed.
    package struct FetchError: Error, CustomStringConvertible {
        /// What went wrong, naming the URL.
        package var description: String
    }

    private struct State {
        var jwks: [UInt8]?
        /// When the fetch that produced `jwks` started (monotonic milliseconds).
        var fetchedMillis: Int64 = 0
        /// When the last fetch, successful or not, started.
        var attemptedMillis: Int64 = 0
        var discoveredURL: String?
        var inFlight: Task<[UInt8], any Error>?
    }

    private enum Decision {
        case cached([UInt8])
        case await(Task<[UInt8], any Error>)
    }

    private let configuration: JWTConfiguration
    private let client: HTTPClient
    private let nowMillis: @Sendable () -> Int64
    private let state = Mutex(State())

    /// Creates a provider for one JWT authorizer.
    ///
    /// - Parameters:
    ///   - configuration: The authorizer's `jwtConfiguration` (`issuer`, optional `jwksUri`).
    ///   - client: The shared HTTP client.
    ///   - nowMillis: A monotonic clock in milliseconds, for the cache lifetime and the refresh rate limit.
    package init(
        configuration: JWTConfiguration,
        client: HTTPClient,
        nowMillis: @escaping @Sendable () -> Int64 = HTTPJWKSProvider.monotonicMillis
    ) {
        self.configuration = configuration
        self.client = client
        self.nowMillis = nowMillis
    }

    /// The address of the issuer's OpenID discovery document.
    package var discoveryURL: String {
        var issuer = Substring(self.configuration.issuer)
        while issuer.hasSuffix("/") { issuer = issuer.dropLast() }
        return "\(issuer)/.well-known/openid-configuration"
    }

    /// The cached key set, or a fresh one when there is none, or when it is older than ``maxAgeMillis`` or
    /// `forceRefresh` is set, and the last fetch started at least ``minimumRefreshIntervalMillis`` ago.
    ///
    /// - Parameter forceRefresh: Whether a token named a `kid` the cached key set does not have.
    /// - Returns: The JWKS document.
    /// - Throws: ``FetchError`` (or the HTTP client's error) when there is no cached key set and the fetch fails.
    package func jwks(forceRefresh: Bool) async throws -> [UInt8] {
        let now = self.nowMillis()
        let decision = self.state.withLock { state -> Decision in
            if let inFlight = state.inFlight {
                return .await(inFlight)
            }
            if let jwks = state.jwks {
                let expired = now - state.fetchedMillis >= Self.maxAgeMillis
                let rateLimited = now - state.attemptedMillis < Self.minimumRefreshIntervalMillis
                if rateLimited || !(forceRefresh || expired) {
                    return .cached(jwks)
                }
            }
            state.attemptedMillis = now
            // One fetch is shared by every request waiting for the key set, and it must finish (and fill the
            // cache) even when the request that started it is cancelled.
            let task = Task { [self] () async throws -> [UInt8] in  // UNSTRUCTURED: a shared JWKS fetch
                do {
                    let jwks = try await self.fetchJWKS()
                    self.state.withLock { state in
                        state.inFlight = nil
                        state.jwks = jwks
                        state.fetchedMillis = now
                    }
                    return jwks
                } catch {
                    self.state.withLock { $0.inFlight = nil }
                    throw error
                }
            }
            state.inFlight = task
            return .await(task)
        }
        switch decision {
        case .cached(let jwks):
            return jwks
        case .await(let task):
            do {
                return try await task.value
            } catch {
                if let stale = self.state.withLock({ $0.jwks }) {
                    return stale
                }
                throw error
            }
        }
    }

    /// Milliseconds on the continuous clock since the process first asked.
    ///
    /// - Returns: Monotonic milliseconds.
    @Sendable
    package static func monotonicMillis() -> Int64 {
        let elapsed = ContinuousClock.now - Self.origin
        return elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
    }

    private static let origin = ContinuousClock.now

    // MARK: - Fetching

    private func fetchJWKS() async throws -> [UInt8] {
        let url = try await self.jwksURL()
        return try await self.get(url)
    }

    private func jwksURL() async throws -> String {
        if let configured = self.configuration.jwksUri {
            return configured
        }
        if let discovered = self.state.withLock({ $0.discoveredURL }) {
            return discovered
        }
        let url = self.discoveryURL
        let body = try await self.get(url)
        guard let document = try? JSONValue.parse(body), case .string(let jwksURI)? = document["jwks_uri"],
            !jwksURI.isEmpty
        else {
            throw FetchError(description: "\(url): no jwks_uri in the discovery document")
        }
        self.state.withLock { $0.discoveredURL = jwksURI }
        return jwksURI
    }

    /// GETs a document within the fetch timeout and size limit.
    private func get(_ url: String) async throws -> [UInt8] {
        try await withThrowingTaskGroup(of: [UInt8].self) { group in
            group.addTask {
                try await self.download(url)
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Self.fetchTimeoutMillis))
                throw FetchError(description: "\(url): no answer within \(Self.fetchTimeoutMillis) ms")
            }
            defer { group.cancelAll() }
            guard let body = try await group.next() else {
                throw FetchError(description: "\(url): no answer")
            }
            return body
        }
    }

    private func download(_ url: String) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "accept", value: "application/json")
        let response = try await self.client.execute(
            request,
            deadline: .now() + .milliseconds(Self.fetchTimeoutMillis)
        )
        guard (200..<300).contains(response.status.code) else {
            throw FetchError(description: "\(url): HTTP \(response.status.code)")
        }
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: Self.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw FetchError(description: "\(url): body over \(Self.maxBodyBytes) bytes")
        }
        return Array(body.readableBytesView)
    }
}
