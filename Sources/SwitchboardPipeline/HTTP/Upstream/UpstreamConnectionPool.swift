package import NIOCore
package import NIOHTTP1
import NIOPosix

/// Keep-alive HTTP/1.1 connections to plain-HTTP upstreams, kept per event loop so that a request, its
/// upstream exchange and its response stay on the client connection's thread (no locks, no hand-offs).
///
/// AsyncHTTPClient does the same job for every other case (HTTPS, no event loop); for plain HTTP proxying
/// this costs a fraction of its per-request work (measured in `Benchmarks/scripts/proxy-vs-nginx.sh`).
package final class UpstreamConnectionPool: Sendable {
    /// The response of one exchange.
    package struct Response: Sendable {
        /// Status and headers.
        package var head: HTTPResponseHead
        /// The body.
        package var body: ByteBuffer
    }

    private struct Key: Hashable {
        var host: String
        var port: Int
    }

    /// Idle connections of one event loop.
    private final class LoopPool {
        var idle: [Key: [any Channel]] = [:]
    }

    private let pools: [ObjectIdentifier: NIOLoopBoundBox<LoopPool>]
    private let maxIdlePerHost: Int
    private let maxBodyBytes: Int

    /// Creates a pool for the event loops of a group.
    /// - Parameters:
    ///   - group: the server's event loops.
    ///   - maxIdlePerHost: idle connections kept per loop and upstream.
    ///   - maxBodyBytes: the largest response body read.
    package init(group: any EventLoopGroup, maxIdlePerHost: Int = 64, maxBodyBytes: Int = 10 * 1024 * 1024) {
        var pools: [ObjectIdentifier: NIOLoopBoundBox<LoopPool>] = [:]
        for loop in group.makeIterator() {
            pools[ObjectIdentifier(loop)] = NIOLoopBoundBox.makeBoxSendingValue(LoopPool(), eventLoop: loop)
        }
        self.pools = pools
        self.maxIdlePerHost = maxIdlePerHost
        self.maxBodyBytes = maxBodyBytes
    }

    /// Whether requests on this loop can use the pool.
    package func serves(_ eventLoop: any EventLoop) -> Bool {
        self.pools[ObjectIdentifier(eventLoop)] != nil
    }

    /// Sends `method` to a plain-HTTP URL as API Gateway frames it: `Host` from the URL, the body always with
    /// `Content-Length` (0 when empty, except for GET and HEAD without a body), never chunked.
    func execute(
        _ method: HTTPMethod,
        _ target: PlainHTTPURL,
        headers: HTTPHeaders,
        body: ByteBuffer?,
        timeout: TimeAmount,
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<Response> {
        var headers = headers
        headers.replaceOrAdd(name: "Host", value: target.hostHeader)
        if body != nil || (method != .GET && method != .HEAD) {
            headers.replaceOrAdd(name: "Content-Length", value: String(body?.readableBytes ?? 0))
        }
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: target.pathAndQuery, headers: headers)
        return self.execute(
            host: target.host,
            port: target.port,
            head: head,
            body: body,
            timeout: timeout,
            on: eventLoop
        )
    }

    /// Sends one request to `host:port` on `eventLoop`, reusing an idle connection when there is one. Fails with
    /// ``UpstreamFailure``, as the AsyncHTTPClient path does.
    package func execute(
        host: String,
        port: Int,
        head: HTTPRequestHead,
        body: ByteBuffer?,
        timeout: TimeAmount,
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<Response> {
        guard let bound = self.pools[ObjectIdentifier(eventLoop)] else {
            return eventLoop.makeFailedFuture(
                UpstreamFailure.unreachable("\(host):\(port): no pool on this event loop")
            )
        }
        let key = Key(host: host, port: port)
        let started =
            eventLoop.inEventLoop
            ? self.start(bound.value, key, head, body, timeout, eventLoop)
            : eventLoop.flatSubmit { self.start(bound.value, key, head, body, timeout, eventLoop) }
        return started.flatMapErrorThrowing { error in
            let target = "\(host):\(port)\(head.uri)"
            switch error as? UpstreamExchangeHandler.Failure {
            case .timeout?: throw UpstreamFailure.timeout(target)
            case .tooLarge?: throw UpstreamFailure.tooLarge(target)
            default:
                if case .connectTimeout = error as? ChannelError { throw UpstreamFailure.timeout(target) }
                throw UpstreamFailure.unreachable("\(target): \(error)")
            }
        }
    }

    private func start(
        _ pool: LoopPool,
        _ key: Key,
        _ head: HTTPRequestHead,
        _ body: ByteBuffer?,
        _ timeout: TimeAmount,
        _ eventLoop: any EventLoop
    ) -> EventLoopFuture<Response> {
        let deadline = NIODeadline.now() + timeout
        let first = self.exchange(pool, key, head, body, deadline, eventLoop, reuse: true)
        // A kept-alive connection the upstream closed just before we wrote (its idle timeout) fails before any
        // answer: an idempotent request is tried once more on a fresh connection, as nginx does.
        guard Self.idempotentMethods.contains(head.method) else { return first.future }
        return first.future.assumeIsolated().flatMapError { error in
            guard first.reused, case .closed? = error as? UpstreamExchangeHandler.Failure else {
                return eventLoop.makeFailedFuture(error)
            }
            return self.exchange(pool, key, head, body, deadline, eventLoop, reuse: false).future
        }.nonisolated()
    }

    private static let idempotentMethods: [HTTPMethod] = [.GET, .HEAD, .OPTIONS, .PUT, .DELETE, .TRACE]

    private func exchange(
        _ pool: LoopPool,
        _ key: Key,
        _ head: HTTPRequestHead,
        _ body: ByteBuffer?,
        _ deadline: NIODeadline,
        _ eventLoop: any EventLoop,
        reuse: Bool
    ) -> (future: EventLoopFuture<Response>, reused: Bool) {
        var reused: (any Channel)?
        while reuse, reused == nil, var list = pool.idle[key], let candidate = list.popLast() {
            pool.idle[key] = list
            if candidate.isActive { reused = candidate }
        }
        let connection: EventLoopFuture<any Channel>
        if let reused {
            connection = eventLoop.makeSucceededFuture(reused)
        } else {
            connection = self.connect(
                key,
                eventLoop: eventLoop,
                timeout: max(deadline - NIODeadline.now(), .milliseconds(1))
            )
        }
        let maxIdle = self.maxIdlePerHost
        let future = connection.assumeIsolated().flatMap { channel in
            let promise = eventLoop.makePromise(of: UpstreamExchangeHandler.Response.self)
            do {
                let handler = try channel.pipeline.syncOperations.handler(type: UpstreamExchangeHandler.self)
                let remaining = max(deadline - NIODeadline.now(), .milliseconds(1))
                handler.send(head: head, body: body, timeout: remaining, promise: promise)
            } catch {
                promise.fail(UpstreamExchangeHandler.Failure.closed)
            }
            return promise.futureResult.assumeIsolated().map { response in
                if response.reusable, channel.isActive, (pool.idle[key]?.count ?? 0) < maxIdle {
                    pool.idle[key, default: []].append(channel)
                } else {
                    channel.close(promise: nil)
                }
                return Response(head: response.head, body: response.body)
            }.nonisolated()
        }.nonisolated()
        return (future, reused != nil)
    }

    private func connect(_ key: Key, eventLoop: any EventLoop, timeout: TimeAmount) -> EventLoopFuture<any Channel> {
        let maxBodyBytes = self.maxBodyBytes
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(UpstreamExchangeHandler(maxBodyBytes: maxBodyBytes))
                }
            }
            .connect(host: key.host, port: key.port)
    }
}
