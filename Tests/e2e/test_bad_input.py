"""Bad input at the edge (issue 7): malformed upgrades, oversized request heads (431), hostile frame headers,
decompression bombs, slowloris, a client that stops reading, and 10,000 connections that vanish.

Everything here talks raw sockets, so the gateway sees exactly the bytes written. Frame violations that
Tests/SwitchboardServerTests/WebSocketSessionLiveTests.swift already covers (unmasked frames, RSV2, RSV1
without deflate, fragmented and long control frames, invalid UTF-8 → 1007) are not repeated; the wrong
`Sec-WebSocket-Version` (426) is in test_websocket_routes.py and a half-sent upgrade head in
test_http_guards.py."""
import base64
import json
import os
import resource
import selectors
import socket
import struct
import threading
import time
import urllib.error
import urllib.request
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

KEY = "dGhlIHNhbXBsZSBub25jZQ=="

BASE = """
server: { listen: 127.0.0.1:__PORT__, headerReadTimeoutMillis: 500, maxHeaderBytes: 4096 }
aws: { endpoints: { lambda: "%(lambda_url)s" } }
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    stages: [ { name: dev } ]
    webSocket: { %(websocket)s }
    routes:
      $connect: { integration: { type: HTTP_PROXY, uri: "%(backend)s/connect" } }
      $disconnect:
        integration: { type: AWS_PROXY, uri: "arn:aws:lambda:us-east-1:000000000000:function:ondisconnect" }
      whoami:
        integration: { type: MOCK, integrationResponses: [ { integrationResponseKey: $default, responseTemplates: { $default: $context.connectionId } } ] }
        routeResponseSelectionExpression: $default
      $default:
        integration: { type: MOCK, integrationResponses: [ { integrationResponseKey: $default, responseTemplates: { $default: $input.body } } ] }
        routeResponseSelectionExpression: $default
"""


def config(backend, fake_lambda, websocket=""):
    return BASE % {"backend": backend.url, "lambda_url": fake_lambda.url, "websocket": websocket}


# ---------------------------------------------------------------------------------------------------------
# Raw HTTP and WebSocket helpers
# ---------------------------------------------------------------------------------------------------------

class Raw:
    """A socket with a read buffer: HTTP heads and bodies, WebSocket frames."""

    def __init__(self, port, rcvbuf=None):
        self.sock = socket.socket()
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(10)
        self.sock.connect(("127.0.0.1", port))
        self.buf = b""

    def close(self):
        self.sock.close()

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("connection closed")
        self.buf += chunk

    def take(self, n):
        while len(self.buf) < n:
            self._fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def response(self):
        """(status, headers with lower-case names, body) of one HTTP response (Content-Length framed)."""
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        body = self.take(int(headers.get("content-length", "0"))) if status != 101 else b""
        return status, headers, body

    def closed_within(self, seconds):
        """Reads and discards until EOF; the elapsed time, or None if the socket stayed open."""
        self.sock.settimeout(seconds)
        start = time.time()
        try:
            while self.sock.recv(65536):
                pass
        except socket.timeout:
            return None
        except ConnectionResetError:
            pass
        return time.time() - start

    def frame(self):
        """(fin, rsv, opcode, payload) of the next server frame (servers never mask)."""
        b0, b1 = self.take(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", self.take(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self.take(8))[0]
        return bool(b0 & 0x80), (b0 >> 4) & 7, b0 & 0x0F, self.take(n)

    def close_code(self):
        """The code of the server's close frame, skipping anything before it."""
        while True:
            _fin, _rsv, opcode, payload = self.frame()
            if opcode == 8:
                return struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None


def mask(data, key):
    n = len(data)
    k = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(data, "big") ^ int.from_bytes(k, "big")).to_bytes(n, "big") if n else b""


def frame(opcode, payload=b"", fin=True, rsv=0, declared=None):
    """A masked client frame; `declared` overrides the length field (the payload sent stays `payload`)."""
    n = len(payload) if declared is None else declared
    out = bytes([(0x80 if fin else 0) | (rsv << 4) | opcode])
    if n < 126:
        out += bytes([0x80 | n])
    elif n < 65536:
        out += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        out += bytes([0x80 | 127]) + struct.pack("!Q", n)
    key = os.urandom(4)
    return out + key + mask(payload, key)


