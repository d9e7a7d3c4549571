"""Guards on the HTTP side of the listener: a request head must arrive in time (slowloris)."""
import socket
import time

CONFIG = """
server: { listen: 127.0.0.1:__PORT__, headerReadTimeoutMillis: 500 }
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    stages: [ { name: dev } ]
    routes:
      $default: { integration: { type: MOCK } }
"""


def closed_within(sock, seconds):
    """Reads until EOF; returns the elapsed time, or None if the socket stayed open."""
    sock.settimeout(seconds)
    start = time.time()
    try:
        while sock.recv(4096):
            pass
    except socket.timeout:
        return None
    except ConnectionResetError:
        pass
    return time.time() - start


def test_a_request_head_that_never_completes_is_closed(gateway_factory):
    gw = gateway_factory(CONFIG)
    with socket.create_connection(("127.0.0.1", gw.port)) as sock:
        sock.sendall(b"GET /dev HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n")  # and then nothing
        elapsed = closed_within(sock, 5)
        assert elapsed is not None, "the server kept a half-sent request head open"
        assert elapsed < 3


def test_an_idle_keep_alive_connection_is_closed_after_its_response(gateway_factory):
    gw = gateway_factory(CONFIG)
    with socket.create_connection(("127.0.0.1", gw.port)) as sock:
        sock.sendall(b"GET /_switchboard/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        sock.settimeout(5)
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")
        elapsed = closed_within(sock, 5)
        assert elapsed is not None and elapsed < 3


def test_a_connection_that_sends_its_head_in_time_is_served(gateway_factory):
    gw = gateway_factory(CONFIG)
    with socket.create_connection(("127.0.0.1", gw.port)) as sock:
        sock.sendall(b"GET /_switchboard/health HTTP/1.1\r\n")
        time.sleep(0.2)
        sock.sendall(b"Host: 127.0.0.1\r\n\r\n")
        sock.settimeout(5)
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")


def test_a_busy_keep_alive_connection_outlives_the_head_timeout(gateway_factory):
    """Each response re-arms the head deadline: requests every 300 ms keep a connection open well past 500 ms, and
    once they stop, the connection closes within the timeout of the last response."""
    gw = gateway_factory(CONFIG)
    with socket.create_connection(("127.0.0.1", gw.port)) as sock:
        sock.settimeout(5)
        for _ in range(6):
            sock.sendall(b"GET /_switchboard/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert sock.recv(4096).startswith(b"HTTP/1.1 200"), "closed while it kept sending requests in time"
            time.sleep(0.3)
        elapsed = closed_within(sock, 5)
        assert elapsed is not None and elapsed < 1.5
