"""HTTP_PROXY's keep-alive upstream connections: reuse, a connection the upstream dropped while idle, chunked
answers, and Connection: close — against a raw HTTP/1.1 upstream that records which TCP connection carried
each request."""
import socket
import threading

from test_http_apis import call


class RawUpstream:
    """An HTTP/1.1 server on a raw socket. `mode`: "keepalive" (answers with Content-Length and keeps the
    connection), "drop-after-first" (answers the first request on each connection, then closes it silently),
    "chunked" (answers chunked), "close" (answers with Connection: close and closes)."""

    def __init__(self, mode):
        self.mode = mode
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.requests = []  # (client port, request line)
        self.lock = threading.Lock()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                conn, addr = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(conn, addr[1]), daemon=True).start()

    def serve(self, conn, client_port):
        buffer = b""
        served = 0
        with conn:
            while True:
                while b"\r\n\r\n" not in buffer:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buffer += data
                head, buffer = buffer.split(b"\r\n\r\n", 1)
                lines = head.decode().split("\r\n")
                length = 0
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                while len(buffer) < length:
                    buffer += conn.recv(65536)
                buffer = buffer[length:]
                with self.lock:
                    self.requests.append((client_port, lines[0]))
                body = ("answer %d to %s" % (served, lines[0])).encode()
                served += 1
                if self.mode == "chunked":
                    chunks = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in (body[:5], body[5:]))
                    conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
                                 + chunks + b"0\r\n\r\n")
                elif self.mode == "close":
                    conn.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
                    return
                else:
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
                    if self.mode == "drop-after-first":
                        conn.shutdown(socket.SHUT_RDWR)
                        return

    def close(self):
        self.sock.close()


CONFIG = """
server: { listen: 127.0.0.1:__PORT__, eventLoopThreads: 1 }
apis:
  - id: shop
    protocolType: HTTP
    stages: [ { name: $default } ]
    routes:
      $default: { integration: { type: HTTP_PROXY, uri: "http://127.0.0.1:%d" } }
"""


def test_upstream_connections_are_kept_alive_and_reused(gateway_factory):
    upstream = RawUpstream("keepalive")
    gw = gateway_factory(CONFIG % upstream.port)
    for i in range(5):
        response = call(gw, "GET", "/item/%d" % i)
        assert response.status == 200
        assert response.body == ("answer %d to GET /item/%d HTTP/1.1" % (i, i)).encode()
    assert len({port for port, _ in upstream.requests}) == 1, upstream.requests
    upstream.close()


def test_a_connection_the_upstream_dropped_is_replaced_for_idempotent_requests(gateway_factory):
    upstream = RawUpstream("drop-after-first")
    gw = gateway_factory(CONFIG % upstream.port)
    for i in range(4):
        response = call(gw, "GET", "/again/%d" % i)
        assert response.status == 200, response.body
        assert response.body == ("answer 0 to GET /again/%d HTTP/1.1" % i).encode()
    assert len({port for port, _ in upstream.requests}) == 4
    upstream.close()


def test_chunked_upstream_answers_are_reassembled(gateway_factory):
    upstream = RawUpstream("chunked")
    gw = gateway_factory(CONFIG % upstream.port)
    for i in range(2):
        response = call(gw, "POST", "/c", headers=[("Content-Type", "application/json")], body=b'{"n":1}')
        assert response.status == 200
        assert response.body == ("answer %d to POST /c HTTP/1.1" % i).encode()
        assert response.header("Transfer-Encoding") is None
        assert response.header("Content-Length") == str(len(response.body))
    upstream.close()


def test_connection_close_answers_are_not_reused(gateway_factory):
    upstream = RawUpstream("close")
    gw = gateway_factory(CONFIG % upstream.port)
    for i in range(3):
        response = call(gw, "DELETE", "/d/%d" % i)
        assert response.status == 200
        assert response.body == ("answer 0 to DELETE /d/%d HTTP/1.1" % i).encode()
    assert len({port for port, _ in upstream.requests}) == 3
    upstream.close()


WS_CONFIG = """
server: { listen: 127.0.0.1:__PORT__, eventLoopThreads: 1 }
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    stages: [ { name: dev } ]
    routes:
      $default:
        integration: { type: HTTP_PROXY, uri: "http://127.0.0.1:%d/messages" }
        routeResponseSelectionExpression: $default
"""


def ws_round_trips(gw, count):
    import asyncio
    from websockets.asyncio.client import connect

    async def main():
        async with connect(gw.ws("/dev")) as ws:
            answers = []
            for i in range(count):
                await ws.send('{"n":%d}' % i)
                answers.append(await asyncio.wait_for(ws.recv(), 5))
            return answers
    return asyncio.run(main())


def test_websocket_messages_reuse_the_loops_upstream_connection(gateway_factory):
    """A WebSocket HTTP_PROXY route sends each message as a POST over the event loop's kept-alive upstream
    connection, and the backend's answer comes back as the route response."""
    upstream = RawUpstream("keepalive")
    gw = gateway_factory(WS_CONFIG % upstream.port)
    answers = ws_round_trips(gw, 5)
    assert answers == ["answer %d to POST /messages HTTP/1.1" % i for i in range(5)], answers
    assert len({port for port, _ in upstream.requests}) == 1, upstream.requests
    upstream.close()


def test_websocket_messages_survive_an_upstream_that_closes_after_each_answer(gateway_factory):
    """Messages are POSTs, never retried: a connection the upstream closed after answering must not be reused."""
    upstream = RawUpstream("close")
    gw = gateway_factory(WS_CONFIG % upstream.port)
    answers = ws_round_trips(gw, 4)
    assert answers == ["answer 0 to POST /messages HTTP/1.1"] * 4, answers
    assert len({port for port, _ in upstream.requests}) == 4
    upstream.close()