def upgrade_request(path="/dev", method="GET", version="HTTP/1.1", drop=(), **overrides):
    headers = {"Host": "127.0.0.1", "Upgrade": "websocket", "Connection": "Upgrade",
               "Sec-WebSocket-Key": KEY, "Sec-WebSocket-Version": "13"}
    headers.update({k.replace("_", "-"): v for k, v in overrides.items()})
    lines = ["%s %s %s" % (method, path, version)]
    lines += ["%s: %s" % (k, v) for k, v in headers.items() if k not in drop]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def open_ws(port, extensions=None, rcvbuf=None):
    """A raw WebSocket after a successful handshake; returns (Raw, response headers)."""
    raw = Raw(port, rcvbuf=rcvbuf)
    extra = {"Sec_WebSocket_Extensions": extensions} if extensions else {}
    raw.send(upgrade_request(**extra))
    status, headers, _ = raw.response()
    assert status == 101, status
    return raw, headers


def whoami(raw):
    raw.send(frame(1, b'{"action":"whoami"}'))
    _fin, _rsv, opcode, payload = raw.frame()
    assert opcode == 1
    return payload.decode()


def memory_kb(pid):
    """(VmRSS, VmHWM) of a process in kB: the resident set now, and its peak."""
    values = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]


def health(gw):
    with urllib.request.urlopen(gw.http("/_switchboard/health"), timeout=10) as resp:
        return json.loads(resp.read())


def post(gw, connection_id, data):
    """POST @connections; (status, x-amzn-ErrorType, body)."""
    path = "/dev/@connections/" + connection_id.replace("=", "%3D")
    req = urllib.request.Request(gw.http(path), data=data, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers.get("x-amzn-ErrorType"), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("x-amzn-ErrorType"), e.read()


# ---------------------------------------------------------------------------------------------------------
# Malformed upgrade requests: 400 with a reason, and `$connect` never runs
# ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("request_bytes, reason", [
    (upgrade_request(drop=("Sec-WebSocket-Key",)), "Missing or invalid Sec-WebSocket-Key"),
    (upgrade_request(Sec_WebSocket_Key="c2hvcnQ="), "Missing or invalid Sec-WebSocket-Key"),  # 5 bytes, not 16
    (upgrade_request(Sec_WebSocket_Key="not base64 at all!!!!!=="), "Missing or invalid Sec-WebSocket-Key"),
    (upgrade_request(Connection="keep-alive"), "Missing Connection: Upgrade"),
    (upgrade_request(drop=("Connection",)), "Missing Connection: Upgrade"),
    (upgrade_request(method="POST", Content_Length="0"), "WebSocket upgrades need GET over HTTP/1.1"),
    (upgrade_request(version="HTTP/1.0"), "WebSocket upgrades need GET over HTTP/1.1"),
], ids=["no-key", "short-key", "key-not-base64", "connection-keep-alive", "no-connection", "post", "http-1.0"])
def test_malformed_upgrade_gets_400_with_a_reason(gateway_factory, backend, fake_lambda, request_bytes, reason):
    gw = gateway_factory(config(backend, fake_lambda))
    raw = Raw(gw.port)
    raw.send(request_bytes)
    status, headers, body = raw.response()
    assert status == 400, (status, body)
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {"message": reason}
    assert raw.closed_within(5) is not None, "the connection stayed open after a rejected upgrade"
    # A good handshake still works, and only it reached the $connect backend.
    good, _ = open_ws(gw.port)
    good.close()
    assert [r["path"] for r in backend.requests] == ["/connect"]


# ---------------------------------------------------------------------------------------------------------
# server.maxHeaderBytes: 431 and close, for plain HTTP and for upgrades
# ---------------------------------------------------------------------------------------------------------

def health_request(size, path="/_switchboard/health"):
    """A GET whose request line and headers are exactly `size` bytes (padded with one header)."""
    fixed = "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: \r\n\r\n" % path
    return fixed.replace("X-Pad: ", "X-Pad: " + "p" * (size - len(fixed))).encode()


def test_a_head_of_exactly_max_header_bytes_is_served_and_one_byte_more_gets_431(gateway_factory, backend,
                                                                                 fake_lambda):
    gw = gateway_factory(config(backend, fake_lambda))
    raw = Raw(gw.port)
    request = health_request(4096)
    assert len(request) == 4096
    raw.send(request)
    assert raw.response()[0] == 200
    raw.send(health_request(4097))  # on the same keep-alive connection
    status, headers, body = raw.response()
    assert status == 431
    assert headers["content-type"] == "application/json" and headers["connection"] == "close"
    assert json.loads(body) == {"message": "Request Header Fields Too Large"}
    assert raw.closed_within(5) is not None


@pytest.mark.parametrize("request_bytes", [
    b"GET /_switchboard/health HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n",  # a header without a colon
    b"GET /_switchboard/health HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n",
    b"GET /dev HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",  # a bad chunk size
], ids=["no-colon", "version", "chunk-size"])
def test_a_malformed_request_gets_400_and_the_connection_closes(gateway_factory, backend, fake_lambda,
                                                                request_bytes):
    gw = gateway_factory(config(backend, fake_lambda))
    raw = Raw(gw.port)
    raw.send(request_bytes)
    status, headers, body = raw.response()
    assert status == 400 and headers["connection"] == "close"
    assert json.loads(body) == {"message": "Bad Request"}
    assert raw.closed_within(5) is not None


def many_headers(n, size):
    return "".join("X-H%d: %s\r\n" % (i, "v" * size) for i in range(n))


@pytest.mark.parametrize("request_bytes", [
    # one header field past the limit: the parser stops it
    b"GET /_switchboard/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 6000 + b"\r\n\r\n",
    # many small headers: their total is past the limit
    ("GET /_switchboard/health HTTP/1.1\r\nHost: x\r\n" + many_headers(100, 50) + "\r\n").encode(),
    # the request line alone is past the limit (the parser does not bound it; the decoder's buffer does)
    b"GET /_switchboard/health?q=" + b"q" * 6000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    # neither the URL nor the headers alone, only the whole head is past the limit
    b"GET /_switchboard/health?q=" + b"q" * 2500 + b" HTTP/1.1\r\nHost: x\r\nX-A: " + b"a" * 2500 + b"\r\n\r\n",
    # an upgrade request
    upgrade_request(X_Big="b" * 6000),
    upgrade_request(path="/dev?" + "q" * 6000),
], ids=["one-header", "many-headers", "request-line", "line-plus-headers", "upgrade-header", "upgrade-url"])
def test_oversized_head_gets_431_and_the_connection_closes(gateway_factory, backend, fake_lambda, request_bytes):
    gw = gateway_factory(config(backend, fake_lambda))
    raw = Raw(gw.port)
    raw.send(request_bytes)
    status, headers, body = raw.response()
    assert status == 431, (status, body)
    assert json.loads(body) == {"message": "Request Header Fields Too Large"}
    assert raw.closed_within(5) is not None
    assert backend.requests == [], "an oversized upgrade reached $connect"
    assert health(gw)["connections"] == 0


def test_a_megabyte_of_headers_is_cut_off_without_buffering_it(gateway_factory, backend, fake_lambda):
    gw = gateway_factory(config(backend, fake_lambda))
    pid = gw.process.pid
    _rss, hwm_before = memory_kb(pid)
    socks = []
    for _ in range(20):  # 20 connections × 1 MB: buffered, that would be 20 MB
        raw = Raw(gw.port)
        raw.sock.setblocking(False)
        raw.sock.send(b"GET /_switchboard/health HTTP/1.1\r\nHost: x\r\nX-Big: ")
        socks.append(raw)
    junk = b"j" * 65536
    for _ in range(16):
        for raw in socks:
            try:
                raw.sock.send(junk)
            except (BlockingIOError, ConnectionResetError, BrokenPipeError):
                pass
    for raw in socks:
        raw.sock.setblocking(True)
        assert raw.closed_within(5) is not None, "the gateway kept reading an endless header"
    _rss, hwm_after = memory_kb(pid)
    assert hwm_after - hwm_before < 8 * 1024, "peak RSS grew by %d kB" % (hwm_after - hwm_before)
    assert health(gw)["status"] == "ok"


# ---------------------------------------------------------------------------------------------------------
# Hostile frame headers
# ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("rsv", [1, 2, 4, 7], ids=["rsv1", "rsv2", "rsv3", "all"])
def test_reserved_bits_without_an_extension_close_with_1002(gateway_factory, backend, fake_lambda, rsv):
    gw = gateway_factory(config(backend, fake_lambda))
    raw, headers = open_ws(gw.port)  # no extension offered: RSV1 means nothing either
    assert "sec-websocket-extensions" not in headers
    raw.send(frame(1, b"hello", rsv=rsv))
    assert raw.close_code() == 1002


def test_a_compressed_continuation_frame_closes_with_1002_even_with_deflate(gateway_factory, backend, fake_lambda):
    gw = gateway_factory(config(backend, fake_lambda))
    raw, headers = open_ws(gw.port, extensions="permessage-deflate")
    assert headers["sec-websocket-extensions"].startswith("permessage-deflate")
    raw.send(frame(1, b"a", fin=False) + frame(0, b"b", rsv=4))  # RSV1 is for the first frame only
    assert raw.close_code() == 1002


@pytest.mark.parametrize("declared, codes", [
    (1 << 62, {1009}),
    (1 << 32, {1009}),
    ((1 << 64) - 1, {1002, 1009}),  # the most significant bit must be 0 (RFC 6455 §5.2)
    (32769, {1009}),  # one byte over maxFrameBytes
], ids=["2^62", "2^32", "2^64-1", "limit+1"])
def test_a_huge_declared_length_closes_with_1009_at_once(gateway_factory, backend, fake_lambda, declared, codes):
    gw = gateway_factory(config(backend, fake_lambda))
    pid = gw.process.pid
    _rss, hwm_before = memory_kb(pid)
    raw, _ = open_ws(gw.port)
    raw.send(frame(1, b"only a few bytes follow", declared=declared))  # the gateway must not wait for the rest
    assert raw.close_code() in codes
    assert raw.closed_within(5) is not None
    _rss, hwm_after = memory_kb(pid)
    assert hwm_after - hwm_before < 4 * 1024, "peak RSS grew by %d kB" % (hwm_after - hwm_before)
    fake_lambda.wait_event("$disconnect")
    assert health(gw)["connections"] == 0


# ---------------------------------------------------------------------------------------------------------
# Decompression bombs: the inflated size is bounded by maxMessageBytes
# ---------------------------------------------------------------------------------------------------------

def deflate_message(data):
    """A permessage-deflate message body: raw deflate, sync-flushed, without the 00 00 FF FF tail."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    out = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
    assert out.endswith(b"\x00\x00\xff\xff")
    return out[:-4]


@pytest.mark.parametrize("websocket, offer", [
    ("", "permessage-deflate; client_no_context_takeover"),
    ("compression: { mode: contextTakeover }", "permessage-deflate"),
], ids=["shared-streams", "context-takeover"])
def test_a_decompression_bomb_closes_with_1009_in_bounded_memory(gateway_factory, backend, fake_lambda,
                                                                 websocket, offer):
    gw = gateway_factory(config(backend, fake_lambda, websocket))
    pid = gw.process.pid
    bomb = deflate_message(b"a" * 30_000_000)  # 30 MB of one byte: ~29 KB, one frame under maxFrameBytes
    assert len(bomb) < 32768

    def explode():
        raw, headers = open_ws(gw.port, extensions=offer)
        assert headers["sec-websocket-extensions"].startswith("permessage-deflate")
        raw.send(frame(1, bomb, rsv=4))
        assert raw.close_code() == 1009
        raw.close()

    warm, _ = open_ws(gw.port, extensions=offer)  # the first connection's allocations, not the bomb's
    warm.send(frame(1, deflate_message(b"warm up"), rsv=4))
    assert read_message(warm) == b"warm up"
    warm.close()
    time.sleep(0.2)
    rss_before, hwm_before = memory_kb(pid)  # the peak so far: a bomb inflated in full would raise it by ~30 MB
    for _ in range(10):
        explode()
    time.sleep(0.2)
    rss_after, hwm_after = memory_kb(pid)
    assert hwm_after - hwm_before < 8 * 1024, "peak RSS grew by %d kB" % (hwm_after - hwm_before)
    assert rss_after - rss_before < 8 * 1024, "RSS grew by %d kB" % (rss_after - rss_before)
    # A message just under the limit still inflates and echoes.
    raw, _ = open_ws(gw.port, extensions=offer)
    text = b"b" * 131072
    raw.send(frame(1, deflate_message(text), rsv=4))
    assert read_message(raw) == text


def read_message(raw):
    """The next whole message from the server, inflated if it came compressed."""
    fin, rsv, opcode, message = raw.frame()
    assert opcode in (1, 2), (opcode, message[:40])
    while not fin:
        fin, _rsv, opcode, payload = raw.frame()
        assert opcode == 0, (opcode, payload[:40])
        message += payload
    return zlib.decompressobj(-15).decompress(message + b"\x00\x00\xff\xff") if rsv & 4 else message


# ---------------------------------------------------------------------------------------------------------
# Slowloris: the head must arrive within headerReadTimeoutMillis (500 ms here), however it is dripped
# ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("request_bytes", [
    b"GET /_switchboard/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n\r\n",
    upgrade_request(),
], ids=["http", "upgrade"])
def test_a_head_dripped_byte_by_byte_is_cut_off(gateway_factory, backend, fake_lambda, request_bytes):
    gw = gateway_factory(config(backend, fake_lambda))
    raw = Raw(gw.port)
    start = time.time()
    closed = False
    try:
        for byte in request_bytes[:-1]:  # never complete: one byte every 50 ms keeps the socket busy
            raw.send(bytes([byte]))
            time.sleep(0.05)
            if time.time() - start > 5:
                break
    except (BrokenPipeError, ConnectionResetError):
        closed = True
    if not closed:
        closed = raw.closed_within(1) is not None
    elapsed = time.time() - start
    assert closed, "a dripped head kept the connection open for %.1f s" % elapsed
    assert elapsed < 3, elapsed
    assert backend.requests == []


def test_a_plain_http_head_that_stops_is_closed(gateway_factory, backend, fake_lambda):
    gw = gateway_factory(config(backend, fake_lambda))
    raw = Raw(gw.port)
    raw.send(b"GET /_switchboard/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and then nothing
    elapsed = raw.closed_within(5)
    assert elapsed is not None and elapsed < 3


# ---------------------------------------------------------------------------------------------------------
# A client that stops reading: bounded queue, 429 on posts, then a close
# ---------------------------------------------------------------------------------------------------------

STUCK = "outboundQueueBytes: 65536, stuckClientTimeoutSeconds: 2"
CHUNK = base64.b64encode(os.urandom(96 * 1024))  # 128 KB of text that does not compress


def fill_until_429(gw, connection_id):
    """Posts until the queue is full; the number of posts accepted."""
    for accepted in range(400):  # 50 MB: past the queue and every kernel buffer
        status, error_type, body = post(gw, connection_id, CHUNK)
        if status == 429:
            assert error_type.split(":")[0] == "LimitExceededException", error_type
            assert isinstance(json.loads(body)["message"], str)
            return accepted
        assert status == 200, (status, body)
    raise AssertionError("400 posts to a client that reads nothing were all accepted")


def test_a_client_that_stops_reading_gets_429_then_is_closed_with_1008(gateway_factory, backend, fake_lambda):
    gw = gateway_factory(config(backend, fake_lambda, STUCK))
    raw, _ = open_ws(gw.port, rcvbuf=4096)
    connection_id = whoami(raw)
    fill_until_429(gw, connection_id)
    full_at = time.time()
    event = fake_lambda.wait_event("$disconnect", timeout=15)
    waited = time.time() - full_at
    context = event["requestContext"]
    assert context["connectionId"] == connection_id
    assert context["disconnectStatusCode"] == 1008 and context["disconnectReason"] == "Client is not reading"
    assert 1.5 <= waited < 8, waited
    assert health(gw)["connections"] == 0
    assert post(gw, connection_id, b"late")[0] == 410


def test_a_client_that_reads_again_stays_open_past_the_stuck_timeout(gateway_factory, backend, fake_lambda):
    gw = gateway_factory(config(backend, fake_lambda, STUCK))
    raw, _ = open_ws(gw.port, rcvbuf=4096)
    connection_id = whoami(raw)
    accepted = fill_until_429(gw, connection_id)
    time.sleep(1)  # stuck for half the timeout, then the client reads everything
    for _ in range(accepted):
        assert read_message(raw) == CHUNK
    time.sleep(3)  # past the stuck timeout
    assert post(gw, connection_id, b"still here")[0] == 200
    assert raw.frame()[3] == b"still here"
    assert fake_lambda.events(route="$disconnect") == []
    assert health(gw)["connections"] == 1


# ---------------------------------------------------------------------------------------------------------
# 10,000 connections that vanish without a close frame
# ---------------------------------------------------------------------------------------------------------

VANISH = """
server: { listen: 127.0.0.1:__PORT__ }
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    stages: [ { name: dev } ]
    routes:
      $disconnect:
        integration:
          type: HTTP_PROXY
          uri: "%s/disconnect"
          requestParameters: { integration.request.header.connectionId: context.connectionId }
      $default: { integration: { type: MOCK } }
"""

CONNECTIONS = 10_000


class DisconnectCounter:
    """A backend that records the connectionId header of every request; a deep accept backlog."""

    def __init__(self):
        self.ids = []
        self.lock = threading.Lock()
        counter = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                with counter.lock:
                    counter.ids.append(self.headers.get("connectionId"))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST

        class Server(ThreadingHTTPServer):
            request_queue_size = 1024
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def count(self):
        with self.lock:
            return len(self.ids)


def handshake_all(port, count):
    """Opens `count` WebSockets; the handshakes of a batch are in flight together."""
    request = upgrade_request()
    socks = []
    selector = selectors.DefaultSelector()
    for start in range(0, count, 500):
        batch = []
        for _ in range(min(500, count - start)):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(request)
            batch.append(s)
        for s in batch:
            s.setblocking(False)
            selector.register(s, selectors.EVENT_READ, b"")
        pending = len(batch)
        deadline = time.time() + 30
        while pending:
            assert time.time() < deadline, "%d handshakes unanswered" % pending
            for key, _ in selector.select(timeout=1):
                data = key.data + key.fileobj.recv(4096)
                if b"\r\n\r\n" in data:
                    assert data.startswith(b"HTTP/1.1 101"), data[:100]
                    selector.unregister(key.fileobj)
                    pending -= 1
                else:
                    assert data, "closed during the handshake"
                    selector.modify(key.fileobj, selectors.EVENT_READ, data)
        socks += batch
    selector.close()
    return socks


def test_ten_thousand_vanishing_connections_each_get_their_disconnect(gateway_factory):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = CONNECTIONS + 1000
    if soft < needed:  # the gateway (started below) inherits the raised limit
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(needed, soft)), hard))
    assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] >= needed, "RLIMIT_NOFILE hard limit %d is too low" % hard
    counter = DisconnectCounter()
    try:
        gw = gateway_factory(VANISH % counter.url)
        started = time.time()
        socks = handshake_all(gw.port, CONNECTIONS)
        opened = time.time() - started
        deadline = time.time() + 10  # the 101 goes out just before the session registers
        while health(gw)["connections"] < CONNECTIONS and time.time() < deadline:
            time.sleep(0.1)
        assert health(gw)["connections"] == CONNECTIONS
        for s in socks:  # vanish: RST, no close frame, no FIN handshake
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()
        deadline = time.time() + 45
        while (counter.count() < CONNECTIONS or health(gw)["connections"] > 0) and time.time() < deadline:
            time.sleep(0.2)
        ids = list(counter.ids)
        assert len(ids) == CONNECTIONS, "%d $disconnect calls for %d connections" % (len(ids), CONNECTIONS)
        assert len(set(ids)) == CONNECTIONS and None not in ids
        assert health(gw)["connections"] == 0
        time.sleep(0.5)
        assert counter.count() == CONNECTIONS, "a connection got a second $disconnect"
        print("opened %d connections in %.1f s; all $disconnect delivered %.1f s after they vanished"
              % (CONNECTIONS, opened, time.time() - started - opened))
    finally:
        counter.server.shutdown()
